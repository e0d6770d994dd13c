"""Every status change of orders and seller-orders, in one place and checked: an illegal
move is a 409, and each move is a conditional update, so two racing requests cannot both win."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.catalog import service as catalog_service
from marketplace.db.base import utcnow
from marketplace.orders import notices, repository
from marketplace.orders.exceptions import (
    AlreadyShipped,
    OrderStatusConflict,
    ReceiptNotConfirmable,
)
from marketplace.orders.models import (
    Order,
    OrderStatus,
    PaymentStatus,
    SellerOrder,
    SellerOrderStatus,
)
from marketplace.payments import escrow, ledger
from marketplace.payments import service as payments_service
from marketplace.payments.models import PaymentMethod, SettlementTrigger
from marketplace.payments.service import PaymentRuntime

ORDER_FLOW: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING: frozenset({OrderStatus.PROCESSING, OrderStatus.CANCELLED}),
    OrderStatus.PROCESSING: frozenset({OrderStatus.COMPLETED, OrderStatus.CANCELLED}),
    OrderStatus.COMPLETED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}
SELLER_ORDER_FLOW: dict[SellerOrderStatus, frozenset[SellerOrderStatus]] = {
    SellerOrderStatus.PENDING: frozenset({SellerOrderStatus.TO_SHIP, SellerOrderStatus.CANCELLED}),
    SellerOrderStatus.TO_SHIP: frozenset({SellerOrderStatus.SHIPPED, SellerOrderStatus.CANCELLED}),
    SellerOrderStatus.SHIPPED: frozenset({SellerOrderStatus.DELIVERED}),
    SellerOrderStatus.DELIVERED: frozenset(),
    SellerOrderStatus.CANCELLED: frozenset(),
}
NOT_YET_SHIPPED = (SellerOrderStatus.PENDING, SellerOrderStatus.TO_SHIP)


async def move_order(
    session: AsyncSession, order: Order, target: OrderStatus, **values: Any
) -> None:
    """Move ``order`` to ``target`` or raise 409; the row is re-read afterwards."""
    if target not in ORDER_FLOW[order.status]:
        raise _order_conflict(order.status, target)
    if not await repository.move_order(
        session, order.id, [order.status], {"status": target, **values}
    ):
        await session.refresh(order)
        raise _order_conflict(order.status, target)
    await session.refresh(order)


async def move_seller_order(
    session: AsyncSession, seller_order: SellerOrder, target: SellerOrderStatus, **values: Any
) -> None:
    if target not in SELLER_ORDER_FLOW[seller_order.status]:
        raise _order_conflict(seller_order.status, target)
    moved = await repository.move_seller_order(
        session, seller_order.id, [seller_order.status], {"status": target, **values}
    )
    await session.refresh(seller_order)
    if not moved:
        raise _order_conflict(seller_order.status, target)


def _order_conflict(current: object, target: object) -> OrderStatusConflict:
    return OrderStatusConflict(params={"current": str(current), "target": str(target)})


async def seller_orders(session: AsyncSession, order: Order) -> list[SellerOrder]:
    return [
        seller_order for seller_order, _ in await repository.seller_orders_of(session, [order.id])
    ]


async def start_processing(session: AsyncSession, order: Order) -> None:
    """Paid, or placed as cash on delivery: every seller-order becomes to_ship."""
    await move_order(session, order, OrderStatus.PROCESSING, expires_at=None)
    for seller_order in await seller_orders(session, order):
        if seller_order.status is SellerOrderStatus.PENDING:
            await move_seller_order(session, seller_order, SellerOrderStatus.TO_SHIP)
            await notices.seller_has_order_to_ship(session, order, seller_order)


async def record_payment(session: AsyncSession, runtime: PaymentRuntime, order: Order) -> None:
    """The order's money has arrived: paid, each seller-order credited to its seller, and
    processing if it was waiting for the money."""
    await repository.move_order(
        session,
        order.id,
        list(ORDER_FLOW),
        {"payment_status": PaymentStatus.PAID, "paid_at": utcnow()},
    )
    await session.refresh(order)
    if order.status is OrderStatus.PENDING:
        await start_processing(session, order)
    await credit_sellers(session, runtime, order)


async def credit_sellers(session: AsyncSession, runtime: PaymentRuntime, order: Order) -> None:
    """Each part's money is held for its seller until it settles; never for cash on delivery,
    whose cash the seller collects in person."""
    if order.payment_method is PaymentMethod.COD:
        return
    basis_points = runtime.settings.platform_commission_basis_points
    for part in await seller_orders(session, order):
        if part.status is not SellerOrderStatus.CANCELLED:
            await ledger.credit_sale(session, paid_part(part), basis_points, order.number)


def paid_part(part: SellerOrder) -> ledger.PaidPart:
    return ledger.PaidPart(
        seller_order_id=part.id,
        seller_id=part.seller_id,
        goods=part.subtotal,
        shipping=part.shipping,
    )


async def refund_parts(
    session: AsyncSession,
    runtime: PaymentRuntime,
    order: Order,
    parts: list[SellerOrder],
    reason: str,
) -> None:
    """Pay back what ``parts`` cost (through Stripe for cards, recorded for manual settlement
    otherwise) and debit their sellers; the order's payment status follows."""
    payment = await payments_service.paid_payment_of(session, order.id)
    if payment is None or not parts:
        return
    amount = sum(part.subtotal + part.shipping for part in parts)
    if len(parts) == len(await seller_orders(session, order)):
        amount = payment.amount - payment.refunded_amount
    key = "refund-" + "-".join(sorted(str(part.id) for part in parts))
    single = parts[0].id if len(parts) == 1 else None
    if amount > 0:
        await payments_service.refund(
            session, runtime, payment, amount, key=key, seller_order_id=single, reason=reason
        )
    for part in parts:
        await ledger.debit_refund(
            session,
            paid_part(part),
            f"{order.number}:{reason}",
            cash_on_delivery=order.payment_method is PaymentMethod.COD,
        )
    fully = payment.refunded_amount >= payment.amount
    status = PaymentStatus.REFUNDED if fully else PaymentStatus.PARTIALLY_REFUNDED
    await repository.move_order(session, order.id, list(ORDER_FLOW), {"payment_status": status})
    await session.refresh(order)


