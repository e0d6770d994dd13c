import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from marketplace.db.session import SQLITE_CACHE_KIB, SQLITE_POOL_SIZE, create_engine
from tests.conftest import make_settings


@pytest.fixture
async def sqlite_engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(make_settings(f"sqlite:///{tmp_path / 'pool.db'}"))
    yield engine
    await engine.dispose()


async def test_every_pooled_sqlite_connection_gets_the_bounded_page_cache(
    sqlite_engine: AsyncEngine,
) -> None:
    connections = [await sqlite_engine.connect() for _ in range(SQLITE_POOL_SIZE)]
    try:
        settings = [
            (
                (await connection.execute(text("PRAGMA cache_size"))).scalar_one(),
                (await connection.execute(text("PRAGMA journal_mode"))).scalar_one(),
                (await connection.execute(text("PRAGMA foreign_keys"))).scalar_one(),
            )
            for connection in connections
        ]
    finally:
        for connection in connections:
            await connection.close()

    assert settings == [(-SQLITE_CACHE_KIB, "wal", 1)] * SQLITE_POOL_SIZE


async def test_sqlite_pool_opens_no_connection_beyond_its_size_and_waits_instead(
    sqlite_engine: AsyncEngine,
) -> None:
    connections: list[AsyncConnection] = [
        await sqlite_engine.connect() for _ in range(SQLITE_POOL_SIZE)
    ]
    try:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(sqlite_engine.connect(), timeout=0.3)
        await connections.pop().close()

        connections.append(await asyncio.wait_for(sqlite_engine.connect(), timeout=5))
    finally:
        for connection in connections:
            await connection.close()
