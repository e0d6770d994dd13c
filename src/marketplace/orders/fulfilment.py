"""Shipping and delivering one seller's part of an order."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import User
from marketplace.core.errors import Forbidden
from marketplace.orders import lifecycle
from marketplace.orders.access import is_buyer, seller_order_for
from marketplace.orders.models import (
    Order,
    SellerOrder,
)
from marketplace.payments.service import PaymentRuntime


async def ship_seller_order(
    session: AsyncSession, viewer: User, seller_order_id: str, courier: str, tracking: str
) -> tuple[Order, SellerOrder]:
    order, part, is_member = await seller_order_for(session, viewer, seller_order_id, None)
    if not is_member:
        raise Forbidden()
    await lifecycle.ship(session, order, part, courier, tracking)
    return order, part


async def deliver_seller_order(
    session: AsyncSession,
    runtime: PaymentRuntime,
    viewer: User | None,
    seller_order_id: str,
    order_token: str | None,
) -> tuple[Order, SellerOrder]:
    """The seller's member marks it delivered (and for cash on delivery, the cash collected);
    the buyer confirms receipt, which releases the money to the seller."""
    order, part, is_member = await seller_order_for(session, viewer, seller_order_id, order_token)
    if is_member:
        await lifecycle.deliver(session, runtime, order, part)
    elif is_buyer(order, viewer, order_token):
        await lifecycle.confirm_receipt(session, order, part)
    else:
        raise Forbidden()
    return order, part
