"""Engine per app, one session and one transaction per request."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import Depends, Request
from sqlalchemy import Executable, RowMapping, Select, event
from sqlalchemy.engine import Connection, CursorResult, Result
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import ORMExecuteState, Session
from starlette.responses import Response

from marketplace.config import Settings
from marketplace.core.errors import AppError, problem_response, unexpected_error_response
from marketplace.core.i18n import gettext
from marketplace.db.core_statements import (
    CHANGED_TABLES,
    ONE_STATEMENT,
    OneStatementReadBroken,
    count_statement,
    execute_core,
    note_written_table,
)
from marketplace.db.pending_inserts import forget_pending, write_pending
from marketplace.db.sqlite_driver import one_trip_dbapi

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
        engine = create_async_engine(
            url,
            echo=settings.database_echo,
            connect_args={"timeout": 30},
            module=one_trip_dbapi(),
            pool_size=SQLITE_POOL_SIZE,
            max_overflow=0,
        )
        _make_sqlite_a_real_database(engine)
        return engine
    engine = create_async_engine(
        url,
        echo=settings.database_echo,
        # No overflow: SQLAlchemy closes an overflow connection as soon as it is returned, so
        # under load connections were opened and closed all the time, and a new PostgreSQL
        # backend (fork, authentication, catalog caches, plans) cost more than the queries.
        pool_size=settings.database_pool_size,
        max_overflow=0,
    )
    _ping_connections_after_idle(engine)
    return engine


IDLE_PING_SECONDS = 10.0


def _ping_connections_after_idle(engine: AsyncEngine) -> None:
    """Check a pooled connection is alive only when it sat idle a while (a restarted or
    failed-over server drops idle ones): ``pool_pre_ping`` would pay a round trip on every
    request. A connection broken mid-use is still caught: SQLAlchemy then empties the pool."""
    pool = engine.sync_engine.pool
    dialect = engine.sync_engine.dialect

    @event.listens_for(pool, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            alive = dialect.do_ping(dbapi_connection)
        except Exception as error:  # any failure means: use another connection
            raise DisconnectionError() from error
        if not alive:
            raise DisconnectionError()


# What bounds a worker's memory on SQLite: each aiosqlite connection is a thread of its own,
# with its own malloc arena, page cache, parsed schema and statements (about 2.5 MB with the
# default 2 MB cache). SQLAlchemy's default pool (5, and 10 more in overflow) opened and closed
# overflow connections all through a load, and glibc kept what each one had freed: 118 MB ->
# 166 MB in one worker under 32 connections at 100k products, against 116 -> 129 MB with
# these. Reads beyond the page cache come from the operating system's file cache, which
# every worker shares. SQLite runs one writer at a time, so more connections would not write
# more; a request waits for a free one instead (up to the pool timeout, 30 s). So no request
# may hold two at once: a storefront page reads its visitor in a transaction of its own, and
# declares the visitor before the session so that read ends before its own transaction starts.
SQLITE_POOL_SIZE = 5
SQLITE_CACHE_KIB = 512


def _make_sqlite_a_real_database(engine: AsyncEngine) -> None:
    """WAL, foreign keys, a busy timeout, a bounded page cache on every connection, and BEGIN
    issued by us so writers can take the lock early.

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
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")  # negative: KiB, not pages
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "DEFERRED")
        if mode is not None:  # None: a one-statement read, no transaction around it
            connection.exec_driver_sql(f"BEGIN {mode}")


def create_sessionmaker(
    engine: AsyncEngine, tables_changed: TablesChanged | None = None
) -> async_sessionmaker[AsyncSession]:
    """Sessions for ``engine``; after each commit through ``commit()``, ``tables_changed``
    hears which tables the transaction wrote (cached pages move their version by it)."""
    info = {_TABLES_CHANGED: tables_changed} if tables_changed else {}
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False, info=info)