async def _release_items(
    session: AsyncSession, seller_order_ids: Iterable[uuid.UUID], order: Order
) -> None:
    wanted = set(seller_order_ids)
    quantities: dict[uuid.UUID, int] = {}
    for item in await repository.items_of(session, [order.id]):
        if item.seller_order_id in wanted:
            quantities[item.variant_id] = quantities.get(item.variant_id, 0) + item.quantity
    await catalog_service.release_stock(session, quantities)


async def cancel_order(
    session: AsyncSession, runtime: PaymentRuntime, order: Order, reason: str
) -> None:
    """Cancel everything not yet shipped and return its stock; 409 once anything has shipped."""
    parts = await seller_orders(session, order)
    if any(
        part.status in (SellerOrderStatus.SHIPPED, SellerOrderStatus.DELIVERED) for part in parts
    ):
        raise AlreadyShipped()
    await move_order(
        session, order, OrderStatus.CANCELLED, cancelled_at=utcnow(), cancel_reason=reason
    )
    open_parts = [part for part in parts if part.status in NOT_YET_SHIPPED]
    for part in open_parts:
        # A ship racing this cancel makes this conditional move fail: the whole cancel rolls back.
        if not await repository.move_seller_order(
            session,
            part.id,
            NOT_YET_SHIPPED,
            {"status": SellerOrderStatus.CANCELLED, "cancelled_at": utcnow()},
        ):
            raise AlreadyShipped()
    await _release_items(session, [part.id for part in open_parts], order)
    await payments_service.cancel_open_payments(session, runtime, order.id)
    refunded_before = await _refunded_so_far(session, order)
    if order.payment_status in (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED):
        await refund_parts(session, runtime, order, open_parts, reason)
    refunded = await _refunded_so_far(session, order) - refunded_before
    await notices.buyer_order_cancelled(session, order, refunded)


