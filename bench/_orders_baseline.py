"""The baseline for bench/orders.py: a POST written the plain way through the same stack.

One FastAPI endpoint that parses the same order body with a Pydantic model, opens an async
SQLAlchemy session on the same driver (asyncpg or aiosqlite), inserts ONE row into a table of
its own and answers 201 with a small JSON document. Nothing of the project is used: no
idempotency, no stock, no totals, no e-mail. On SQLite the connections get the durability our
engine uses (``synchronous=NORMAL`` in WAL mode) and the same busy timeout, so the comparison
is about the work per order, not about fsyncs.

Serve it with ``uvicorn _orders_baseline:create_baseline_app --factory --app-dir bench``; the
database comes from ``BENCH_ORDERS_DATABASE_URL``, the pool size from ``BENCH_ORDERS_POOL_SIZE``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Request, status
from pydantic import BaseModel, Field
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
    event,
    insert,
)
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

DEFAULT_POOL_SIZE = 10
metadata = MetaData()
plain_orders = Table(
    "bench_plain_orders",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("idempotency_key", String(255), nullable=False, unique=True),
    Column("lines", Integer, nullable=False),
    Column("payment_method", String(32), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


class PlainLine(BaseModel):
    variant_id: uuid.UUID
    quantity: Annotated[int, Field(ge=1)]


class PlainOrderCreate(BaseModel):
    items: Annotated[list[PlainLine], Field(min_length=1)]
    buyer: dict[str, str]
    shipping_address: dict[str, str]
    payment_method: str


class PlainOrderRead(BaseModel):
    id: uuid.UUID
    idempotency_key: str
    lines: int
    created_at: datetime


def async_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    return url


def create_baseline_engine(database_url: str, pool_size: int = DEFAULT_POOL_SIZE) -> AsyncEngine:
    url = async_url(database_url)
    if not url.startswith("sqlite"):
        return create_async_engine(url, pool_size=pool_size, max_overflow=pool_size)
    engine = create_async_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine


async def create_baseline_table(database_url: str) -> None:
    """The baseline's table, in the benchmark database (created once, before serving)."""
    engine = create_baseline_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
    finally:
        await engine.dispose()


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session:
        yield session


Session = Annotated[AsyncSession, Depends(get_session)]
IdempotencyKey = Annotated[str, Header(alias="Idempotency-Key", min_length=1, max_length=255)]


def create_baseline_app(database_url: str | None = None, pool_size: int | None = None) -> FastAPI:
    """The app; arguments left out come from the BENCH_ORDERS_* environment variables."""
    engine = create_baseline_engine(
        database_url or os.environ["BENCH_ORDERS_DATABASE_URL"],
        pool_size or int(os.environ.get("BENCH_ORDERS_POOL_SIZE", DEFAULT_POOL_SIZE)),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    app = FastAPI(lifespan=lifespan)
    app.state.engine = engine
    app.state.sessionmaker = async_sessionmaker(engine, expire_on_commit=False)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/plain/orders", status_code=status.HTTP_201_CREATED, response_model=PlainOrderRead)
    async def create_order(
        body: PlainOrderCreate, key: IdempotencyKey, session: Session
    ) -> PlainOrderRead:
        row = PlainOrderRead(
            id=uuid.uuid4(),
            idempotency_key=key,
            lines=len(body.items),
            created_at=datetime.now(UTC),
        )
        values = {**row.model_dump(), "payment_method": body.payment_method}
        await session.execute(insert(plain_orders).values(**values))
        await session.commit()
        return row

    return app
