"""Who may see or act on an order: its buyer (signed in, or a guest holding the order's
token), a member of the seller, an admin. 404 for everyone else."""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import User
from marketplace.core.security import hash_opaque_token
from marketplace.db.base import parse_id
from marketplace.orders import repository
from marketplace.orders.exceptions import OrderNotFound, SellerOrderNotFound
from marketplace.orders.models import (
    Order,
    SellerOrder,
    SellerOrderStatus,
)
from marketplace.sellers import service as sellers_service
from marketplace.sellers.models import MemberRole


def is_buyer(order: Order, viewer: User | None, order_token: str | None) -> bool:
    """The signed-in buyer, or a guest holding the order's token."""
    if viewer is not None and order.buyer_user_id == viewer.id:
        return True
    if order_token and order.access_token_hash:
        return hmac.compare_digest(hash_opaque_token(order_token), order.access_token_hash)
    return False


async def order_for_buyer(
    session: AsyncSession,
    viewer: User | None,
    order_id: str,
    order_token: str | None,
    *,
    for_update: bool = False,
) -> Order:
    """The order when the caller is its buyer or an admin; 404 for everyone else."""
    parsed = parse_id(order_id)
    order = await repository.get_order(session, parsed, for_update=for_update) if parsed else None
    if order is None:
        raise OrderNotFound()
    if is_buyer(order, viewer, order_token) or (viewer is not None and viewer.is_admin):
        return order
    raise OrderNotFound()


async def seller_order_for(
    session: AsyncSession, viewer: User | None, seller_order_id: str, order_token: str | None
) -> tuple[Order, SellerOrder, bool]:
    """(order, seller-order, caller is a member of its seller), the order row locked first so
    every change to one order runs in a fixed lock order. 404 unless member, buyer or admin."""
    parsed = parse_id(seller_order_id)
    part = await repository.get_seller_order(session, parsed) if parsed else None
    if part is None:
        raise SellerOrderNotFound()
    order = await repository.get_order(session, part.order_id, for_update=True)
    part = await repository.get_seller_order(session, part.id, for_update=True)
    if order is None or part is None:
        raise SellerOrderNotFound()
    role = (
        await sellers_service.get_member_role(session, part.seller_id, viewer.id)
        if viewer
        else None
    )
    is_member = role in (MemberRole.OWNER, MemberRole.STAFF)
    if (
        is_member
        or is_buyer(order, viewer, order_token)
        or (viewer is not None and viewer.is_admin)
    ):
        return order, part, is_member
    raise SellerOrderNotFound()


async def order_for_buyer_by_number(
    session: AsyncSession, viewer: User | None, number: str, order_token: str | None
) -> Order:
    """As ``order_for_buyer``, by the number people read (storefront addresses): 404 unless
    the caller is its buyer (signed in, or a guest holding the order's token) or an admin."""
    order = (
        await repository.get_order_by_number(session, number)
        if 0 < len(number) <= 40 and "\x00" not in number
        else None
    )
    if order is None:
        raise OrderNotFound()
    return await order_for_buyer(session, viewer, str(order.id), order_token)


async def lock_order(session: AsyncSession, order_id: uuid.UUID) -> Order | None:
    """The order row, locked: payment events for one order apply one at a time."""
    return await repository.get_order(session, order_id, for_update=True)


@dataclass(frozen=True)
class DeliveredPart:
    """A delivered seller-order as its buyer may review it."""

    seller_order_id: uuid.UUID
    seller_id: uuid.UUID
    buyer_user_id: uuid.UUID | None
    buyer_name: str
    product_ids: frozenset[uuid.UUID]


async def delivered_part_for_buyer(
    session: AsyncSession, viewer: User | None, seller_order_id: uuid.UUID, order_token: str | None
) -> DeliveredPart | None:
    """The seller-order when the caller is its buyer (bearer or order token) and it was
    delivered; None otherwise (the caller learns nothing about other people's orders)."""
    part = await repository.get_seller_order(session, seller_order_id)
    order = await repository.get_order(session, part.order_id) if part else None
    if part is None or order is None or not is_buyer(order, viewer, order_token):
        return None
    if part.status is not SellerOrderStatus.DELIVERED:
        return None
    items = await repository.items_of(session, [order.id])
    return DeliveredPart(
        seller_order_id=part.id,
        seller_id=part.seller_id,
        buyer_user_id=order.buyer_user_id,
        buyer_name=order.buyer_name,
        product_ids=frozenset(item.product_id for item in items if item.seller_order_id == part.id),
    )
