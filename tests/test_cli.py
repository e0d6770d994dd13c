"""The ``marketplace`` command: passwords never on the command line, errors as one line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    merged = {
        key: value for key, value in os.environ.items() if key != "MARKETPLACE_ADMIN_PASSWORD"
    }
    merged.update(env, COLUMNS="200")
    return subprocess.run(
        [sys.executable, "-m", "marketplace.cli", *args],
        env=merged,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'cli.db'}"
    assert _run("db", "upgrade", MARKETPLACE_DATABASE_URL=url).returncode == 0
    return url


def test_create_admin_reads_the_password_from_the_environment(database: str) -> None:
    result = _run(
        "create-admin",
        "--email",
        "operator@babelprov.go.id",
        MARKETPLACE_DATABASE_URL=database,
        MARKETPLACE_ADMIN_PASSWORD="lada-putih-muntok-2026",
    )

    assert result.returncode == 0, result.stderr
    assert "Admin created: operator@babelprov.go.id" in result.stdout


def test_create_admin_refused_email_is_one_line_without_traceback(database: str) -> None:
    result = _run(
        "create-admin",
        "--email",
        "admin@contoh.test",
        MARKETPLACE_DATABASE_URL=database,
        MARKETPLACE_ADMIN_PASSWORD="lada-putih-muntok-2026",
    )

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Error: email: value is not a valid email address: The part after the @-sign is a "
        "special-use or reserved name that cannot be used with email."
    ]


def test_create_admin_without_password_or_terminal_says_how_to_give_one(database: str) -> None:
    result = _run(
        "create-admin", "--email", "kedua@babelprov.go.id", MARKETPLACE_DATABASE_URL=database
    )

    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Error: no password: set MARKETPLACE_ADMIN_PASSWORD or run in a terminal to be asked"
    ]


def test_create_admin_weak_password_is_one_line(database: str) -> None:
    result = _run(
        "create-admin",
        "--email",
        "ketiga@babelprov.go.id",
        MARKETPLACE_DATABASE_URL=database,
        MARKETPLACE_ADMIN_PASSWORD="pendek",
    )

    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_unreachable_database_is_one_line_without_traceback() -> None:
    # nothing listens on port 1
    result = _run("expire-orders", MARKETPLACE_DATABASE_URL="postgresql://nobody@127.0.0.1:1/x")

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("Error: ")
