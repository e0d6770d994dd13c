"""``marketplace serve`` refuses the public built-in secret key unless told it is development;
``marketplace demo`` keeps a random key of its own beside its database."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from marketplace import cli, server
from marketplace.config import get_settings


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """uvicorn.run recorded instead of started, in this process rather than the one serve
    replaces itself with (``python -m marketplace.server``); no secret key or environment."""
    calls: list[dict[str, Any]] = []

    def exec_server_here(executable: str, command: list[str]) -> None:
        assert command[:3] == [executable, "-m", "marketplace.server"]
        server.main(command[3:])

    monkeypatch.setattr(cli.os, "execv", exec_server_here)
    monkeypatch.setattr(server.uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    for name in ("MARKETPLACE_SECRET_KEY", "MARKETPLACE_ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield calls
    get_settings.cache_clear()


def test_serve_refuses_the_built_in_key_when_the_environment_is_not_set(
    served: list[dict[str, Any]],
) -> None:
    # Issue 10: with MARKETPLACE_ENVIRONMENT unset, serve ran on the built-in key.
    result = CliRunner().invoke(cli.app, ["serve"])

    assert result.exit_code == 2
    assert "MARKETPLACE_SECRET_KEY" in result.output
    assert served == []


def test_serve_runs_on_the_built_in_key_in_explicit_development_with_a_warning(
    served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MARKETPLACE_ENVIRONMENT", "development")

    result = CliRunner().invoke(cli.app, ["serve"])

    assert result.exit_code == 0
    assert "built-in secret key" in result.output
    assert len(served) == 1


def test_serve_runs_quietly_with_a_key_of_its_own(
    served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MARKETPLACE_SECRET_KEY", "k" * 48)

    result = CliRunner().invoke(cli.app, ["serve"])

    assert result.exit_code == 0
    assert "built-in" not in result.output
    assert served[0]["proxy_headers"] is False


def test_demo_makes_a_random_key_once_and_keeps_it_beside_its_database(tmp_path: Path) -> None:
    database = tmp_path / "var" / "demo.db"

    first = cli._demo_secret_key(database)
    second = cli._demo_secret_key(database)

    assert first == second
    assert len(first) >= 32
    key_file = tmp_path / "var" / "demo.db.secret-key"
    assert key_file.read_text(encoding="utf-8") == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert cli._demo_secret_key(tmp_path / "other.db") != first
