"""The app under test: running it, a client for it, counting rows and statements."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.config import Settings
from marketplace.db.base import Base
from marketplace.main import create_app


@asynccontextmanager
async def running_app(settings: Settings) -> AsyncIterator[FastAPI]:
    """An app of its own (settings other than the shared ``app``'s), started and shut down."""
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@asynccontextmanager
async def http_client(app: FastAPI, *, address: str = "127.0.0.1") -> AsyncIterator[AsyncClient]:
    """A client of ``app`` calling from ``address`` (the shared ``client`` calls from 127.0.0.1)."""
    transport = ASGITransport(app=app, client=(address, 50000))
    async with AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


def app_of(client: AsyncClient) -> FastAPI:
    """The app behind a test client (every client here is an ASGITransport of one)."""
    transport = client._transport
    assert isinstance(transport, ASGITransport)
    app: FastAPI = transport.app  # type: ignore[assignment]
    return app


async def count_rows(sessionmaker: async_sessionmaker[AsyncSession], model: type[Base]) -> int:
    async with sessionmaker() as session:
        count = await session.scalar(select(func.count()).select_from(model))
    return int(count or 0)


@contextmanager
def listening(app: FastAPI, event_name: str, listener: Callable[..., None]) -> Iterator[None]:
    """``listener`` on the app engine's ``event_name`` while the block runs."""
    engine = app.state.engine.sync_engine
    event.listen(engine, event_name, listener)
    try:
        yield
    finally:
        event.remove(engine, event_name, listener)


@contextmanager
def counting_statements(app: FastAPI) -> Iterator[list[str]]:
    """Every SQL statement the app's engine sends while the block runs."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    with listening(app, "before_cursor_execute", record):
        yield statements
