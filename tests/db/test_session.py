import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import event, text
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


async def test_postgres_pool_keeps_its_connections_through_bursts(
    database_url: str, is_postgres: bool
) -> None:
    """An overflow connection is closed as soon as it is returned: under load a worker opened
    and closed PostgreSQL backends all the time (199 in 5 s of the first page at 32 clients,
    bench/catalog.py), each costing more than a query. The pool has no overflow."""
    if not is_postgres:
        pytest.skip("SQLite's pool is the test above")
    engine = create_engine(make_settings(database_url, database_pool_size=3))
    opened: list[object] = []
    closed: list[object] = []
    event.listen(engine.sync_engine.pool, "connect", lambda *_: opened.append(1))
    event.listen(engine.sync_engine.pool, "close", lambda *_: closed.append(1))

    async def one_query() -> None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT pg_sleep(0.02)"))

    try:
        for _ in range(3):
            await asyncio.gather(*(one_query() for _ in range(6)))
        counts = (len(opened), len(closed))
    finally:
        await engine.dispose()

    assert counts == (3, 0)
