"""SQL for payments."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.payments.models import Payment, PaymentAttemptStatus


async def get_payment(
    session: AsyncSession, payment_id: uuid.UUID, *, for_update: bool = False
) -> Payment | None:
    query = select(Payment).where(Payment.id == payment_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def get_payment_by_reference(session: AsyncSession, reference: str) -> Payment | None:
    result = await session.execute(select(Payment).where(Payment.reference == reference))
    return result.scalar_one_or_none()


async def latest_payments(
    session: AsyncSession, order_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Payment]:
    """Each order's newest payment attempt."""
    result = await session.execute(
        select(Payment)
        .where(Payment.order_id.in_(order_ids))
        .order_by(Payment.created_at, Payment.id)
    )
    return {payment.order_id: payment for payment in result.scalars()}


async def payments_of_order(session: AsyncSession, order_id: uuid.UUID) -> list[Payment]:
    result = await session.execute(
        select(Payment).where(Payment.order_id == order_id).order_by(Payment.created_at)
    )
    return list(result.scalars())


async def cancel_open_payments(session: AsyncSession, order_id: uuid.UUID) -> None:
    await session.execute(
        update(Payment)
        .where(Payment.order_id == order_id, Payment.status == PaymentAttemptStatus.PENDING)
        .values(status=PaymentAttemptStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
