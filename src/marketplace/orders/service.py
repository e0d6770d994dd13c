"""Reading orders: who may see which, and how an order is shown."""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import User
from marketplace.audit import service as audit_service
from marketplace.config import Settings
from marketplace.core.errors import Forbidden
from marketplace.core.pagination import CursorCodec, parse_time_and_id, split_page, time_and_id
from marketplace.core.schemas import Page
from marketplace.core.security import hash_opaque_token
from marketplace.db.base import parse_id
from marketplace.orders import lifecycle, refunds, repository
from marketplace.orders.exceptions import (
    OrderNotFound,
    OrderStatusConflict,
    PaymentNotFound,
    PaymentProviderUnavailable,
    SellerOrderNotFound,
)
from marketplace.orders.models import (
    Order,
    OrderItem,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
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
from marketplace.orders.settlement import settle_successful_payment
from marketplace.payments import service as payments_service
from marketplace.payments.models import Payment, PaymentAttemptStatus
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


def seller_order_read(
    part: SellerOrder, seller_name: str, order: Order, items: Sequence[OrderItem]
) -> SellerOrderRead:
    return SellerOrderRead(
        id=part.id,
        order_id=part.order_id,
        order_number=order.number,
        shipping_method=order.shipping_method,
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


def public_url_of(session: AsyncSession) -> str:
    runtime = payments_service.bound_runtime(session)
    return runtime.settings.public_url if runtime is not None else ""


async def order_read(session: AsyncSession, order: Order) -> OrderRead:
    """The whole order as the contract shows it: three queries whatever its size."""
    [read] = await orders_read(session, [order])
    return read


async def orders_read(session: AsyncSession, orders: Sequence[Order]) -> list[OrderRead]:
    """Several orders in the full shape, still three queries in all (the admin desk's pages)."""
    order_ids = [order.id for order in orders]
    items = await repository.items_of(session, order_ids)
    parts = await repository.seller_orders_of(session, order_ids)
    payments = await payments_service.latest_payments(session, order_ids)
    public_url = public_url_of(session)
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
        shipping_address=AddressRead(
            recipient=order.recipient,
            phone=order.recipient_phone,
            street=order.street,
            village=order.village,
            district=order.district,
            city=order.city,
            province=order.province,
            postal_code=order.postal_code,
            region_code=order.destination_region_code,
        ),
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


async def cancel_as_buyer(
    session: AsyncSession, viewer: User | None, order_id: str, order_token: str | None
) -> Order:
    order = await order_for_buyer(session, viewer, order_id, order_token, for_update=True)
    by_admin = viewer is not None and viewer.is_admin and not is_buyer(order, viewer, order_token)
    before = {"status": order.status.value, "payment_status": order.payment_status.value}
    await lifecycle.cancel_order(session, order, "admin" if by_admin else "buyer")
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


async def ship_seller_order(
    session: AsyncSession, viewer: User, seller_order_id: str, courier: str, tracking: str
) -> tuple[Order, SellerOrder]:
    order, part, is_member = await seller_order_for(session, viewer, seller_order_id, None)
    if not is_member:
        raise Forbidden()
    await lifecycle.ship(session, order, part, courier, tracking)
    return order, part


async def deliver_seller_order(
    session: AsyncSession, viewer: User | None, seller_order_id: str, order_token: str | None
) -> tuple[Order, SellerOrder]:
    """The seller's member marks it delivered (and for cash on delivery, the cash collected);
    the buyer confirms receipt, which releases the money to the seller."""
    order, part, is_member = await seller_order_for(session, viewer, seller_order_id, order_token)
    if is_member:
        await lifecycle.deliver(session, order, part)
    elif is_buyer(order, viewer, order_token):
        await lifecycle.confirm_receipt(session, order, part)
    else:
        raise Forbidden()
    return order, part


async def cancel_seller_order(
    session: AsyncSession, viewer: User, seller_order_id: str
) -> tuple[Order, SellerOrder]:
    order, part, is_member = await seller_order_for(session, viewer, seller_order_id, None)
    if not (is_member or viewer.is_admin):
        raise Forbidden()
    before = {"status": part.status.value, "payment_status": order.payment_status.value}
    await lifecycle.cancel_seller_order(session, order, part)
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


async def seller_name(session: AsyncSession, seller_id: uuid.UUID) -> str:
    seller = await sellers_service.get_seller(session, seller_id)
    return seller.name if seller else ""


async def present_seller_order(
    session: AsyncSession, order: Order, part: SellerOrder
) -> SellerOrderRead:
    items = await repository.items_of(session, [order.id])
    return seller_order_read(part, await seller_name(session, part.seller_id), order, items)


async def confirm_bank_transfer(session: AsyncSession, admin: User, payment_id: str) -> Payment:
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
    outcome = await settle_successful_payment(session, order, payment, confirmed_by=admin.id)
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
    settings: Settings,
    viewer: User | None,
    order_id: str,
    order_token: str | None,
    method: PaymentMethod,
) -> Payment:
    """Another way or another try to pay a pending order (the earlier open attempt is void)."""
    order = await order_for_buyer(session, viewer, order_id, order_token, for_update=True)
    if not is_buyer(order, viewer, order_token):
        raise Forbidden()  # an admin may see the order, but only its buyer pays for it
    if order.status is not OrderStatus.PENDING or order.payment_status is not PaymentStatus.UNPAID:
        raise OrderStatusConflict(params={"current": order.status.value, "target": "pending"})
    if method is PaymentMethod.STRIPE and not settings.stripe_secret_key.get_secret_value():
        raise PaymentProviderUnavailable()
    if method is PaymentMethod.STRIPE:
        order.payment_method = method
        return await payments_service.reuse_or_replace_card_payment(
            session,
            payments_service.runtime_of(session),
            order_id=order.id,
            order_number=order.number,
            amount=order.total,
        )
    if settings.stripe_secret_key.get_secret_value():
        await payments_service.cancel_open_card_intent(
            session, payments_service.runtime_of(session), order.id
        )
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


async def lock_order(session: AsyncSession, order_id: uuid.UUID) -> Order | None:
    """The order row, locked: payment events for one order apply one at a time."""
    return await repository.get_order(session, order_id, for_update=True)


async def apply_successful_payment(
    session: AsyncSession, payment: Payment, confirmed_by: uuid.UUID | None = None
) -> str:
    order = await lock_order(session, payment.order_id)
    if order is None:
        return "unknown_order"
    await session.refresh(payment)
    return (await settle_successful_payment(session, order, payment, confirmed_by)).value


async def apply_external_refund(session: AsyncSession, payment: Payment, amount: int) -> None:
    """A refund made outside the app (Stripe's dashboard): the payment and order follow."""
    order = await lock_order(session, payment.order_id)
    if order is None:
        return
    payment.refunded_amount = min(payment.amount, payment.refunded_amount + amount)
    fully = payment.refunded_amount >= payment.amount
    payment.status = (
        PaymentAttemptStatus.REFUNDED if fully else PaymentAttemptStatus.PARTIALLY_REFUNDED
    )
    order.payment_status = PaymentStatus.REFUNDED if fully else PaymentStatus.PARTIALLY_REFUNDED
    await session.flush()


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


def buyer_may_cancel(order: OrderRead) -> bool:
    """Whether a cancel would be accepted now: nothing shipped yet (``lifecycle`` decides)."""
    return order.status in (OrderStatus.PENDING, OrderStatus.PROCESSING) and not any(
        part.status in (SellerOrderStatus.SHIPPED, SellerOrderStatus.DELIVERED)
        for part in order.seller_orders
    )


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


async def refundable_amount(session: AsyncSession, order: Order, part: SellerOrder) -> int:
    """What can still be refunded of one seller-order (what was paid, less refunds)."""
    return await refunds.refundable(session, order, part)


async def refund_seller_order(
    session: AsyncSession, order: Order, part: SellerOrder, amount: int, reference: str
) -> int:
    """Refund ``amount`` of one seller-order through its payment and debit its seller."""
    return await refunds.refund_seller_order(session, order, part, amount, reference)
