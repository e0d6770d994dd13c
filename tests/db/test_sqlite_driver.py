"""SQLite's driver: one trip to the connection's thread per statement, and nothing lost by it
(rows, counts, new row ids, RETURNING, errors, transactions)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import Result, column, literal, select, table, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.db.session import create_engine, create_sessionmaker, one_statement_read
from tests.conftest import make_settings


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(make_settings(f"sqlite:///{tmp_path / 'driver.db'}"))
    async with engine.begin() as connection:
        await connection.execute(
            text("CREATE TABLE spice (id INTEGER PRIMARY KEY, name TEXT UNIQUE, grams INT)")
        )
    yield engine
    await engine.dispose()


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The calls aiosqlite queues on its connections' threads, by name, while the test runs."""
    queued: list[str] = []
    queue_on_thread: Callable[..., Awaitable[Any]] = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        queued.append(getattr(fn, "__name__", repr(fn)))
        return await queue_on_thread(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return queued


async def test_a_one_statement_read_makes_one_trip_to_the_connections_thread(
    engine: AsyncEngine, trips: list[str]
) -> None:
    """aiosqlite behind SQLAlchemy's adapter made five: cursor, execute, fetchall, close, and
    a rollback on the way back to the pool (56 microseconds of CPU each on this machine)."""
    # Given a connection already in the pool
    sessionmaker = create_sessionmaker(engine)
    async with one_statement_read(sessionmaker) as session:
        await session.execute(select(literal(1)))
    trips.clear()

    # When a one-statement read runs
    async with one_statement_read(sessionmaker) as session:
        names: Result[Any] = await session.execute(
            select(column("name")).select_from(table("spice"))
        )
        found = names.scalars().all()

    # Then it went to the connection's thread once
    assert found == []
    assert trips == ["_run_statement"]


async def test_statements_keep_their_rows_counts_new_ids_and_returning(
    engine: AsyncEngine,
) -> None:
    async with engine.begin() as connection:
        inserted = await connection.execute(
            text("INSERT INTO spice (name, grams) VALUES ('lada putih', 250)")
        )
        many = await connection.execute(
            text("INSERT INTO spice (name, grams) VALUES (:name, :grams)"),
            [{"name": "lada hitam", "grams": 100}, {"name": "cengkeh", "grams": 50}],
        )
        updated = await connection.execute(text("UPDATE spice SET grams = grams - 10"))
        returned = await connection.execute(
            text("DELETE FROM spice WHERE grams < 50 RETURNING name, grams")
        )
        listed = await connection.execute(text("SELECT name, grams FROM spice ORDER BY id"))

        assert inserted.lastrowid == 1
        assert many.rowcount == 2
        assert updated.rowcount == 3
        assert returned.all() == [("cengkeh", 40)]
        assert list(listed.keys()) == ["name", "grams"]
        assert listed.all() == [("lada putih", 240), ("lada hitam", 90)]


async def test_a_rolled_back_transaction_leaves_nothing_and_a_committed_one_stays(
    engine: AsyncEngine,
) -> None:
    # Given a write that is rolled back and one that is committed
    async with engine.connect() as connection:
        await connection.execute(text("INSERT INTO spice (name) VALUES ('rolled back')"))
        await connection.rollback()
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO spice (name) VALUES ('committed')"))

    # Then another connection reads only the committed one
    async with engine.connect() as reader:
        names = (await reader.execute(text("SELECT name FROM spice"))).scalars().all()
    assert names == ["committed"]


async def test_a_failing_statement_raises_sqlalchemys_error_and_the_connection_goes_on(
    engine: AsyncEngine,
) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("INSERT INTO spice (name) VALUES ('timah')"))
        with pytest.raises(IntegrityError):
            await connection.execute(text("INSERT INTO spice (name) VALUES ('timah')"))
        await connection.rollback()

        assert (await connection.execute(text("SELECT count(*) FROM spice"))).scalar() == 0
