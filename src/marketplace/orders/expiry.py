"""Unpaid orders past their time: cancelled with their stock given back and their open
payments voided (at Stripe too); and revived when the money comes after all while the stock
is still there."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.catalog import service as catalog_service
from marketplace.db.base import utcnow
from marketplace.orders import notices, repository
from marketplace.orders.lifecycle import NOT_YET_SHIPPED, release_items, seller_orders
from marketplace.orders.models import (
    Order,
    OrderStatus,
    SellerOrderStatus,
)
from marketplace.payments import service as payments_service
from marketplace.payments.service import PaymentRuntime


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
    await release_items(session, [part.id for part in parts], order)
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
