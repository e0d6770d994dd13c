"""The Alembic migrations, on a scratch database of their own: up, down, up again, no drift.

SQLite: a temporary file. PostgreSQL (``MARKETPLACE_TEST_DATABASE_URL`` set): a separate
database named after the test database plus ``_migrations``, created and dropped here.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from marketplace import migrations
from marketplace.db.models import Base
from marketplace.db.session import async_database_url

MODEL_TABLES = frozenset(Base.metadata.tables)
EXPECTED_REGION_CODES = ["19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71"]


@pytest.fixture
async def scratch_database_url(tmp_path: Path) -> AsyncIterator[str]:
    postgres = os.environ.get("MARKETPLACE_TEST_DATABASE_URL")
    if not postgres:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    url = make_url(postgres)
    name = f"{url.database}_migrations"
    server = create_async_engine(
        async_database_url(url.set(database="postgres").render_as_string(hide_password=False)),
        isolation_level="AUTOCOMMIT",
    )
    try:
        async with server.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield url.set(database=name).render_as_string(hide_password=False)
        async with server.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await server.dispose()


async def _table_names(url: str) -> set[str]:
    engine = create_async_engine(async_database_url(url))
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


async def _scalars(url: str, sql: str) -> list[object]:
    engine = create_async_engine(async_database_url(url))
    try:
        async with engine.connect() as connection:
            return list((await connection.execute(text(sql))).scalars())
    finally:
        await engine.dispose()


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(migrations.alembic_config())


async def test_upgrade_from_empty_builds_every_model_table_and_seeds_regions(
    scratch_database_url: str,
) -> None:
    assert await _table_names(scratch_database_url) == set()

    await asyncio.to_thread(migrations.upgrade, scratch_database_url)

    tables = await _table_names(scratch_database_url)
    assert MODEL_TABLES <= tables
    assert "alembic_version" in tables
    versions = await _scalars(scratch_database_url, "SELECT version_num FROM alembic_version")
    assert versions == [_script().get_current_head()]
    codes = await _scalars(scratch_database_url, "SELECT code FROM regions ORDER BY code")
    assert codes == EXPECTED_REGION_CODES


async def test_upgrade_twice_is_a_no_op(scratch_database_url: str) -> None:
    await asyncio.to_thread(migrations.upgrade, scratch_database_url)

    await asyncio.to_thread(migrations.upgrade, scratch_database_url)

    assert await _scalars(scratch_database_url, "SELECT count(*) FROM regions") == [7]


async def test_downgrade_to_base_drops_everything_and_upgrade_rebuilds_it(
    scratch_database_url: str,
) -> None:
    await asyncio.to_thread(migrations.upgrade, scratch_database_url)

    await asyncio.to_thread(migrations.downgrade, scratch_database_url, "base")

    # only Alembic's own bookkeeping table stays, and it records no revision
    assert await _table_names(scratch_database_url) == {"alembic_version"}
    assert await _scalars(scratch_database_url, "SELECT version_num FROM alembic_version") == []

    await asyncio.to_thread(migrations.upgrade, scratch_database_url)

    assert MODEL_TABLES <= await _table_names(scratch_database_url)
    codes = await _scalars(scratch_database_url, "SELECT code FROM regions ORDER BY code")
    assert codes == EXPECTED_REGION_CODES  # seeded once, not twice


async def test_one_step_down_and_up_again_returns_to_head(scratch_database_url: str) -> None:
    script = _script()
    head = script.get_current_head()
    assert head is not None
    previous = script.get_revision(head).down_revision
    await asyncio.to_thread(migrations.upgrade, scratch_database_url)
    at_head = await _table_names(scratch_database_url)

    await asyncio.to_thread(migrations.downgrade, scratch_database_url, "-1")

    one_down = await _table_names(scratch_database_url)
    versions = await _scalars(scratch_database_url, "SELECT version_num FROM alembic_version")
    assert versions == ([] if previous is None else [previous])
    assert one_down <= at_head

    await asyncio.to_thread(migrations.upgrade, scratch_database_url)

    assert await _table_names(scratch_database_url) == at_head
    assert await _scalars(scratch_database_url, "SELECT version_num FROM alembic_version") == [head]
    assert await _scalars(scratch_database_url, "SELECT count(*) FROM regions") == [7]


async def test_every_migration_steps_down_and_up_one_at_a_time(
    scratch_database_url: str,
) -> None:
    revisions = [revision.revision for revision in _script().walk_revisions()]  # head first
    await asyncio.to_thread(migrations.upgrade, scratch_database_url)

    for expected_after in [*revisions[1:], None]:
        await asyncio.to_thread(migrations.downgrade, scratch_database_url, "-1")
        versions = await _scalars(scratch_database_url, "SELECT version_num FROM alembic_version")
        assert versions == ([] if expected_after is None else [expected_after])

    assert await _table_names(scratch_database_url) == {"alembic_version"}
    for _ in revisions:
        await asyncio.to_thread(migrations.upgrade, scratch_database_url, "+1")
    assert MODEL_TABLES <= await _table_names(scratch_database_url)


async def test_models_and_migrations_do_not_drift(scratch_database_url: str) -> None:
    await asyncio.to_thread(migrations.upgrade, scratch_database_url)

    # raises AutogenerateDiffsDetected when the models need a migration nobody wrote
    await asyncio.to_thread(command.check, migrations.alembic_config(scratch_database_url))


async def test_two_replicas_upgrading_an_empty_database_together_both_succeed(
    scratch_database_url: str,
) -> None:
    """Without the advisory lock the second `db upgrade` fails creating tables the first made."""
    if not scratch_database_url.startswith("postgres"):
        pytest.skip("the advisory lock is PostgreSQL's; SQLite is one process's embedded file")
    env = {**os.environ, "MARKETPLACE_DATABASE_URL": scratch_database_url}
    command_line = [sys.executable, "-m", "marketplace.cli", "db", "upgrade"]

    replicas = [
        await asyncio.create_subprocess_exec(
            *command_line, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        for _ in range(2)
    ]
    outputs = [await replica.communicate() for replica in replicas]

    assert [replica.returncode for replica in replicas] == [0, 0], outputs
    versions = await _scalars(scratch_database_url, "SELECT version_num FROM alembic_version")
    assert versions == [_script().get_current_head()]
    assert await _scalars(scratch_database_url, "SELECT count(*) FROM regions") == [7]
