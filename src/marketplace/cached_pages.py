"""What keeps cached pages current: the tables they show, the version memo, and the one way
to build a sessionmaker, whose commits move that memo when they write those tables.

``serve``, the background sweeps and every command get their sessions from here, so a stock
release by an order expiring reaches a cached product page at once wherever it happens: in the
same process through the memo, and on every instance sharing ``MARKETPLACE_REDIS_URL``
through the data generation in Redis (a command without Redis cannot reach a server's memory:
its change shows within ``MARKETPLACE_CATALOG_VERSION_TTL_SECONDS``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from marketplace.catalog.models import Category, Product, ProductImage, ProductVariant, Region
from marketplace.config import Settings
from marketplace.core.cache import VersionMemo, generation_for, redis_from_settings
from marketplace.db.session import create_engine, create_sessionmaker
from marketplace.featured.models import FeaturedEntry
from marketplace.sellers.models import Seller

if TYPE_CHECKING:
    from redis.asyncio import Redis

# What the catalog, featured and storefront pages show (their versions read these tables).
CACHED_PAGE_TABLES = frozenset(
    model.__tablename__
    for model in (Region, Category, Product, ProductVariant, ProductImage, Seller, FeaturedEntry)
)


def version_memo(settings: Settings, redis: Redis | None) -> VersionMemo:
    return VersionMemo(settings.catalog_version_ttl_seconds, generation_for(redis))


def sessionmaker_for(engine: AsyncEngine, memo: VersionMemo) -> async_sessionmaker[AsyncSession]:
    """Sessions whose commits move ``memo`` when they wrote what cached pages show."""
    return create_sessionmaker(engine, partial(_move_versions, memo))


async def _move_versions(memo: VersionMemo, tables: frozenset[str]) -> None:
    if tables & CACHED_PAGE_TABLES:
        await memo.changed()


@asynccontextmanager
async def database(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A command's database: its engine, and sessions that move cached pages' version like
    the server's do; both closed at the end."""
    engine = create_engine(settings)
    redis = redis_from_settings(settings)
    try:
        yield sessionmaker_for(engine, version_memo(settings, redis))
    finally:
        await engine.dispose()
        if redis is not None:
            await redis.aclose()