async def _refunded_so_far(session: AsyncSession, order: Order) -> int:
    return await payments_service.refunded_total(session, order.id)


async def cancel_seller_order(
    session: AsyncSession, runtime: PaymentRuntime, order: Order, seller_order: SellerOrder
) -> None:
    """A seller drops its part: its stock returns, and the order follows what is left."""
    await move_seller_order(
        session, seller_order, SellerOrderStatus.CANCELLED, cancelled_at=utcnow()
    )
    await _release_items(session, [seller_order.id], order)
    parts = await seller_orders(session, order)
    if all(part.status is SellerOrderStatus.CANCELLED for part in parts):
        await move_order(
            session, order, OrderStatus.CANCELLED, cancelled_at=utcnow(), cancel_reason="seller"
        )
        await payments_service.cancel_open_payments(session, runtime, order.id)
    if order.payment_status in (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED):
        await refund_parts(session, runtime, order, [seller_order], "seller")
    elif order.status is not OrderStatus.CANCELLED:
        await _reprice_without(session, runtime, order, seller_order)
    if order.status is not OrderStatus.CANCELLED:
        await complete_if_all_delivered(session, order)


async def _reprice_without(
    session: AsyncSession, runtime: PaymentRuntime, order: Order, part: SellerOrder
) -> None:
    """Not paid yet: the buyer is asked only for what is left (the open payment follows)."""
    order.subtotal -= part.subtotal
    order.shipping_total -= part.shipping
    order.total = order.subtotal + order.shipping_total
    await session.flush()
    await payments_service.reprice_open_payment(
        session,
        runtime,
        order_id=order.id,
        amount=order.total,
        language=order.language,
    )


async def ship(
    session: AsyncSession, order: Order, seller_order: SellerOrder, courier: str, tracking: str
) -> None:
    await move_seller_order(
        session,
        seller_order,
        SellerOrderStatus.SHIPPED,
        courier=courier,
        tracking_number=tracking,
        shipped_at=utcnow(),
    )
    await notices.buyer_package_shipped(session, order, seller_order)


async def deliver(
    session: AsyncSession, runtime: PaymentRuntime, order: Order, seller_order: SellerOrder
) -> None:
    """A seller member marks the parcel delivered; for cash on delivery that records the cash
    as collected (also for a parcel the buyer confirmed first). Its money stays held until
    the buyer confirms or the hold period passes."""
    cash = order.payment_method is PaymentMethod.COD
    if not (
        cash
        and seller_order.status is SellerOrderStatus.DELIVERED
        and seller_order.cod_collected_at is None
    ):
        await move_seller_order(
            session, seller_order, SellerOrderStatus.DELIVERED, delivered_at=utcnow()
        )
        await notices.buyer_package_delivered(session, order, seller_order)
    if cash:
        await _collect_cash(session, runtime, order, seller_order)
    await complete_if_all_delivered(session, order)


async def confirm_receipt(session: AsyncSession, order: Order, seller_order: SellerOrder) -> None:
    """The buyer has the parcel: delivered if it was not yet, and its money settles to the
    seller. For cash on delivery this records receipt only, never payment. 409 when already
    confirmed (settled) or while a complaint is open."""
    if seller_order.status is SellerOrderStatus.SHIPPED:
        await move_seller_order(
            session, seller_order, SellerOrderStatus.DELIVERED, delivered_at=utcnow()
        )
        await notices.buyer_package_delivered(session, order, seller_order)
    elif seller_order.status is not SellerOrderStatus.DELIVERED:
        raise _order_conflict(seller_order.status, SellerOrderStatus.DELIVERED)
    if not await escrow.settle(session, paid_part(seller_order), SettlementTrigger.BUYER_CONFIRMED):
        raise ReceiptNotConfirmable()
    await complete_if_all_delivered(session, order)


