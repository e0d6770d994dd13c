"""Cancelling a whole order (its buyer, or an admin) or one seller's part of it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import User
from marketplace.audit import service as audit_service
from marketplace.core.errors import Forbidden
from marketplace.orders import lifecycle
from marketplace.orders.access import is_buyer, order_for_buyer, seller_order_for
from marketplace.orders.models import (
    Order,
    SellerOrder,
)
from marketplace.payments.service import PaymentRuntime


async def cancel_as_buyer(
    session: AsyncSession,
    runtime: PaymentRuntime,
    viewer: User | None,
    order_id: str,
    order_token: str | None,
) -> Order:
    order = await order_for_buyer(session, viewer, order_id, order_token, for_update=True)
    by_admin = viewer is not None and viewer.is_admin and not is_buyer(order, viewer, order_token)
    before = {"status": order.status.value, "payment_status": order.payment_status.value}
    await lifecycle.cancel_order(session, runtime, order, "admin" if by_admin else "buyer")
    if by_admin and viewer is not None:
        await audit_service.record_admin_action(
            session,
            actor_id=viewer.id,
            action="order.cancel",
            target_type="order",
            target_id=order.id,
            before=before,
            after={"status": order.status.value, "payment_status": order.payment_status.value},
        )
    return order


async def cancel_seller_order(
    session: AsyncSession, runtime: PaymentRuntime, viewer: User, seller_order_id: str
) -> tuple[Order, SellerOrder]:
    order, part, is_member = await seller_order_for(session, viewer, seller_order_id, None)
    if not (is_member or viewer.is_admin):
        raise Forbidden()
    before = {"status": part.status.value, "payment_status": order.payment_status.value}
    await lifecycle.cancel_seller_order(session, runtime, order, part)
    if not is_member:
        await audit_service.record_admin_action(
            session,
            actor_id=viewer.id,
            action="seller_order.cancel",
            target_type="seller_order",
            target_id=part.id,
            before=before,
            after={"status": part.status.value, "payment_status": order.payment_status.value},
        )
    return order, part
