"""What a successful payment does to its order, whichever way it arrives (a Stripe webhook,
an admin's bank-transfer confirmation, reconciliation): applied once, never backwards."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.orders import lifecycle, notices, repository
from marketplace.orders.models import Order, OrderStatus, PaymentStatus
from marketplace.payments import service as payments_service
from marketplace.payments.models import Payment, PaymentAttemptStatus
from marketplace.payments.service import PaymentRuntime


class Settlement(StrEnum):
    APPLIED = "applied"
    REVIVED = "revived"
    REFUNDED = "refunded"
    ALREADY_APPLIED = "already_applied"


async def settle_successful_payment(
    session: AsyncSession,
    runtime: PaymentRuntime,
    order: Order,
    payment: Payment,
    confirmed_by: uuid.UUID | None,
) -> Settlement:
    """Mark the payment paid and move the order on. An order that expired meanwhile takes its
    stock again when it can, or the money goes back automatically and the buyer is told.

    A cancelled attempt still counts: expiry (and a switch to another way of paying) cancels
    the open attempt here, yet its money can still arrive afterwards."""
    if payment.status not in (PaymentAttemptStatus.PENDING, PaymentAttemptStatus.CANCELLED):
        return Settlement.ALREADY_APPLIED
    await payments_service.mark_paid(session, payment, confirmed_by)
    if order.status is OrderStatus.PENDING:
        await lifecycle.record_payment(session, runtime, order)
        await notices.buyer_payment_received(session, order, payment.amount)
        return Settlement.APPLIED
    if order.status is OrderStatus.CANCELLED and await lifecycle.revive_paid_after_expiry(
        session, order
    ):
        await lifecycle.record_payment(session, runtime, order)
        await notices.buyer_payment_received(session, order, payment.amount)
        return Settlement.REVIVED
    await _refund_whole_payment(session, runtime, order, payment)
    return Settlement.REFUNDED


async def _refund_whole_payment(
    session: AsyncSession, runtime: PaymentRuntime, order: Order, payment: Payment
) -> None:
    """Money for an order that cannot take it (expired and out of stock, or already paid by
    another attempt) goes straight back."""
    await payments_service.refund(
        session,
        runtime,
        payment,
        payment.amount,
        key=f"refund-unusable-{payment.id}",
        seller_order_id=None,
        reason="order_unavailable",
    )
    if order.status is OrderStatus.CANCELLED:
        await repository.move_order(
            session, order.id, [OrderStatus.CANCELLED], {"payment_status": PaymentStatus.REFUNDED}
        )
        await session.refresh(order)
    await notices.buyer_payment_refunded(session, order, payment.amount)
