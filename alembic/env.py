"""Alembic environment: async engines, the app's URL mapping, batch mode on SQLite."""

from __future__ import annotations

import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from marketplace.config import get_settings
from marketplace.db.models import Base
from marketplace.db.session import async_database_url

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata
# Any fixed number, the same in every replica: the advisory lock migrations run under.
MIGRATION_LOCK_KEY = 72_026_120_001

# Search structures that only one dialect has, created by raw SQL in the migrations:
# the PostgreSQL tsvector column and its indexes, and SQLite's FTS5 table.
DIALECT_SPECIFIC_TABLE_PREFIXES = ("products_fts",)
DIALECT_SPECIFIC_COLUMNS = frozenset({"search_vector"})
DIALECT_SPECIFIC_INDEXES = frozenset({"ix_products_search_vector", "ix_products_title_trgm"})


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    if type_ == "table" and name and name.startswith(DIALECT_SPECIFIC_TABLE_PREFIXES):
        return False
    if type_ == "column" and name in DIALECT_SPECIFIC_COLUMNS:
        return False
    return not (type_ == "index" and name in DIALECT_SPECIFIC_INDEXES)


def database_url() -> str:
    explicit = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
    return async_database_url(explicit or get_settings().database_url)


def run_migrations_offline() -> None:
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        include_object=include_object,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_with_connection(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        _wait_for_other_migrators(connection)
        context.run_migrations()


def _wait_for_other_migrators(connection: Connection) -> None:
    """Replicas starting together each run ``marketplace db upgrade``: on PostgreSQL the first
    takes this transaction-level advisory lock and migrates; the others wait for its commit and
    then read the new version (Alembic reads it after this), finding nothing left to do. SQLite
    gets no lock: it is the embedded single-machine setup, migrated by one `marketplace` command
    (replicas share a PostgreSQL database, never a SQLite file)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})


async def run_migrations_online() -> None:
    engine = create_async_engine(database_url())
    async with engine.connect() as connection:
        await connection.run_sync(_run_with_connection)
        await connection.commit()
    await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    existing = config.attributes.get("connection")
    if existing is not None:
        _run_with_connection(existing)
    else:
        asyncio.run(run_migrations_online())
