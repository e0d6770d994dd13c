"""Running ``marketplace`` commands in-process against a database of their own and
localstripe, as cron would on a server."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from marketplace import cli, migrations
from marketplace.config import Settings, get_settings
from tests.payments.conftest import (
    COMMISSION_BASIS_POINTS,
    STRIPE_SECRET_KEY,
    WEBHOOK_SECRET,
    payment_settings,
)


async def command_database(
    tmp_path: Path, localstripe_url: str, monkeypatch: pytest.MonkeyPatch, name: str
) -> Settings:
    """A migrated SQLite file; the commands' environment points at it and at localstripe.
    Returns the same settings, for an app that prepares what the command then finds."""
    database_url = f"sqlite:///{tmp_path / name}"
    await asyncio.to_thread(migrations.upgrade, database_url)
    for variable, value in {
        "MARKETPLACE_DATABASE_URL": database_url,
        "MARKETPLACE_STRIPE_SECRET_KEY": STRIPE_SECRET_KEY,
        "MARKETPLACE_STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "MARKETPLACE_STRIPE_API_BASE": localstripe_url,
        "MARKETPLACE_PLATFORM_COMMISSION_BASIS_POINTS": str(COMMISSION_BASIS_POINTS),
        "MARKETPLACE_MEDIA_ROOT": str(tmp_path / "media"),
        "MARKETPLACE_LOG_JSON": "false",
    }.items():
        monkeypatch.setenv(variable, value)
    return payment_settings(database_url, localstripe_url, media_root=tmp_path / "media")


async def run_command(*arguments: str) -> Result:
    """The command with the environment as it is now (settings read afresh)."""
    get_settings.cache_clear()
    try:
        return await asyncio.to_thread(CliRunner().invoke, cli.app, list(arguments))
    finally:
        get_settings.cache_clear()
