"""An order's money: another payment attempt, an admin's confirmation, payment events
from outside, and refunds of one seller's part."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import User
from marketplace.audit import service as audit_service
from marketplace.core.errors import Forbidden
from marketplace.db.base import parse_id
from marketplace.orders import lifecycle, refunds, repository
from marketplace.orders.access import is_buyer, lock_order, order_for_buyer
from marketplace.orders.exceptions import OrderStatusConflict
from marketplace.orders.models import (
    Order,
    OrderStatus,
    PaymentStatus,
    SellerOrder,
)
from marketplace.orders.settlement import settle_successful_payment
from marketplace.payments import method_rules
from marketplace.payments import service as payments_service
from marketplace.payments.exceptions import PaymentNotFound
from marketplace.payments.models import Payment, PaymentAttemptStatus, PaymentMethod
from marketplace.payments.service import PaymentRuntime


async def confirm_bank_transfer(
    session: AsyncSession, runtime: PaymentRuntime, admin: User, payment_id: str
) -> Payment:
    """An admin saw the money arrive (a transfer or QRIS): the payment is paid and the order
    starts processing (or, if it expired meanwhile, is revived or refunded; see
    ``settlement``)."""
    parsed = parse_id(payment_id)
    payment = await payments_service.get_payment(session, parsed) if parsed else None
    if payment is None:
        raise PaymentNotFound()
    order = await repository.get_order(session, payment.order_id, for_update=True)
    payment = await payments_service.get_payment(session, payment.id, for_update=True)
    if order is None or payment is None:
        raise PaymentNotFound()
    # A cancelled attempt can still be confirmed: expiry cancels it, yet the money may come.
    before = payment.status
    if payment.method not in (PaymentMethod.BANK_TRANSFER, PaymentMethod.QRIS) or before not in (
        PaymentAttemptStatus.PENDING,
        PaymentAttemptStatus.CANCELLED,
    ):
        raise OrderStatusConflict(params={"current": payment.status.value, "target": "paid"})
    outcome = await settle_successful_payment(
        session, runtime, order, payment, confirmed_by=admin.id
    )
    await audit_service.record_admin_action(
        session,
        actor_id=admin.id,
        action="payment.confirm",
        target_type="payment",
        target_id=payment.id,
        before={"status": before.value},
        after={
            "status": payment.status.value,
            "order_status": order.status.value,
            "outcome": outcome.value,
        },
    )
    return payment


async def new_payment_attempt(
    session: AsyncSession,
    runtime: PaymentRuntime,
    viewer: User | None,
    order_id: str,
    order_token: str | None,
    method: PaymentMethod,
) -> Payment:
    """Another way or another try to pay a pending order (the earlier open attempt is void)."""
    settings = runtime.settings
    order = await order_for_buyer(session, viewer, order_id, order_token, for_update=True)
    if not is_buyer(order, viewer, order_token):
        raise Forbidden()  # an admin may see the order, but only its buyer pays for it
    if order.status is not OrderStatus.PENDING or order.payment_status is not PaymentStatus.UNPAID:
        raise OrderStatusConflict(params={"current": order.status.value, "target": "pending"})
    method_rules.check_method_available(settings, method)
    if method is PaymentMethod.STRIPE:
        order.payment_method = method
        return await payments_service.reuse_or_replace_card_payment(
            session,
            runtime,
            order_id=order.id,
            order_number=order.number,
            amount=order.total,
        )
    if settings.stripe_secret_key.get_secret_value():
        await payments_service.cancel_open_card_intent(session, runtime, order.id)
    payment = await payments_service.start_offline_payment(
        session,
        settings,
        order_id=order.id,
        order_number=order.number,
        method=method,
        amount=order.total,
        language=order.language,
    )
    order.payment_method = method
    await session.flush()
    if method is PaymentMethod.COD:
        await lifecycle.start_processing(session, order)
    return payment


async def apply_successful_payment(
    session: AsyncSession,
    runtime: PaymentRuntime,
    payment: Payment,
    confirmed_by: uuid.UUID | None = None,
) -> str:
    order = await lock_order(session, payment.order_id)
    if order is None:
        return "unknown_order"
    await session.refresh(payment)
    return (await settle_successful_payment(session, runtime, order, payment, confirmed_by)).value


async def apply_external_refund(session: AsyncSession, payment: Payment, amount: int) -> None:
    """A refund made outside the app (Stripe's dashboard): the payment and order follow."""
    order = await lock_order(session, payment.order_id)
    if order is None:
        return
    fully = await payments_service.record_external_refund(session, payment, amount)
    order.payment_status = PaymentStatus.REFUNDED if fully else PaymentStatus.PARTIALLY_REFUNDED
    await session.flush()


async def refundable_amount(session: AsyncSession, order: Order, part: SellerOrder) -> int:
    """What can still be refunded of one seller-order (what was paid, less refunds)."""
    return await refunds.refundable(session, order, part)


async def refund_seller_order(
    session: AsyncSession,
    runtime: PaymentRuntime,
    order: Order,
    part: SellerOrder,
    amount: int,
    reference: str,
) -> int:
    """Refund ``amount`` of one seller-order through its payment and debit its seller."""
    return await refunds.refund_seller_order(session, runtime, order, part, amount, reference)
