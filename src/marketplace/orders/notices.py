"""The e-mails an order sends: to the buyer when placed, shipped and delivered, and to the
seller's members when there is something to ship. Queued in the transaction (as template
parameters: rendered by the sender, so a checkout pays no template work), sent after it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.core.i18n import Language
from marketplace.notifications import service as notifications
from marketplace.orders import repository
from marketplace.orders.models import Order, OrderItem, SellerOrder
from marketplace.sellers import service as sellers_service


def _item_context(item: OrderItem) -> dict[str, Any]:
    return {
        "title": item.title,
        "sku": item.sku,
        "quantity": item.quantity,
        "unit_price": item.unit_price,
        "line_total": item.line_total,
    }


# Anyone can place an order to any address, so whatever the buyer typed reaches a stranger's
# mailbox: it goes in on one line, without control characters, and clipped (HTML escaping is
# the templates' autoescape).
BUYER_TEXT_LIMIT = 80
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x1f\x7f-\x9f\s]+")


def buyer_text(value: str | None, limit: int = BUYER_TEXT_LIMIT) -> str:
    flat = _CONTROL_OR_SPACE.sub(" ", value or "").strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _order_context(order: Order) -> dict[str, Any]:
    return {
        "number": order.number,
        "subtotal": order.subtotal,
        "shipping_total": order.shipping_total,
        "total": order.total,
        "payment_method": order.payment_method.value,
        "shipping_method": order.shipping_method.value,
        "payment_status": order.payment_status.value,
        "buyer": {"name": buyer_text(order.buyer_name), "email": order.buyer_email},
        "shipping_address": {
            field: buyer_text(value)
            for field, value in (
                ("recipient", order.recipient),
                ("phone", order.recipient_phone),
                ("street", order.street),
                ("village", order.village),
                ("district", order.district),
                ("city", order.city),
                ("province", order.province),
                ("postal_code", order.postal_code),
            )
        },
    }


async def _items_of_part(
    session: AsyncSession, order: Order, part: SellerOrder
) -> list[dict[str, Any]]:
    items = await repository.items_of(session, [order.id])
    return [_item_context(item) for item in items if item.seller_order_id == part.id]


async def buyer_order_placed(
    session: AsyncSession,
    order: Order,
    instructions: dict[str, Any] | None,
    order_url: str | None = None,
    *,
    items: Sequence[OrderItem] | None = None,
) -> None:
    """``items``: the order's lines when the caller holds them (a checkout), else read."""
    if items is None:
        items = await repository.items_of(session, [order.id])
    context = {
        "order": {**_order_context(order), "items": [_item_context(i) for i in items]},
        "instructions": instructions,
        "expires_at": order.expires_at,
        "order_url": order_url,
    }
    await notifications.queue_email(
        session,
        [order.buyer_email],
        "order_placed",
        order.language,
        context,
        render_at_send=True,
        write_later=True,  # with the stock's statement: a checkout reads no e-mail back
    )


async def buyer_package_shipped(session: AsyncSession, order: Order, part: SellerOrder) -> None:
    seller = await sellers_service.get_seller(session, part.seller_id)
    context = {
        "order": _order_context(order),
        "items": await _items_of_part(session, order, part),
        "seller_name": seller.name if seller else "",
        "courier": part.courier,
        "tracking_number": part.tracking_number,
    }
    await notifications.queue_email(
        session,
        [order.buyer_email],
        "order_shipped",
        order.language,
        context,
        render_at_send=True,
    )


async def buyer_package_delivered(session: AsyncSession, order: Order, part: SellerOrder) -> None:
    seller = await sellers_service.get_seller(session, part.seller_id)
    context = {
        "order": _order_context(order),
        "items": await _items_of_part(session, order, part),
        "seller_name": seller.name if seller else "",
    }
    await notifications.queue_email(
        session,
        [order.buyer_email],
        "order_delivered",
        order.language,
        context,
        render_at_send=True,
    )


async def seller_has_order_to_ship(session: AsyncSession, order: Order, part: SellerOrder) -> None:
    seller = await sellers_service.get_seller(session, part.seller_id)
    if seller is None:
        return
    context = {
        "order": _order_context(order),
        "items": await _items_of_part(session, order, part),
        "seller_name": seller.name,
        "amount_due": part.subtotal + part.shipping,
    }
    by_language: dict[Language, list[str]] = {}
    for member in await sellers_service.list_members(session, seller):
        by_language.setdefault(member.language, []).append(member.email)
    for language, emails in by_language.items():  # rendered once per language
        await notifications.queue_email(
            session, emails, "seller_new_order", language, context, render_at_send=True
        )


async def buyer_payment_refunded(session: AsyncSession, order: Order, amount: int) -> None:
    context = {"order": _order_context(order), "amount": amount}
    await notifications.queue_email(
        session,
        [order.buyer_email],
        "payment_refunded",
        order.language,
        context,
        render_at_send=True,
    )


async def buyer_payment_received(session: AsyncSession, order: Order, amount: int) -> None:
    context = {"order": _order_context(order), "amount": amount}
    await notifications.queue_email(
        session,
        [order.buyer_email],
        "payment_received",
        order.language,
        context,
        render_at_send=True,
    )


async def buyer_order_cancelled(session: AsyncSession, order: Order, refunded: int = 0) -> None:
    """Cancelled (by the buyer, an admin or the sellers) or expired unpaid."""
    context = {
        "order": _order_context(order),
        "expired": order.cancel_reason == "expired",
        "refunded": refunded,
    }
    await notifications.queue_email(
        session,
        [order.buyer_email],
        "order_cancelled",
        order.language,
        context,
        render_at_send=True,
    )


async def buyer_payment_reminder(
    session: AsyncSession, order: Order, instructions: dict[str, Any] | None
) -> None:
    context = {
        "order": _order_context(order),
        "expires_at": order.expires_at,
        "instructions": instructions,
    }
    await notifications.queue_email(
        session,
        [order.buyer_email],
        "payment_reminder",
        order.language,
        context,
        render_at_send=True,
    )
