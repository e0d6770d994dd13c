"""Placing an order: one checkout across sellers, all lines reserved or none, totals in whole
rupiah, and an Idempotency-Key so a retried request never orders twice."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import User
from marketplace.catalog import service as catalog_service
from marketplace.catalog.service import VariantForSale
from marketplace.config import Settings, UniqueCodeBooking
from marketplace.core.errors import InvalidInput
from marketplace.core.formatting import WIB
from marketplace.core.i18n import Language, current_language, gettext
from marketplace.core.rate_limit import RateLimiter
from marketplace.core.security import hash_opaque_token
from marketplace.db.base import new_id, utcnow
from marketplace.db.pending_inserts import (
    hold_as_loaded,
    insert_later,
    update_later,
    write_pending,
)
from marketplace.orders import (
    checkout_reads,
    checkout_rules,
    idempotency,
    lifecycle,
    notices,
    repository,
    shipping,
)
from marketplace.orders.exceptions import IdempotencyInFlight, InsufficientStock
from marketplace.orders.idempotency import IdempotentRequest, StoredResponse
from marketplace.orders.models import (
    Order,
    OrderItem,
    OrderStatus,
    PaymentStatus,
    SellerOrder,
    SellerOrderStatus,
)
from marketplace.orders.reading import order_read, order_read_from
from marketplace.orders.schemas import OrderCreate
from marketplace.orders.shipping import RateTable
from marketplace.payments import method_rules
from marketplace.payments import service as payments_service
from marketplace.payments.models import Payment, PaymentMethod
from marketplace.payments.service import PaymentRuntime

# Letters and digits nobody confuses when reading an order number over the phone.
_NUMBER_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"
_NUMBER_ATTEMPTS = 8
ORDER_SCOPE = "POST /orders"


@dataclass(frozen=True)
class PlacedOrder:
    status_code: int
    body: dict[str, object]  # the order as JSON, as stored for replays (plus a guest's token)


def guest_access_token(settings: Settings, order_id: uuid.UUID) -> str:
    """Derived from the order id and the secret key, so a replayed request can show it again
    while the database keeps only its digest."""
    key = settings.secret_key.get_secret_value().encode()
    digest = hmac.new(key, f"order-access:{order_id}".encode(), hashlib.sha256).digest()
    return digest.hex()


def order_page_url(settings: Settings, order: Order, buyer: User | None) -> str:
    """The storefront page of the order; a guest's link carries the order token (the page
    shows an order by its number only to the buyer holding it)."""
    url = f"{settings.public_url}/pesanan/{order.number}"
    return f"{url}?token={guest_access_token(settings, order.id)}" if buyer is None else url


def new_order_number() -> str:
    """Random, so that numbers say nothing about how many orders there are: ~309 million a day,
    a taken one is drawn again (``_insert_with_unique_number``)."""
    # The date people in the province see on their calendar (WIB), not the UTC one.
    today = utcnow().astimezone(WIB).strftime("%y%m%d")
    return f"BB{today}-" + "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(6))


@dataclass(frozen=True, slots=True)
class Checkout:
    """Who places the order and from where (the rate limits count per address and e-mail)."""

    settings: Settings
    payments: PaymentRuntime
    limiter: RateLimiter
    buyer: User | None
    client_address: str
    numbers: Callable[[], str] = new_order_number  # where order numbers are drawn from


async def place_order(
    session: AsyncSession, checkout: Checkout, body: OrderCreate, request: IdempotentRequest
) -> PlacedOrder:
    settings = checkout.settings
    region_code = await shipping.destination_region(session, body.shipping_address)
    order = _new_order(settings, checkout.buyer, body, region_code, checkout.numbers())
    payment = _payment_beside_order(settings, order)
    reads = await checkout_reads.read(session, request, _asked_variants(body), order, payment)
    if reads.stored is not None:
        return _replay(settings, reads.stored)
    if reads.order_written:  # its totals follow with the next statement that writes
        hold_as_loaded(session, [order])
    method_rules.check_method_available(settings, body.payment_method)
    method_rules.check_cash_on_delivery_buyer(body.payment_method, checkout.buyer)
    await checkout_rules.count_order_attempt(
        checkout.limiter, settings, body, checkout.client_address
    )
    variants = _check_lines(body, reads.variants)
    try:
        return await _place(session, checkout, body, request, order, variants, reads, payment)
    except IntegrityError as error:
        if idempotency.is_key_taken(error):  # see checkout_reads.read
            raise IdempotencyInFlight() from error
        raise


async def _place(
    session: AsyncSession,
    checkout: Checkout,
    body: OrderCreate,
    request: IdempotentRequest,
    order: Order,
    variants: dict[uuid.UUID, VariantForSale],
    reads: checkout_reads.CheckoutReads,
    payment_beside: Payment | None,
) -> PlacedOrder:
    settings, buyer = checkout.settings, checkout.buyer
    rates = await shipping.rates_as_of(session, reads.rates_version)
    created = await _create_order(
        session, order, body, variants, rates, reads.order_written, checkout.numbers
    )
    method_rules.check_cash_on_delivery_total(settings, order.payment_method, order.total)
    written = payment_beside if reads.payment_written else None
    instructions, payment = await _start_payment(session, checkout, order, written, reads)
    await notices.buyer_order_placed(
        session, order, instructions, order_page_url(settings, order, buyer), items=created.items
    )
    # Stock last: its row locks are then held only for the few statements before commit.
    if payment is None:  # a card payment: its intent was made by the gateway; read it back
        await _reserve_stock(session, body)
        answer = (await order_read(session, order, settings.public_url)).model_dump(mode="json")
        idempotency.remember(session, request, 201, answer, order.id)
        await write_pending(session)  # here, where a clash of its key is told apart
    else:  # everything the answer shows was just written from these objects
        response = order_read_from(
            order, created.items, created.parts, payment, settings.public_url
        )
        answer = response.model_dump(mode="json")  # once: stored, then answered
        idempotency.remember(session, request, 201, answer, order.id)  # with the stock's statement
        await _reserve_stock(session, body)
    if buyer is None:  # never stored: derived again on a replay
        answer["access_token"] = guest_access_token(settings, order.id)
    return PlacedOrder(201, answer)


def _replay(settings: Settings, stored: StoredResponse) -> PlacedOrder:
    body = stored.body()
    if stored.caller == "guest" and stored.resource_id is not None:
        body["access_token"] = guest_access_token(settings, stored.resource_id)
    return PlacedOrder(stored.status_code, body)


def _asked_variants(body: OrderCreate) -> list[uuid.UUID]:
    return list(dict.fromkeys(line.variant_id for line in body.items))


def _check_lines(
    body: OrderCreate, variants: dict[uuid.UUID, VariantForSale]
) -> dict[uuid.UUID, VariantForSale]:
    """Every line names a distinct variant that is on sale now; else a 422 naming the lines."""
    errors: list[dict[str, object]] = []
    seen: set[uuid.UUID] = set()
    for index, line in enumerate(body.items):
        if line.variant_id in seen:
            errors.append(
                _line_error(
                    index,
                    gettext("This variant is already on another line; combine the quantities."),
                    "duplicate_line",
                )
            )
        seen.add(line.variant_id)
    for index, line in enumerate(body.items):
        variant = variants.get(line.variant_id)
        if variant is None or not variant.purchasable:
            errors.append(
                _line_error(
                    index,
                    gettext("This variant does not exist or is not on sale."),
                    "variant_unavailable",
                )
            )
    if errors:
        raise InvalidInput(errors=errors)
    checkout_rules.check_quantity_caps(body, variants)
    return variants


def _line_error(index: int, message: str, error_type: str) -> dict[str, object]:
    return {
        "loc": ["body", "items", index, "variant_id"],
        "msg": message,
        "type": error_type,
    }


async def _create_order(
    session: AsyncSession,
    order: Order,
    body: OrderCreate,
    variants: dict[uuid.UUID, VariantForSale],
    rates: RateTable,
    written: bool,
    numbers: Callable[[], str],
) -> CreatedOrder:
    """The order's seller-orders and lines, and its totals; the order INSERTed now unless the
    checkout's read already did (then its totals go with the next statement), the rest
    pending, from objects built in full (they answer the request)."""
    parts = _price_seller_orders(order, body, variants, rates)
    order.subtotal = sum(part.subtotal for part, _ in parts)
    order.shipping_total = sum(part.shipping for part, _ in parts)
    order.total = order.subtotal + order.shipping_total
    if written:
        update_later(session, order, completes_creation=True)
    else:  # SQLite, or its number was taken
        await _insert_with_unique_number(session, order, numbers)
    items = [
        _item(order, part, variants[variant_id], quantity, position)
        for part, lines in parts
        for position, variant_id, quantity in lines
    ]
    # Written by the next statement that writes (the payment's code or the stock's; nothing
    # reads them before it).
    insert_later(session, [part for part, _ in parts])
    hold_as_loaded(session, [part for part, _ in parts])
    insert_later(session, items)
    named_parts = [(part, variants[lines[0][1]].seller_name) for part, lines in parts]
    return CreatedOrder(
        order=order,
        parts=sorted(named_parts, key=lambda named: (named[0].created_at, named[0].id)),
        items=sorted(items, key=lambda item: (item.position, item.id)),
    )


@dataclass(frozen=True)
class CreatedOrder:
    """An order as just written: its seller-orders (with seller names) and lines, in the
    order a read of the order would list them."""

    order: Order
    parts: list[tuple[SellerOrder, str]]
    items: list[OrderItem]


async def _reserve_stock(session: AsyncSession, body: OrderCreate) -> None:
    """Every line or none: on any shortage the 409 rolls back the whole order."""
    quantities = {line.variant_id: line.quantity for line in body.items}
    shortages = await catalog_service.reserve_stock(session, quantities)
    if shortages:
        raise InsufficientStock(
            params={"count": len(shortages)},
            extra={
                "variants": [
                    {
                        "variant_id": str(s.variant_id),
                        "requested": s.requested,
                        "available": s.available,
                    }
                    for s in shortages
                ]
            },
        )


def _new_order(
    settings: Settings,
    buyer: User | None,
    body: OrderCreate,
    region_code: str | None,
    number: str,
) -> Order:
    address = body.shipping_address
    order_id, now = new_id(), utcnow()
    token_hash = None if buyer else hash_opaque_token(guest_access_token(settings, order_id))
    return Order(
        id=order_id,
        number=number,
        created_at=now,
        updated_at=now,
        access_token_hash=token_hash,
        buyer_user_id=buyer.id if buyer else None,
        buyer_name=body.buyer.name,
        buyer_email=str(body.buyer.email),
        buyer_email_lower=str(body.buyer.email).lower(),
        buyer_phone=body.buyer.phone,
        language=body.language or (buyer.language if buyer else current_language.get()),
        recipient=address.recipient,
        recipient_phone=address.phone,
        street=address.street,
        village=address.village,
        district=address.district,
        city=address.city,
        province=address.province,
        postal_code=address.postal_code,
        destination_region_code=region_code,
        notes=body.notes,
        payment_method=body.payment_method,
        shipping_method=body.shipping_method,
        status=OrderStatus.PENDING,
        payment_status=PaymentStatus.UNPAID,
        subtotal=0,
        shipping_total=0,
        total=0,
        expires_at=_expiry(settings, body.payment_method),
        paid_at=None,
        cancelled_at=None,
        completed_at=None,
        cancel_reason=None,
        payment_reminder_sent_at=None,
    )


def _expiry(settings: Settings, method: PaymentMethod) -> datetime | None:
    minutes = {
        PaymentMethod.BANK_TRANSFER: settings.order_expiry_minutes_bank_transfer,
        PaymentMethod.STRIPE: settings.order_expiry_minutes_stripe,
        PaymentMethod.QRIS: settings.order_expiry_minutes_qris,
    }.get(method)
    return utcnow() + timedelta(minutes=minutes) if minutes else None


async def _insert_with_unique_number(
    session: AsyncSession, order: Order, numbers: Callable[[], str]
) -> None:
    for attempt in range(_NUMBER_ATTEMPTS):
        if attempt:  # the first try is the number it was built with
            order.number = numbers()
        if await repository.insert_order_if_number_free(session, order):
            hold_as_loaded(session, [order])
            return
    raise RuntimeError("no free order number")  # pragma: no cover


SellerLines = list[tuple[int, uuid.UUID, int]]


def _price_seller_orders(
    order: Order, body: OrderCreate, variants: dict[uuid.UUID, VariantForSale], rates: RateTable
) -> list[tuple[SellerOrder, SellerLines]]:
    """One seller-order per seller (not yet added), with its lines (position, variant, qty)."""
    by_seller: dict[uuid.UUID, SellerLines] = {}
    for position, line in enumerate(body.items):
        seller_id = variants[line.variant_id].seller_id
        by_seller.setdefault(seller_id, []).append((position, line.variant_id, line.quantity))
    parts = []
    for seller_id, lines in by_seller.items():
        weight = sum(variants[v].weight_grams * q for _, v, q in lines)
        part = SellerOrder(
            id=new_id(),
            order_id=order.id,
            seller_id=seller_id,
            status=SellerOrderStatus.PENDING,
            subtotal=sum(variants[v].price * q for _, v, q in lines),
            shipping=rates.price(order.shipping_method, order.destination_region_code, weight),
            weight_grams=weight,
            # The order's own moment: the admin desk pages a seller's orders by its seller-orders.
            created_at=order.created_at,
            updated_at=order.created_at,
        )
        parts.append((part, lines))
    return parts


def _item(
    order: Order, part: SellerOrder, variant: VariantForSale, quantity: int, position: int
) -> OrderItem:
    return OrderItem(
        id=new_id(),
        order_id=order.id,
        seller_order_id=part.id,
        variant_id=variant.id,
        product_id=variant.product_id,
        title=variant.title,
        sku=variant.sku,
        quantity=quantity,
        unit_price=variant.price,
        line_total=variant.price * quantity,
        weight_grams=variant.weight_grams * quantity,
        position=position,
    )


def _payment_beside_order(settings: Settings, order: Order) -> Payment | None:
    """A bank transfer's first attempt, for the checkout's first statement to write beside
    the order with a code, when the codes an order may take do not depend on its total
    (booked as income: 1..999 added)."""
    income = settings.bank_transfer_unique_code_booking is UniqueCodeBooking.INCOME
    if order.payment_method is not PaymentMethod.BANK_TRANSFER or not income:
        return None
    return payments_service.first_transfer_payment(order.id, order.number)


async def _start_payment(
    session: AsyncSession,
    checkout: Checkout,
    order: Order,
    written: Payment | None,
    reads: checkout_reads.CheckoutReads,
) -> tuple[dict[str, object] | None, Payment | None]:
    """Card: a PaymentIntent. Bank transfer: waits with instructions (its attempt ``written``
    already, with the code ``reads`` took for it, or not). Cash on delivery: goes straight
    to processing. The instructions, and the payment row unless it is a card's."""
    settings = checkout.settings
    if written is not None:
        payment = await payments_service.finish_coded_payment(
            session,
            settings,
            written,
            amount=order.total,
            language=Language(order.language),
            taken_code=reads.taken_code,
        )
        return payment.instructions, payment
    if order.payment_method is PaymentMethod.STRIPE:
        await payments_service.start_card_payment(
            session,
            checkout.payments,
            order_id=order.id,
            order_number=order.number,
            amount=order.total,
            first_attempt=True,
        )
        return None, None
    payment = await payments_service.start_offline_payment(
        session,
        settings,
        order_id=order.id,
        order_number=order.number,
        method=order.payment_method,
        amount=order.total,
        language=Language(order.language),
        first_attempt=True,
    )
    if order.payment_method is PaymentMethod.COD:
        await lifecycle.start_processing(session, order)
    return payment.instructions, payment
