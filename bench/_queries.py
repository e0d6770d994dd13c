"""SQL statements per request, counted in-process: the app built by ``create_app`` (or the
plain baseline) against the benchmark database, called over ASGI, with a
``before_cursor_execute`` listener on its engine; and the query plans of those statements."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from marketplace.config import Settings
from marketplace.db.session import async_database_url
from marketplace.main import create_app

# Transaction control the SQLite engine issues itself (BEGIN DEFERRED): not a query.
_TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.I)


@dataclass
class StatementLog:
    statements: list[tuple[str, Any]] = field(default_factory=list)

    def __call__(
        self,
        connection: Any,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: Any,
        executemany: bool,
    ) -> None:
        if not _TRANSACTION_CONTROL.match(statement):
            self.statements.append((statement, parameters))


@dataclass(frozen=True)
class Call:
    """One request to count: which app serves it, and its path."""

    key: str
    app: str
    path: str


@dataclass(frozen=True)
class CountedCall:
    key: str
    status_code: int
    statements: list[tuple[str, Any]]
    body: Any


def our_settings(database_url: str, secret_key: str, public_url: str, *, cache: bool) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key=secret_key,
        public_url=public_url,
        response_cache_enabled=cache,
        redis_url=None,
        log_level="WARNING",
        media_root=Path(tempfile.gettempdir()) / "bench-catalog-media",
    )


async def count_statements(
    apps: dict[str, Callable[[], FastAPI]], calls: list[Call]
) -> dict[str, CountedCall]:
    """Each call twice (the first connects and fills caches), the second one counted."""
    built = {name: factory() for name, factory in apps.items()}
    counted: dict[str, CountedCall] = {}
    try:
        for call in calls:
            app = built[call.app]
            engine: AsyncEngine = app.state.engine
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://127.0.0.1"
            ) as client:
                await client.get(call.path)
                log = StatementLog()
                event.listen(engine.sync_engine, "before_cursor_execute", log)
                try:
                    response = await client.get(call.path)
                finally:
                    event.remove(engine.sync_engine, "before_cursor_execute", log)
            body = (
                response.json()
                if response.headers.get("content-type", "").startswith("application/json")
                else None
            )
            counted[call.key] = CountedCall(call.key, response.status_code, log.statements, body)
    finally:
        for app in built.values():
            await app.state.engine.dispose()
    return counted


def ours(database_url: str, secret_key: str, public_url: str, *, cache: bool) -> FastAPI:
    return create_app(our_settings(database_url, secret_key, public_url, cache=cache))


async def explain(database_url: str, statement: str, parameters: Any) -> list[str]:
    """EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite, as lines of text."""
    engine = create_async_engine(async_database_url(database_url))
    try:
        async with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                prefix = "EXPLAIN (ANALYZE, BUFFERS) "
                result = await connection.exec_driver_sql(prefix + statement, parameters)
                return [str(row[0]) for row in result]
            result = await connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            return [
                " ".join(str(value) for value in list(row)[:2] + list(row)[3:]) for row in result
            ]
    finally:
        await engine.dispose()
