"""SQL for complaints."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.complaints.models import Complaint, ComplaintStatus
from marketplace.db.queries import newest_first


async def get(
    session: AsyncSession, complaint_id: uuid.UUID, *, for_update: bool = False
) -> Complaint | None:
    query = select(Complaint).where(Complaint.id == complaint_id)
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    return (await session.execute(query)).scalar_one_or_none()


async def of_seller_order(session: AsyncSession, seller_order_id: uuid.UUID) -> Complaint | None:
    result = await session.execute(
        select(Complaint).where(Complaint.seller_order_id == seller_order_id)
    )
    return result.scalar_one_or_none()


async def page(
    session: AsyncSession,
    *,
    seller_id: uuid.UUID | None,
    status: ComplaintStatus | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[Complaint]:
    query = select(Complaint)
    if seller_id is not None:
        query = query.where(Complaint.seller_id == seller_id)
    if status is not None:
        query = query.where(Complaint.status == status)
    query = newest_first(query, Complaint.created_at, Complaint.id, after, limit)
    return list((await session.execute(query)).scalars())
