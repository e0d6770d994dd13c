"""``marketplace create-admin``: the only way to make an admin."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from marketplace.cli import app as cli
from marketplace.config import get_settings
from tests.conftest import make_settings
from tests.factories import DEFAULT_PASSWORD, http_client, register, running_app, sign_in

ADMIN_PASSWORD = "lada-putih-muntok-9"


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh SQLite file that the command finds through MARKETPLACE_DATABASE_URL."""
    url = f"sqlite:///{tmp_path / 'cli' / 'marketplace.db'}"
    monkeypatch.setenv("MARKETPLACE_DATABASE_URL", url)
    monkeypatch.setenv("MARKETPLACE_ENVIRONMENT", "test")
    monkeypatch.setenv("MARKETPLACE_PASSWORD_HASH_TIME_COST", "1")
    monkeypatch.setenv("MARKETPLACE_PASSWORD_HASH_MEMORY_KIB", "1024")
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


async def run_cli(*arguments: str) -> Result:
    """Run the command in a worker thread: it calls asyncio.run, which needs a thread of its own."""

    def invoke() -> Result:
        return CliRunner().invoke(cli, list(arguments))

    return await asyncio.to_thread(invoke)


async def test_create_admin_makes_an_admin_who_can_sign_in(cli_database: str) -> None:
    upgrade = await run_cli("db", "upgrade")
    assert upgrade.exit_code == 0, upgrade.output

    result = await run_cli(
        "create-admin",
        "--email",
        "Rina@Babelprov.go.id",
        "--password",
        ADMIN_PASSWORD,
        "--full-name",
        "Rina Diskominfo",
    )

    assert result.exit_code == 0, result.output
    assert "Admin created: Rina@Babelprov.go.id" in result.output
    async with running_app(make_settings(cli_database)) as app, http_client(app) as client:
        tokens = await sign_in(client, "rina@babelprov.go.id", ADMIN_PASSWORD)
        me = await client.get(
            "/api/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
        )
    assert me.status_code == 200
    assert me.json()["is_admin"] is True
    assert me.json()["full_name"] == "Rina Diskominfo"


async def test_create_admin_promotes_an_existing_account_and_sets_its_password(
    cli_database: str,
) -> None:
    assert (await run_cli("db", "upgrade")).exit_code == 0
    async with running_app(make_settings(cli_database)) as app, http_client(app) as client:
        await register(client, email="budi@babelprov.go.id")

        result = await run_cli(
            "create-admin", "--email", "BUDI@babelprov.go.id", "--password", ADMIN_PASSWORD
        )

        old_password = await client.post(
            "/api/v1/auth/token",
            data={"username": "budi@babelprov.go.id", "password": DEFAULT_PASSWORD},
        )
        tokens = await sign_in(client, "budi@babelprov.go.id", ADMIN_PASSWORD)
        me = await client.get(
            "/api/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
        )

    assert result.exit_code == 0, result.output
    assert "Admin promoted: BUDI@babelprov.go.id" in result.output
    assert old_password.status_code == 401
    assert me.json()["is_admin"] is True


async def test_create_admin_with_a_weak_password_exits_2_and_creates_nobody(
    cli_database: str,
) -> None:
    assert (await run_cli("db", "upgrade")).exit_code == 0

    result = await run_cli(
        "create-admin", "--email", "rina@babelprov.go.id", "--password", "pendek"
    )

    assert result.exit_code == 2
    assert "Kata sandi minimal 10 karakter." in result.output
    async with running_app(make_settings(cli_database)) as app, http_client(app) as client:
        signing_in = await client.post(
            "/api/v1/auth/token", data={"username": "rina@babelprov.go.id", "password": "pendek"}
        )
    assert signing_in.status_code == 401


async def test_create_admin_with_a_common_password_exits_2(cli_database: str) -> None:
    assert (await run_cli("db", "upgrade")).exit_code == 0

    result = await run_cli(
        "create-admin", "--email", "rina@babelprov.go.id", "--password", "password123"
    )

    assert result.exit_code == 2
    assert "Kata sandi ini terlalu umum dan mudah ditebak." in result.output