# The tables a transaction wrote, gathered as it flushes ORM objects and runs INSERT, UPDATE
# or DELETE statements (a conditional stock UPDATE changes "in stock" too), announced after
# the commit to the sessionmaker's ``tables_changed``.
_CHANGED_TABLES = CHANGED_TABLES
_TABLES_CHANGED = "tables_changed"
TablesChanged = Callable[[frozenset[str]], Awaitable[None]]


@event.listens_for(Session, "after_flush")
def _note_flushed_tables(session: Session, _context: Any) -> None:
    written = session.info.setdefault(_CHANGED_TABLES, set())
    for instance in (*session.new, *session.dirty, *session.deleted):
        table = getattr(type(instance), "__tablename__", None)
        if table:
            written.add(table)


@event.listens_for(Session, "do_orm_execute")
def _note_statement_tables(state: ORMExecuteState) -> None:
    count_statement(state.session, is_select=state.is_select)
    if state.is_insert or state.is_update or state.is_delete:
        note_written_table(state.session, state.statement)


async def select_mappings(
    session: AsyncSession, statement: Select[Any], parameters: dict[str, Any]
) -> list[RowMapping]:
    """The rows of a column SELECT (no ORM entities in it) as mappings, run on the session's
    connection: the ORM's per-statement work (its execution context, its result loading)
    bought nothing for plain rows and cost a tenth of a list request's CPU."""
    return list((await execute_core(session, statement, parameters)).mappings())


@event.listens_for(Session, "before_flush")
def _refuse_flush_outside_transaction(session: Session, _context: Any, _instances: Any) -> None:
    if ONE_STATEMENT in session.info:
        raise OneStatementReadBroken()


async def _announce_changed_tables(session: AsyncSession) -> None:
    written: set[str] | None = session.info.pop(_CHANGED_TABLES, None)
    announce: TablesChanged | None = session.info.get(_TABLES_CHANGED)
    if written and announce is not None:
        try:
            await announce(frozenset(written))
        except Exception:  # the commit stands; pages catch up when the memo expires
            logger.exception("announcing changed tables failed")


async def begin_write_transaction(session: AsyncSession) -> None:
    """Start the session's transaction as a writer (``BEGIN IMMEDIATE`` on SQLite)."""
    if session.get_bind().dialect.name == "sqlite":
        await session.connection(execution_options={SQLITE_BEGIN_OPTION: "IMMEDIATE"})


SessionCallback = Callable[[], Awaitable[None]]
_AFTER_COMMIT = "after_commit"
_AFTER_ROLLBACK = "after_rollback"
_OUTBOX_WRITTEN = "outbox_written"  # the e-mails claimed at birth (may be none)
_OUTBOX_DELIVERS = "outbox_delivers"
logger = logging.getLogger("marketplace.db")


def after_commit(session: AsyncSession, callback: SessionCallback) -> None:
    """Run ``callback`` once the transaction has committed (side effects: e-mails, calls out)."""
    session.info.setdefault(_AFTER_COMMIT, []).append(callback)


def after_rollback(session: AsyncSession, callback: SessionCallback) -> None:
    """Run ``callback`` if the transaction does not commit (undo work outside the database)."""
    session.info.setdefault(_AFTER_ROLLBACK, []).append(callback)


class Outbox(Protocol):
    """Sends queued e-mails; woken once a transaction that queued some has committed, and
    given the ones the transaction claimed for it when it wrote them (``claimed``)."""

    async def wake(self, claimed: Sequence[Any] = ()) -> None: ...


def outbox_delivers_after_commit(session: AsyncSession) -> bool:
    """Whether this session's commit hands its e-mails to an outbox (a unit of work given
    one): they may then be written as already claimed by it, and need no claim to be sent."""
    return bool(session.info.get(_OUTBOX_DELIVERS))


