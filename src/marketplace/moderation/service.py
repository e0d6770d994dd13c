"""The review queue: other domains put items in (flagged listings, held edits, reports,
seller names, flagged reviews) and resolve them when an admin decides."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.core.pagination import CursorCodec, parse_time_and_id, split_page, time_and_id
from marketplace.core.schemas import Page
from marketplace.db.base import parse_id, utcnow
from marketplace.moderation import repository
from marketplace.moderation.exceptions import ModerationItemNotFound
from marketplace.moderation.models import ItemKind, ItemStatus, ModerationItem
from marketplace.moderation.schemas import ModerationItemRead
from marketplace.moderation.screening import Flag


async def flag(
    session: AsyncSession,
    kind: ItemKind,
    reasons: list[Flag],
    *,
    product_id: uuid.UUID | None = None,
    seller_id: uuid.UUID | None = None,
    review_id: uuid.UUID | None = None,
    note: str | None = None,
    reporter_address: str | None = None,
) -> ModerationItem:
    """Queue one item for an admin."""
    item = ModerationItem(
        kind=kind,
        status=ItemStatus.OPEN,
        product_id=product_id,
        seller_id=seller_id,
        review_id=review_id,
        reasons=[reason.as_dict() for reason in reasons],
        note=note,
        reporter_address=reporter_address,
    )
    session.add(item)
    await session.flush()
    return item


async def hold_changes(
    session: AsyncSession,
    kind: ItemKind,
    current: dict[str, Any],
    proposed: dict[str, Any],
    reasons: list[Flag],
    *,
    product_id: uuid.UUID | None = None,
    seller_id: uuid.UUID | None = None,
) -> ModerationItem:
    """Keep ``proposed`` values back until an admin approves them. A second edit while the first
    waits joins it: one item per subject, its diff from what the public sees now."""
    existing = await repository.open_items(
        session, product_id=product_id, seller_id=seller_id, kinds=(kind,), for_update=True
    )
    item = existing[0] if existing else None
    if item is None:
        item = ModerationItem(
            kind=kind, status=ItemStatus.OPEN, product_id=product_id, seller_id=seller_id
        )
        session.add(item)
    merged = {**(item.proposed or {}), **proposed}
    item.proposed = merged
    item.diff = {
        field: {"before": current.get(field), "after": value}
        for field, value in merged.items()
        if current.get(field) != value
    }
    item.reasons = [reason.as_dict() for reason in reasons]
    item.updated_at = utcnow()
    await session.flush()
    return item


async def held_changes(
    session: AsyncSession,
    kind: ItemKind,
    *,
    product_id: uuid.UUID | None = None,
    seller_id: uuid.UUID | None = None,
) -> ModerationItem | None:
    items = await repository.open_items(
        session, product_id=product_id, seller_id=seller_id, kinds=(kind,)
    )
    return items[0] if items else None


async def open_items(
    session: AsyncSession,
    *,
    product_id: uuid.UUID | None = None,
    seller_id: uuid.UUID | None = None,
    review_id: uuid.UUID | None = None,
) -> list[ModerationItem]:
    return await repository.open_items(
        session, product_id=product_id, seller_id=seller_id, review_id=review_id
    )


async def resolve(
    session: AsyncSession,
    admin_id: uuid.UUID,
    status: ItemStatus,
    *,
    product_id: uuid.UUID | None = None,
    seller_id: uuid.UUID | None = None,
    review_id: uuid.UUID | None = None,
    kinds: tuple[ItemKind, ...] | None = None,
) -> list[ModerationItem]:
    """Close every open item about one subject; returns them (with what they proposed)."""
    items = await repository.open_items(
        session,
        product_id=product_id,
        seller_id=seller_id,
        review_id=review_id,
        kinds=kinds,
        for_update=True,
    )
    now = utcnow()
    for item in items:
        item.status = status
        item.resolved_by = admin_id
        item.resolved_at = now
        item.updated_at = now
    await session.flush()
    return items


async def require_item(session: AsyncSession, item_id: str) -> ModerationItem:
    parsed = parse_id(item_id)
    item = await repository.get_item(session, parsed, for_update=True) if parsed else None
    if item is None:
        raise ModerationItemNotFound()
    return item


def item_read(item: ModerationItem) -> ModerationItemRead:
    return ModerationItemRead.model_validate(item, from_attributes=True)


async def list_queue(
    session: AsyncSession,
    codec: CursorCodec,
    *,
    status: ItemStatus | None,
    kind: ItemKind | None,
    limit: int,
    cursor: str | None,
) -> Page[ModerationItemRead]:
    after = codec.decode_as(cursor, parse_time_and_id) if cursor else None
    items = await repository.list_items(
        session, status=status, kind=kind, after=after, limit=limit + 1
    )
    page, next_cursor = split_page(
        items, limit, codec, lambda item: time_and_id(item.created_at, item.id)
    )
    return Page(items=[item_read(item) for item in page], next_cursor=next_cursor)
