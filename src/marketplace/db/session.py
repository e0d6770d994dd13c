"""Engine per app, one session and one transaction per request."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import Connection, CursorResult, Result
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from marketplace.config import Settings
from marketplace.core.errors import AppError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SQLITE_BEGIN_OPTION = "sqlite_begin"


def async_database_url(url: str) -> str:
    """Map plain ``postgresql://`` and ``sqlite:///`` URLs to the async drivers we ship."""
    for plain in (
        "postgresql://",
        "postgres://",
        "postgresql+psycopg://",
        "postgresql+psycopg2://",
    ):
        if url.startswith(plain):
            return "postgresql+asyncpg://" + url[len(plain) :]
    if url.startswith("sqlite://") and not url.startswith("sqlite+"):
        return "sqlite+aiosqlite://" + url[len("sqlite://") :]
    return url


def create_engine(settings: Settings) -> AsyncEngine:
    url = async_database_url(settings.database_url)
    if url.startswith("sqlite"):
        engine = create_async_engine(url, echo=settings.database_echo, connect_args={"timeout": 30})
        _make_sqlite_a_real_database(engine)
        return engine
    return create_async_engine(
        url,
        echo=settings.database_echo,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_pool_size,
        pool_pre_ping=True,
    )


def _make_sqlite_a_real_database(engine: AsyncEngine) -> None:
    """WAL, foreign keys, a busy timeout, and BEGIN issued by us so writers can take the lock early.

    A request that writes starts with ``BEGIN IMMEDIATE``: SQLite then queues writers on the
    busy timeout instead of failing a deferred transaction that tries to upgrade its lock.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def begin_write_transaction(session: AsyncSession) -> None:
    """Start the session's transaction as a writer (``BEGIN IMMEDIATE`` on SQLite)."""
    if session.get_bind().dialect.name == "sqlite":
        await session.connection(execution_options={SQLITE_BEGIN_OPTION: "IMMEDIATE"})


async def get_db_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's session: committed when the handler succeeds, rolled back when it raises."""
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session:
        if request.method not in SAFE_METHODS:
            await begin_write_transaction(session)
        try:
            yield session
        except AppError as error:
            if error.keep_changes:
                await session.commit()
            else:
                await session.rollback()
            raise
        except BaseException:
            await session.rollback()
            raise
        else:
            await session.commit()


DbSession = Annotated[AsyncSession, Depends(get_db_session, scope="function")]


def rows_affected(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched (the heart of every conditional update)."""
    assert isinstance(result, CursorResult)
    return int(result.rowcount)