def mark_outbox_written(session: AsyncSession, claimed: Sequence[object] = ()) -> None:
    """This transaction queued e-mails: the commit wakes the outbox it was given, handing it
    ``claimed`` (e-mails written as claimed by it: ``outbox_delivers_after_commit``)."""
    session.info.setdefault(_OUTBOX_WRITTEN, []).extend(claimed)


async def _run_callbacks(session: AsyncSession, name: str) -> None:
    callbacks: list[SessionCallback] = session.info.pop(name, [])
    session.info.pop(_AFTER_ROLLBACK if name == _AFTER_COMMIT else _AFTER_COMMIT, None)
    for callback in callbacks:
        try:
            await callback()
        except Exception:
            logger.exception("%s callback failed", name)


async def commit(session: AsyncSession, outbox: Outbox | None = None) -> None:
    """Commit, then run the after-commit callbacks and wake ``outbox`` when e-mails were
    queued; on failure run the after-rollback ones."""
    try:
        await write_pending(session)
        await session.commit()
    except BaseException:
        await rollback(session)
        raise
    await _announce_changed_tables(session)
    await _run_callbacks(session, _AFTER_COMMIT)
    claimed: list[object] | None = session.info.pop(_OUTBOX_WRITTEN, None)
    if claimed is not None and outbox is not None:
        try:
            await outbox.wake(claimed)
        except Exception:
            logger.exception("waking the outbox failed")


async def rollback(session: AsyncSession) -> None:
    session.info.pop(_CHANGED_TABLES, None)
    forget_pending(session)
    await session.rollback()
    session.info.pop(_OUTBOX_WRITTEN, None)
    await _run_callbacks(session, _AFTER_ROLLBACK)


@asynccontextmanager
async def unit_of_work(
    sessionmaker: async_sessionmaker[AsyncSession],
    outbox: Outbox | None,
    *,
    write: bool = True,
) -> AsyncIterator[AsyncSession]:
    """A session in one transaction: committed when the block succeeds (then the after-commit
    callbacks run: outbox, calls out, cache invalidation), rolled back when it raises. The one
    commit path of requests, background sweeps and commands alike."""
    async with sessionmaker() as session:
        session.info[_OUTBOX_DELIVERS] = outbox is not None
        if write:
            await begin_write_transaction(session)
        try:
            yield session
        except AppError as error:
            await (commit(session, outbox) if error.keep_changes else rollback(session))
            raise
        except BaseException:
            await rollback(session)
            raise
        else:
            await commit(session, outbox)


# How a connection runs statements without BEGIN and COMMIT, by dialect: asyncpg in autocommit
# mode; SQLite's driver already leaves transactions to us (see _make_sqlite_a_real_database).
_NO_TRANSACTION = {"sqlite": {SQLITE_BEGIN_OPTION: None}}
_AUTOCOMMIT = {"isolation_level": "AUTOCOMMIT"}


