"""SQL for featured entries: the curated list, the admin list, and the data version of both."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, Select, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.catalog.models import Product
from marketplace.catalog.product_queries import public_card_select
from marketplace.db.queries import SortKey, keyset_after
from marketplace.featured.models import FeaturedEntry
from marketplace.sellers.models import Seller


@dataclass(frozen=True)
class CardFilters:
    region_code: str | None = None
    category_ids: list[uuid.UUID] | None = None


def window_open(now: datetime) -> ColumnElement[bool]:
    """The entry's time window holds ``now``; a missing bound is open on that side."""
    return and_(
        or_(FeaturedEntry.starts_at.is_(None), FeaturedEntry.starts_at <= now),
        or_(FeaturedEntry.ends_at.is_(None), FeaturedEntry.ends_at > now),
    )


def after_position(after: tuple[int, uuid.UUID]) -> ColumnElement[bool]:
    keys = [
        SortKey(FeaturedEntry.position, descending=False),
        SortKey(FeaturedEntry.id, descending=False),
    ]
    return keyset_after(keys, list(after))


async def list_active_cards(
    session: AsyncSession,
    *,
    now: datetime,
    filters: CardFilters,
    after: tuple[int, uuid.UUID] | None,
    limit: int,
) -> list[RowMapping]:
    """Entries showing at ``now`` whose product the public may see, by position: one query."""
    query = (
        public_card_select()
        .add_columns(FeaturedEntry.id.label("entry_id"), FeaturedEntry.position)
        .join(FeaturedEntry, FeaturedEntry.product_id == Product.id)
        .where(window_open(now))
    )
    if filters.region_code is not None:
        query = query.where(Product.region_code == filters.region_code)
    if filters.category_ids is not None:
        query = query.where(Product.category_id.in_(filters.category_ids))
    if after is not None:
        query = query.where(after_position(after))
    query = query.order_by(FeaturedEntry.position, FeaturedEntry.id).limit(limit)
    return list((await session.execute(query)).mappings())


async def get_public_card(
    session: AsyncSession, product_id: uuid.UUID | None, slug: str | None
) -> RowMapping | None:
    """One product's card, when the public may see it, by id or by slug."""
    query = public_card_select()
    if product_id is not None:
        query = query.where(Product.id == product_id)
    else:
        query = query.where(Product.slug == slug)
    row: RowMapping | None = (await session.execute(query)).mappings().one_or_none()
    return row


def _admin_select() -> Select[Any]:
    columns: tuple[Any, ...] = (
        FeaturedEntry,
        Product.slug.label("product_slug"),
        Product.title.label("product_title"),
        Product.status.label("product_status"),
        Seller.id.label("seller_id"),
        Seller.slug.label("seller_slug"),
        Seller.name.label("seller_name"),
        Seller.status.label("seller_status"),
    )
    return (
        select(*columns)
        .join(Product, Product.id == FeaturedEntry.product_id)
        .join(Seller, Seller.id == Product.seller_id)
    )


async def list_entries(
    session: AsyncSession, *, after: tuple[int, uuid.UUID] | None, limit: int
) -> list[RowMapping]:
    """Every entry with its product's and seller's status, by position."""
    query = _admin_select()
    if after is not None:
        query = query.where(after_position(after))
    query = query.order_by(FeaturedEntry.position, FeaturedEntry.id).limit(limit)
    return list((await session.execute(query)).mappings())


async def get_entry_row(session: AsyncSession, entry_id: uuid.UUID) -> RowMapping | None:
    query = _admin_select().where(FeaturedEntry.id == entry_id)
    row: RowMapping | None = (await session.execute(query)).mappings().one_or_none()
    return row


async def get_entry(
    session: AsyncSession, entry_id: uuid.UUID, *, for_update: bool = False
) -> FeaturedEntry | None:
    query = select(FeaturedEntry).where(FeaturedEntry.id == entry_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def last_position(session: AsyncSession) -> int | None:
    return await session.scalar(select(func.max(FeaturedEntry.position)))


async def featured_version(session: AsyncSession, now: datetime) -> str:
    """Changes when an entry is added, changed or removed (the count catches removals) and when
    ``now`` crosses any entry's start or end, so time alone can move an entry on or off the list.
    One aggregate over a table of a few dozen rows."""
    result = await session.execute(
        select(
            func.max(FeaturedEntry.updated_at),
            func.count(),
            func.count(case((FeaturedEntry.starts_at <= now, 1))),
            func.count(case((FeaturedEntry.ends_at <= now, 1))),
        )
    )
    return "|".join(str(value) for value in result.one())


async def product_is_featured(session: AsyncSession, product_id: uuid.UUID, now: datetime) -> bool:
    """An entry for the product that is showing or will show (not yet ended)."""
    query = select(FeaturedEntry.id).where(
        FeaturedEntry.product_id == product_id,
        or_(FeaturedEntry.ends_at.is_(None), FeaturedEntry.ends_at > now),
    )
    return (await session.execute(query.limit(1))).first() is not None
