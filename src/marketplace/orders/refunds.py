"""Refunds of one seller-order (a complaint's outcome): through the way the order was paid,
capped at what was paid for it and not yet given back, the seller's ledger debited."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.orders import lifecycle, repository
from marketplace.orders.models import Order, PaymentStatus, SellerOrder
from marketplace.payments import ledger
from marketplace.payments import service as payments_service
from marketplace.payments.models import Payment, PaymentMethod
from marketplace.payments.service import PaymentRuntime


async def _refund_source(session: AsyncSession, order: Order) -> Payment | None:
    """The payment a refund goes back through: the paid one, or for cash on delivery the
    cash attempt (paid in part when only some sellers have collected yet)."""
    payment = await payments_service.paid_payment_of(session, order.id)
    if payment is None and order.payment_method is PaymentMethod.COD:
        payment = (await payments_service.latest_payments(session, [order.id])).get(order.id)
    return payment


async def refundable(session: AsyncSession, order: Order, part: SellerOrder) -> int:
    """What can still be given back for one seller-order: what was paid for it, less refunds.
    Cash on delivery counts only once the seller has collected the cash."""
    if order.payment_method is PaymentMethod.COD:
        if part.cod_collected_at is None:
            return 0
    elif order.payment_status not in (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED):
        return 0
    return await ledger.refundable(session, lifecycle.paid_part(part))


async def refund_seller_order(
    session: AsyncSession,
    runtime: PaymentRuntime,
    order: Order,
    part: SellerOrder,
    amount: int,
    reference: str,
) -> int:
    """Give ``amount`` of one seller-order back to the buyer through the way it was paid (a
    Stripe refund, or a recorded manual refund for transfer and cash) and debit the seller;
    returns what was refunded (capped at what was paid and not yet refunded)."""
    amount = min(amount, await refundable(session, order, part))
    payment = await _refund_source(session, order)
    if amount <= 0 or payment is None:
        return 0
    await payments_service.refund(
        session,
        runtime,
        payment,
        amount,
        key=f"refund-{reference}",
        seller_order_id=part.id,
        reason=reference,
    )
    debited = await ledger.debit_refund(
        session,
        lifecycle.paid_part(part),
        reference,
        amount=amount,
        cash_on_delivery=order.payment_method is PaymentMethod.COD,
    )
    # A transfer's unique code is the platform's, not a seller's: all goods and shipping
    # given back is a full refund even though the code stays.
    fully = payment.refunded_amount >= min(payment.amount, order.total)
    status = PaymentStatus.REFUNDED if fully else PaymentStatus.PARTIALLY_REFUNDED
    await repository.move_order(
        session, order.id, list(lifecycle.ORDER_FLOW), {"payment_status": status}
    )
    await session.refresh(order)
    return debited