@asynccontextmanager
async def one_statement_read(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """A session for a read that runs exactly one SELECT, outside an explicit transaction:
    one statement is atomic and sees one snapshot by itself, so BEGIN and COMMIT would only
    add two round trips. A second statement or any write raises ``OneStatementReadBroken``
    (a read of several statements needs a transaction's consistency: ``transaction_of``)."""
    async with sessionmaker(info={ONE_STATEMENT: False}) as session:
        await _connection_outside_transaction(session)
        yield session


def allow_read_again(session: AsyncSession) -> None:
    """Let a one-statement read run one more SELECT whose answer replaces, whole, what the
    first one read (a search run again with typo tolerance): each answer then still comes
    from one statement and one snapshot. No effect on a session in a transaction."""
    if ONE_STATEMENT in session.info:
        session.info[ONE_STATEMENT] = False


async def _connection_outside_transaction(session: AsyncSession) -> AsyncConnection:
    """The session's connection, its statements each atomic on their own (no BEGIN/COMMIT)."""
    dialect = session.get_bind().dialect.name
    return await session.connection(execution_options=_NO_TRANSACTION.get(dialect, _AUTOCOMMIT))


async def run_alone(
    sessionmaker: async_sessionmaker[AsyncSession],
    statement: Executable,
    parameters: dict[str, Any] | None = None,
) -> None:
    """One write that needs no other statement's company, outside an explicit transaction: a
    statement is atomic by itself, so BEGIN and COMMIT would only add two round trips."""
    async with sessionmaker() as session:
        connection = await _connection_outside_transaction(session)
        await connection.execute(statement, parameters)


def transaction_of(request: Request, *, write: bool) -> AbstractAsyncContextManager[AsyncSession]:
    """The request's unit of work. For handlers that must do slow work (password hashing)
    before taking a write lock, a handler may open several, one at a time."""
    state = request.app.state
    return unit_of_work(state.sessionmaker, state.gateways.mailer, write=write)


SweepItem = TypeVar("SweepItem")


async def sweep_in_batches(
    sessionmaker: async_sessionmaker[AsyncSession],
    outbox: Outbox | None,
    take: Callable[[AsyncSession, int, bool], Awaitable[Sequence[SweepItem]]],
    work: Callable[[AsyncSession, Sequence[SweepItem]], Awaitable[int]],
    *,
    batch_size: int = 100,
) -> int:
    """Scheduled work over many rows, safe on several instances at once: each batch is one
    unit of work that takes up to ``batch_size`` rows (``take`` locks them, with SKIP LOCKED
    on PostgreSQL so other sweepers pass them by), does ``work`` on them and commits like a
    request does. Stops after a short batch; returns the sum of what ``work`` counted."""
    done = 0
    while True:
        async with unit_of_work(sessionmaker, outbox) as session:
            skip_locked = session.get_bind().dialect.name == "postgresql"
            batch = await take(session, batch_size, skip_locked)
            done += await work(session, batch) if batch else 0
        if len(batch) < batch_size:
            return done


async def get_db_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's session: committed when the handler succeeds, rolled back when it raises."""
    async with transaction_of(request, write=request.method not in SAFE_METHODS) as session:
        yield session


DbSession = Annotated[AsyncSession, Depends(get_db_session, scope="function")]


def rows_affected(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched (the heart of every conditional update)."""
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


def is_unstorable_text(error: BaseException) -> bool:
    """PostgreSQL refused a parameter's characters (a NUL byte): bad input, not a server fault."""
    return isinstance(error, DBAPIError) and "0x00" in str(error.orig)


async def handle_database_error(request: Request, exc: Exception) -> Response:
    if is_unstorable_text(exc):
        return problem_response(
            422,
            "validation-error",
            gettext("Invalid data"),
            gettext("Text must not contain NUL characters."),
            errors=[{"loc": ["request"], "msg": gettext("NUL character"), "type": "invalid_text"}],
        )
    return unexpected_error_response(request.method, request.url.path)


class Transactions(Protocol):
    """Opens the request's transactions one at a time, for work that must do something slow
    (hash a password) between a read and a write without holding a write lock meanwhile."""

    def __call__(self, *, write: bool) -> AbstractAsyncContextManager[AsyncSession]: ...


async def get_transactions(request: Request) -> Transactions:
    def open_transaction(*, write: bool) -> AbstractAsyncContextManager[AsyncSession]:
        return transaction_of(request, write=write)

    return open_transaction


RequestTransactions = Annotated[Transactions, Depends(get_transactions)]


class PublicReads(Protocol):
    """Opens a public read's session: ``one_statement=True`` when the read runs exactly one
    SELECT (``one_statement_read``), otherwise a read transaction."""

    def __call__(self, *, one_statement: bool) -> AbstractAsyncContextManager[AsyncSession]: ...


def public_reads_of(request: Request) -> PublicReads:
    def open_read(*, one_statement: bool) -> AbstractAsyncContextManager[AsyncSession]:
        if one_statement:
            return one_statement_read(request.app.state.sessionmaker)
        return transaction_of(request, write=False)

    return open_read