async def _collect_cash(
    session: AsyncSession, runtime: PaymentRuntime, order: Order, seller_order: SellerOrder
) -> None:
    """The seller has the buyer's cash: the commission is owed from ``available`` and, once
    every part's cash is in, the order is paid."""
    if not await repository.record_cash_collected(session, seller_order.id, utcnow()):
        raise _order_conflict(seller_order.status, SellerOrderStatus.DELIVERED)
    await session.refresh(seller_order)
    basis_points = runtime.settings.platform_commission_basis_points
    await ledger.charge_cod_commission(session, paid_part(seller_order), basis_points, order.number)
    parts = [
        p
        for p in await seller_orders(session, order)
        if p.status is not SellerOrderStatus.CANCELLED
    ]
    if order.payment_status is not PaymentStatus.UNPAID or any(
        p.cod_collected_at is None for p in parts
    ):
        return
    payments = await payments_service.latest_payments(session, [order.id])
    if order.id in payments:
        await payments_service.mark_paid(session, payments[order.id], confirmed_by=None)
    await repository.move_order(
        session,
        order.id,
        list(ORDER_FLOW),
        {"payment_status": PaymentStatus.PAID, "paid_at": utcnow()},
    )
    await session.refresh(order)


async def complete_if_all_delivered(session: AsyncSession, order: Order) -> None:
    """Every part that was not cancelled is delivered: the order is complete."""
    parts = [
        p
        for p in await seller_orders(session, order)
        if p.status is not SellerOrderStatus.CANCELLED
    ]
    if not parts or any(p.status is not SellerOrderStatus.DELIVERED for p in parts):
        return
    if order.status is OrderStatus.PROCESSING:
        await move_order(session, order, OrderStatus.COMPLETED, completed_at=utcnow())


async def expire(session: AsyncSession, runtime: PaymentRuntime, order: Order) -> bool:
    """An unpaid order past its time gives its stock back. False when it was no longer pending
    (paid or cancelled meanwhile): the conditional move decides who wins a race."""
    if not await repository.move_order(
        session,
        order.id,
        [OrderStatus.PENDING],
        {"status": OrderStatus.CANCELLED, "cancelled_at": utcnow(), "cancel_reason": "expired"},
    ):
        return False
    await session.refresh(order)
    parts = await seller_orders(session, order)
    for part in parts:
        await repository.move_seller_order(
            session,
            part.id,
            NOT_YET_SHIPPED,
            {"status": SellerOrderStatus.CANCELLED, "cancelled_at": utcnow()},
        )
    await _release_items(session, [part.id for part in parts], order)
    await payments_service.cancel_open_payments(session, runtime, order.id)
    await notices.buyer_order_cancelled(session, order)
    return True


async def revive_paid_after_expiry(session: AsyncSession, order: Order) -> bool:
    """Money arrived for an order that had expired: take its stock again if it is all there
    and carry on (True), else leave it cancelled (False) so the caller refunds."""
    if order.status is not OrderStatus.CANCELLED or order.cancel_reason != "expired":
        return False
    quantities: dict[uuid.UUID, int] = {}
    for item in await repository.items_of(session, [order.id]):
        quantities[item.variant_id] = quantities.get(item.variant_id, 0) + item.quantity
    async with session.begin_nested() as savepoint:
        if await catalog_service.reserve_stock(session, quantities):
            await savepoint.rollback()
            return False
    if not await repository.move_order(
        session,
        order.id,
        [OrderStatus.CANCELLED],
        {
            "status": OrderStatus.PROCESSING,
            "cancelled_at": None,
            "cancel_reason": None,
            "expires_at": None,
        },
    ):
        return False
    await session.refresh(order)
    for part in await seller_orders(session, order):
        await repository.move_seller_order(
            session,
            part.id,
            [SellerOrderStatus.CANCELLED],
            {"status": SellerOrderStatus.TO_SHIP, "cancelled_at": None},
        )
        await session.refresh(part)
        await notices.seller_has_order_to_ship(session, order, part)
    return True
