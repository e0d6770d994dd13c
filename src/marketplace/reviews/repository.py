"""SQL for reviews and their photos."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.db.base import utcnow
from marketplace.db.queries import newest_first
from marketplace.db.session import rows_affected
from marketplace.reviews.models import Review, ReviewPhoto, ReviewStatus


async def get_review(
    session: AsyncSession, review_id: uuid.UUID, *, for_update: bool = False
) -> Review | None:
    query = select(Review).where(Review.id == review_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def list_visible(
    session: AsyncSession,
    product_id: uuid.UUID,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[Review]:
    query = select(Review).where(
        Review.product_id == product_id, Review.status == ReviewStatus.VISIBLE
    )
    query = newest_first(query, Review.created_at, Review.id, after, limit)
    return list((await session.execute(query)).scalars())


async def photos_of(session: AsyncSession, review_ids: Sequence[uuid.UUID]) -> list[ReviewPhoto]:
    """The photos of a whole page of reviews in one query."""
    if not review_ids:
        return []
    result = await session.execute(
        select(ReviewPhoto)
        .where(ReviewPhoto.review_id.in_(review_ids))
        .order_by(ReviewPhoto.review_id, ReviewPhoto.position, ReviewPhoto.id)
    )
    return list(result.scalars())


async def count_photos(session: AsyncSession, review_id: uuid.UUID) -> int:
    result = await session.scalar(
        select(func.count()).select_from(ReviewPhoto).where(ReviewPhoto.review_id == review_id)
    )
    return int(result or 0)


async def set_reply(session: AsyncSession, review_id: uuid.UUID, text: str) -> bool:
    """The seller's one reply, in one conditional update: a second (or a racing) reply
    changes nothing."""
    now = utcnow()
    result = await session.execute(
        update(Review)
        .where(Review.id == review_id, Review.reply_text.is_(None))
        .values(reply_text=text, replied_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return rows_affected(result) == 1
