"""aiosqlite as SQLAlchemy's driver, with one trip to the connection's thread per statement.

aiosqlite runs each call on the connection's own thread and wakes the event loop with its
answer: about 56 microseconds of CPU a trip on this machine. SQLAlchemy's adapter made five
for a one-statement read (open a cursor, execute, fetch, close the cursor, roll back on
return to the pool), a fifth of a first page's CPU at 100k products. Here a statement runs,
is fetched and has its cursor closed in one trip, as SQLAlchemy's adapter would fetch every
row right after executing anyway (it opens no server-side cursors for us); a commit or
rollback with no transaction open makes none."""

from __future__ import annotations

import sqlite3
import types
from collections.abc import Awaitable, Callable
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_dbapi

_Description = tuple[tuple[Any, ...], ...] | None
_Outcome = tuple[_Description, list[Any], int, int | None]
_OnThread = Callable[[sqlite3.Connection, str, Any], _Outcome]


def _run_statement(connection: sqlite3.Connection, sql: str, parameters: Any) -> _Outcome:
    cursor = connection.cursor()
    try:
        cursor.execute(sql, parameters)
        rows = cursor.fetchall() if cursor.description else []
        return cursor.description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


def _run_many(connection: sqlite3.Connection, sql: str, parameters: Any) -> _Outcome:
    cursor = connection.cursor()
    try:
        cursor.executemany(sql, parameters)
        return None, [], cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneTripCursor:
    """The part of aiosqlite's cursor SQLAlchemy's adapter uses for a client-side cursor (it
    fetches every row right after executing), its rows fetched with the statement."""

    arraysize = 1

    def __init__(self, connection: OneTripConnection) -> None:
        self._connection = connection
        self.description: _Description = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self._rows: list[Any] = []

    async def __aenter__(self) -> OneTripCursor:
        return self

    async def execute(self, sql: str, parameters: Any = ()) -> OneTripCursor:
        outcome = await self._connection.on_thread(_run_statement, sql, parameters)
        self._keep(outcome)
        return self

    async def executemany(self, sql: str, parameters: Any) -> OneTripCursor:
        self._keep(await self._connection.on_thread(_run_many, sql, parameters))
        return self

    def _keep(self, outcome: _Outcome) -> None:
        self.description, self._rows, self.rowcount, self.lastrowid = outcome

    async def fetchall(self) -> list[Any]:
        rows, self._rows = self._rows, []
        return rows

    async def close(self) -> None:
        self._rows = []


class OneTripConnection(aiosqlite.Connection):
    """aiosqlite's connection, its cursors ``OneTripCursor``."""

    def cursor(self) -> OneTripCursor:  # type: ignore[override]
        return OneTripCursor(self)

    async def on_thread(self, function: _OnThread, sql: str, parameters: Any) -> _Outcome:
        """``function(sqlite3_connection, sql, parameters)`` on the connection's thread."""
        queue_on_thread: Callable[..., Awaitable[_Outcome]] = self._execute  # untyped upstream
        return await queue_on_thread(function, self._conn, sql, parameters)

    # Reading whether a transaction is open does not touch the connection's thread: no
    # statement runs on it meanwhile, SQLAlchemy hands a connection to one user at a time.
    async def commit(self) -> None:
        if self._conn.in_transaction:
            await super().commit()

    async def rollback(self) -> None:
        if self._conn.in_transaction:
            await super().rollback()


def _connect(database: str, **kwargs: Any) -> OneTripConnection:
    def connector() -> sqlite3.Connection:
        connection: sqlite3.Connection = sqlite3.connect(database, **kwargs)
        return connection

    return OneTripConnection(connector, iter_chunk_size=64)


def one_trip_dbapi() -> AsyncAdapt_aiosqlite_dbapi:
    """SQLAlchemy's aiosqlite DBAPI adapter over connections made by ``_connect``: pass it
    as ``module`` to ``create_async_engine``."""
    driver = types.ModuleType("aiosqlite_one_trip")
    driver.__dict__.update(vars(aiosqlite))
    driver.__dict__.update(connect=_connect, Connection=OneTripConnection)
    return AsyncAdapt_aiosqlite_dbapi(driver, sqlite3)
