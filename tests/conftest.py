"""Test harness: a real database (SQLite by default, PostgreSQL when
``MARKETPLACE_TEST_DATABASE_URL`` is set) whose schema is built by the Alembic migrations,
the app served in-process over ASGI, and each test starting from empty tables."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from marketplace import migrations
from marketplace.config import Environment, Settings
from marketplace.db.models import Base
from marketplace.db.session import async_database_url
from marketplace.main import create_app

# Rows the migrations seed; every other table is emptied between tests.
SEEDED_TABLES = frozenset({"regions", "shipping_rates", "alembic_version"})
TEST_SECRET_KEY = "test-secret-key-that-is-long-enough-0123456789"


def _postgres_url() -> str | None:
    return os.environ.get("MARKETPLACE_TEST_DATABASE_URL") or None


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    postgres = _postgres_url()
    if postgres:
        yield postgres
        return
    with tempfile.TemporaryDirectory(prefix="marketplace-test-") as folder:
        yield f"sqlite:///{Path(folder) / 'test.db'}"


@pytest.fixture(scope="session")
def is_postgres(database_url: str) -> bool:
    return database_url.startswith("postgres")


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": Environment.TEST,
        "database_url": database_url,
        "secret_key": TEST_SECRET_KEY,
        "password_hash_time_cost": 1,
        "password_hash_memory_kib": 1024,
        "background_tasks_enabled": False,
        "catalog_version_ttl_seconds": 0,
        "log_json": False,
        "public_url": "http://testserver",
        # the suite registers and orders far more from 127.0.0.1 than any one person would;
        # tests of these limits set their own
        "registrations_per_address": "100000/hour",
        "orders_per_address": "100000/hour",
        "orders_per_buyer_email": "100000/hour",
        # proofs of transfer: a folder of this run, never the project's ./var/private
        "private_media_root": Path(tempfile.mkdtemp(prefix="marketplace-private-")),
    }
    values.update(overrides)
    return Settings.model_validate(values)


@pytest.fixture(scope="session")
async def migrated_database(database_url: str) -> str:
    """Start from an empty schema and build it with the migrations, as production does."""
    if database_url.startswith("postgres"):
        engine = create_async_engine(async_database_url(database_url))
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await engine.dispose()
    await asyncio.to_thread(migrations.upgrade, database_url)
    return database_url


@pytest.fixture(scope="session")
def settings(migrated_database: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    # uploads land in a folder of this run, not in the project's ./var/media
    return make_settings(migrated_database, media_root=tmp_path_factory.mktemp("media"))


@pytest.fixture(scope="session")
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
def sessionmaker(app: FastAPI) -> async_sessionmaker[AsyncSession]:
    maker: async_sessionmaker[AsyncSession] = app.state.sessionmaker
    return maker


@pytest.fixture(autouse=True)
async def _clean_state(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Empty every non-seeded table and the rate limiter after each test that used the app."""
    yield
    if "app" not in request.fixturenames:
        return
    app: FastAPI = request.getfixturevalue("app")
    # e-mail sends a test started (orders) still write; let them finish before emptying tables
    await app.state.gateways.mailer.drain()
    await app.state.rate_limiter.reset()
    tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name not in SEEDED_TABLES]
    async with app.state.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            await connection.execute(text(f"TRUNCATE {names} CASCADE"))
        else:
            for table in tables:
                # SQLite checks ON DELETE RESTRICT row by row: unlink a tree (categories) first.
                for column in table.columns:
                    if column.nullable and any(
                        fk.column.table is table for fk in column.foreign_keys
                    ):
                        await connection.execute(table.update().values({column.name: None}))
                await connection.execute(table.delete())


# Redis: tests that need it take ``redis_url``. Without a reachable server they are skipped with
# the reason (a laptop without Redis still runs the rest); CI sets MARKETPLACE_TEST_REQUIRE_REDIS
# so a missing server fails there instead of skipping silently.
TEST_REDIS_URL = os.environ.get("MARKETPLACE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(scope="session")
async def redis_url() -> str:
    from redis.asyncio import Redis  # noqa: PLC0415
    from redis.exceptions import RedisError  # noqa: PLC0415

    client = Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1)
    try:
        await client.ping()
    except (RedisError, OSError) as error:
        if os.environ.get("MARKETPLACE_TEST_REQUIRE_REDIS"):
            raise
        pytest.skip(
            f"Redis not reachable at {TEST_REDIS_URL} ({error}); start redis-server or set "
            "MARKETPLACE_TEST_REDIS_URL to run these tests"
        )
    finally:
        await client.aclose()
    return TEST_REDIS_URL
