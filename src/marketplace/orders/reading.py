"""How an order is shown: the contract's shapes, built in a fixed number of queries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import User
from marketplace.core.pagination import CursorCodec, parse_time_and_id, split_page, time_and_id
from marketplace.core.schemas import Page
from marketplace.orders import repository
from marketplace.orders.models import (
    Order,
    OrderItem,
    OrderStatus,
    SellerOrder,
    SellerOrderStatus,
)
from marketplace.orders.schemas import (
    AddressRead,
    BuyerRead,
    ItemRead,
    OrderBrief,
    OrderRead,
    PaymentRead,
    QrisRead,
    SellerBrief,
    SellerOrderRead,
)
from marketplace.payments import service as payments_service
from marketplace.payments.models import Payment
from marketplace.sellers import service as sellers_service


def _item_read(item: OrderItem) -> ItemRead:
    return ItemRead(
        variant_id=item.variant_id,
        product_id=item.product_id,
        title=item.title,
        sku=item.sku,
        quantity=item.quantity,
        unit_price=item.unit_price,
        line_total=item.line_total,
    )


def _address_read(order: Order) -> AddressRead:
    return AddressRead(
        recipient=order.recipient,
        phone=order.recipient_phone,
        street=order.street,
        village=order.village,
        district=order.district,
        city=order.city,
        province=order.province,
        postal_code=order.postal_code,
        region_code=order.destination_region_code,
    )


def seller_order_read(
    part: SellerOrder, seller_name: str, order: Order, items: Sequence[OrderItem]
) -> SellerOrderRead:
    return SellerOrderRead(
        id=part.id,
        order_id=part.order_id,
        order_number=order.number,
        shipping_method=order.shipping_method,
        shipping_address=_address_read(order),
        seller=SellerBrief(id=part.seller_id, name=seller_name),
        status=part.status,
        items=[_item_read(item) for item in items if item.seller_order_id == part.id],
        subtotal=part.subtotal,
        shipping=part.shipping,
        weight_grams=part.weight_grams,
        courier=part.courier,
        tracking_number=part.tracking_number,
        shipped_at=part.shipped_at,
        delivered_at=part.delivered_at,
        created_at=part.created_at,
    )


def payment_read(payment: Payment | None, public_url: str = "") -> PaymentRead | None:
    if payment is None:
        return None
    qris = None
    if payment.qris_payload:
        qris = QrisRead(
            payload=payment.qris_payload,
            image_url=f"{public_url}/api/v1/payments/{payment.id}/qris.svg",
        )
    return PaymentRead(
        id=payment.id,
        method=payment.method,
        status=payment.status.value,
        amount=payment.amount,
        client_secret=payment.client_secret,
        instructions=payment.instructions,
        unique_code=payment.unique_code,
        qris=qris,
    )


async def order_read(session: AsyncSession, order: Order, public_url: str) -> OrderRead:
    """The whole order as the contract shows it: three queries whatever its size.
    ``public_url`` (the site's address) makes the QR code's image link absolute."""
    [read] = await orders_read(session, [order], public_url)
    return read


def order_read_from(
    order: Order,
    items: Sequence[OrderItem],
    parts: Sequence[tuple[SellerOrder, str]],
    payment: Payment,
    public_url: str,
) -> OrderRead:
    """The same shape from rows already in memory (a checkout that has just written them),
    with no query."""
    return _order_read(order, items, parts, payment_read(payment, public_url))


async def orders_read(
    session: AsyncSession, orders: Sequence[Order], public_url: str
) -> list[OrderRead]:
    """Several orders in the full shape, still three queries in all (the admin desk's pages)."""
    order_ids = [order.id for order in orders]
    items = await repository.items_of(session, order_ids)
    parts = await repository.seller_orders_of(session, order_ids)
    payments = await payments_service.latest_payments(session, order_ids)
    return [
        _order_read(
            order,
            [item for item in items if item.order_id == order.id],
            [(part, name) for part, name in parts if part.order_id == order.id],
            payment_read(payments.get(order.id), public_url),
        )
        for order in orders
    ]


def _order_read(
    order: Order,
    items: Sequence[OrderItem],
    parts: Sequence[tuple[SellerOrder, str]],
    payment: PaymentRead | None,
) -> OrderRead:
    return OrderRead(
        id=order.id,
        number=order.number,
        status=order.status,
        payment_status=order.payment_status,
        payment_method=order.payment_method,
        shipping_method=order.shipping_method,
        subtotal=order.subtotal,
        shipping_total=order.shipping_total,
        total=order.total,
        expires_at=order.expires_at,
        buyer=BuyerRead(name=order.buyer_name, email=order.buyer_email, phone=order.buyer_phone),
        shipping_address=_address_read(order),
        notes=order.notes,
        items=[_item_read(item) for item in items],
        seller_orders=[seller_order_read(part, name, order, items) for part, name in parts],
        payment=payment,
        created_at=order.created_at,
        cancelled_at=order.cancelled_at,
        completed_at=order.completed_at,
    )


async def list_buyer_orders(
    session: AsyncSession, codec: CursorCodec, user: User, limit: int, cursor: str | None
) -> Page[OrderBrief]:
    after = codec.decode_as(cursor, parse_time_and_id) if cursor else None
    rows = await repository.list_buyer_orders(session, user.id, after, limit + 1)
    orders, next_cursor = split_page(rows, limit, codec, lambda o: time_and_id(o.created_at, o.id))
    return Page(
        items=[
            OrderBrief(
                id=o.id,
                number=o.number,
                status=o.status,
                payment_status=o.payment_status,
                total=o.total,
                created_at=o.created_at,
            )
            for o in orders
        ],
        next_cursor=next_cursor,
    )


async def list_seller_orders(
    session: AsyncSession,
    codec: CursorCodec,
    seller_id: uuid.UUID,
    seller_name: str,
    status: SellerOrderStatus | None,
    limit: int,
    cursor: str | None,
) -> Page[SellerOrderRead]:
    """A seller's part of each order, newest first; items loaded for the page in one query."""
    after = codec.decode_as(cursor, parse_time_and_id) if cursor else None
    parts = await repository.list_seller_orders(session, seller_id, status, after, limit + 1)
    page, next_cursor = split_page(parts, limit, codec, lambda p: time_and_id(p.created_at, p.id))
    order_ids = [part.order_id for part in page]
    items = await repository.items_of(session, order_ids)
    orders = {order.id: order for order in await repository.orders_by_ids(session, order_ids)}
    return Page(
        items=[seller_order_read(p, seller_name, orders[p.order_id], items) for p in page],
        next_cursor=next_cursor,
    )


async def seller_name(session: AsyncSession, seller_id: uuid.UUID) -> str:
    seller = await sellers_service.get_seller(session, seller_id)
    return seller.name if seller else ""


async def present_seller_order(
    session: AsyncSession, order: Order, part: SellerOrder
) -> SellerOrderRead:
    items = await repository.items_of(session, [order.id])
    return seller_order_read(part, await seller_name(session, part.seller_id), order, items)


def buyer_may_cancel(order: OrderRead) -> bool:
    """Whether a cancel would be accepted now: nothing shipped yet (``lifecycle`` decides)."""
    return order.status in (OrderStatus.PENDING, OrderStatus.PROCESSING) and not any(
        part.status in (SellerOrderStatus.SHIPPED, SellerOrderStatus.DELIVERED)
        for part in order.seller_orders
    )
