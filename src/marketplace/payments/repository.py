"""SQL for payments, refunds, webhook events and the ledger."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.db.queries import newest_first
from marketplace.orders.models import PaymentMethod
from marketplace.payments.models import (
    LedgerEntry,
    LedgerKind,
    Payment,
    PaymentAnomaly,
    PaymentAttemptStatus,
    Refund,
    StripeEvent,
)
from marketplace.sellers.models import Seller


async def get_payment(
    session: AsyncSession, payment_id: uuid.UUID, *, for_update: bool = False
) -> Payment | None:
    query = select(Payment).where(Payment.id == payment_id)
    if for_update:
        # Re-read under the lock: a copy loaded earlier in this session may be stale by now.
        query = query.with_for_update().execution_options(populate_existing=True)
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


async def was_credited(session: AsyncSession, seller_order_id: uuid.UUID) -> bool:
    result = await session.execute(
        select(LedgerEntry.id).where(
            LedgerEntry.seller_order_id == seller_order_id, LedgerEntry.kind == LedgerKind.SALE
        )
    )
    return result.first() is not None


async def ledger_sum(session: AsyncSession, seller_id: uuid.UUID) -> int:
    result = await session.execute(
        select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
            LedgerEntry.seller_id == seller_id
        )
    )
    return int(result.scalar_one())


async def lock_seller(session: AsyncSession, seller_id: uuid.UUID) -> None:
    await session.execute(select(Seller.id).where(Seller.id == seller_id).with_for_update())


async def ledger_entries(
    session: AsyncSession,
    seller_id: uuid.UUID,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[LedgerEntry]:
    query = select(LedgerEntry).where(LedgerEntry.seller_id == seller_id)
    query = newest_first(query, LedgerEntry.created_at, LedgerEntry.id, after, limit)
    return list((await session.execute(query)).scalars())


async def event_seen(session: AsyncSession, event_id: str) -> bool:
    return await session.get(StripeEvent, event_id) is not None


async def refunds_by_provider_ids(session: AsyncSession, provider_ids: list[str]) -> set[str]:
    result = await session.execute(
        select(Refund.provider_refund_id).where(Refund.provider_refund_id.in_(provider_ids))
    )
    return {value for value in result.scalars() if value}


async def pending_card_payments(session: AsyncSession, created_before: datetime) -> list[Payment]:
    result = await session.execute(
        select(Payment).where(
            Payment.method == PaymentMethod.STRIPE,
            Payment.status == PaymentAttemptStatus.PENDING,
            Payment.created_at < created_before,
            Payment.reference.is_not(None),
        )
    )
    return list(result.scalars())


async def list_anomalies(session: AsyncSession, limit: int) -> list[PaymentAnomaly]:
    result = await session.execute(
        select(PaymentAnomaly).order_by(PaymentAnomaly.created_at.desc()).limit(limit)
    )
    return list(result.scalars())


async def commission_charged(session: AsyncSession, seller_order_id: uuid.UUID) -> int:
    result = await session.execute(
        select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
            LedgerEntry.seller_order_id == seller_order_id,
            LedgerEntry.kind == LedgerKind.COMMISSION,
        )
    )
    return -int(result.scalar_one())


async def open_card_references(session: AsyncSession, order_id: uuid.UUID) -> list[str]:
    result = await session.execute(
        select(Payment.reference).where(
            Payment.order_id == order_id,
            Payment.method == PaymentMethod.STRIPE,
            Payment.status == PaymentAttemptStatus.PENDING,
            Payment.reference.is_not(None),
        )
    )
    return [reference for reference in result.scalars() if reference]
