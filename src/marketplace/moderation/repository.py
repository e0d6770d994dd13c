"""SQL for the review queue."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.db.queries import newest_first
from marketplace.moderation.models import ItemKind, ItemStatus, ModerationItem


def _subject(
    query: Select[Any],
    product_id: uuid.UUID | None,
    seller_id: uuid.UUID | None,
    review_id: uuid.UUID | None,
) -> Select[Any]:
    if product_id is not None:
        query = query.where(ModerationItem.product_id == product_id)
    if seller_id is not None:
        query = query.where(ModerationItem.seller_id == seller_id)
    if review_id is not None:
        query = query.where(ModerationItem.review_id == review_id)
    return query


async def open_items(
    session: AsyncSession,
    *,
    product_id: uuid.UUID | None = None,
    seller_id: uuid.UUID | None = None,
    review_id: uuid.UUID | None = None,
    kinds: tuple[ItemKind, ...] | None = None,
    for_update: bool = False,
) -> list[ModerationItem]:
    """Open items about one subject, oldest first."""
    query = _subject(
        select(ModerationItem).where(ModerationItem.status == ItemStatus.OPEN),
        product_id,
        seller_id,
        review_id,
    )
    if kinds is not None:
        query = query.where(ModerationItem.kind.in_(kinds))
    query = query.order_by(ModerationItem.created_at, ModerationItem.id)
    if for_update:
        query = query.with_for_update()
    return list((await session.execute(query)).scalars())


async def get_item(
    session: AsyncSession, item_id: uuid.UUID, *, for_update: bool = False
) -> ModerationItem | None:
    query = select(ModerationItem).where(ModerationItem.id == item_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def list_items(
    session: AsyncSession,
    *,
    status: ItemStatus | None,
    kind: ItemKind | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[ModerationItem]:
    query = select(ModerationItem)
    if status is not None:
        query = query.where(ModerationItem.status == status)
    if kind is not None:
        query = query.where(ModerationItem.kind == kind)
    query = newest_first(query, ModerationItem.created_at, ModerationItem.id, after, limit)
    return list((await session.execute(query)).scalars())
