"""SQL for orders, seller-orders, items, shipping rates and idempotency records."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Insert,
    RowMapping,
    String,
    and_,
    bindparam,
    cast,
    delete,
    func,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.core.phone import normalize_indonesian_phone
from marketplace.db.base import utcnow
from marketplace.db.core_statements import execute_core
from marketplace.db.pending_inserts import cast_table, column_values
from marketplace.db.queries import newest_first
from marketplace.db.session import rows_affected, select_mappings
from marketplace.orders.models import (
    IdempotencyRecord,
    Order,
    OrderItem,
    OrderStatus,
    PaymentStatus,
    SellerOrder,
    SellerOrderStatus,
    ShippingRate,
)
from marketplace.payments.models import PaymentMethod
from marketplace.sellers.models import Seller


async def get_order(
    session: AsyncSession, order_id: uuid.UUID, *, for_update: bool = False
) -> Order | None:
    query = select(Order).where(Order.id == order_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def seller_orders_of(
    session: AsyncSession, order_ids: Sequence[uuid.UUID]
) -> list[tuple[SellerOrder, str]]:
    """Seller-orders of the given orders, with each seller's name."""
    result = await session.execute(
        select(SellerOrder, Seller.name)
        .join(Seller, Seller.id == SellerOrder.seller_id)
        .where(SellerOrder.order_id.in_(order_ids))
        .order_by(SellerOrder.created_at, SellerOrder.id)
    )
    return [(seller_order, name) for seller_order, name in result.all()]


async def items_of(session: AsyncSession, order_ids: Sequence[uuid.UUID]) -> list[OrderItem]:
    result = await session.execute(
        select(OrderItem)
        .where(OrderItem.order_id.in_(order_ids))
        .order_by(OrderItem.position, OrderItem.id)
    )
    return list(result.scalars())


async def get_seller_order(
    session: AsyncSession, seller_order_id: uuid.UUID, *, for_update: bool = False
) -> SellerOrder | None:
    query = select(SellerOrder).where(SellerOrder.id == seller_order_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def move_order(
    session: AsyncSession,
    order_id: uuid.UUID,
    from_statuses: Sequence[OrderStatus],
    values: dict[str, Any],
) -> bool:
    """Conditional status change: True only for the one caller that moved it."""
    result = await session.execute(
        update(Order)
        .where(Order.id == order_id, Order.status.in_(from_statuses))
        .values(**values, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return rows_affected(result) == 1


async def move_seller_order(
    session: AsyncSession,
    seller_order_id: uuid.UUID,
    from_statuses: Sequence[SellerOrderStatus],
    values: dict[str, Any],
) -> bool:
    result = await session.execute(
        update(SellerOrder)
        .where(SellerOrder.id == seller_order_id, SellerOrder.status.in_(from_statuses))
        .values(**values, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return rows_affected(result) == 1


async def record_cash_collected(
    session: AsyncSession, seller_order_id: uuid.UUID, moment: datetime
) -> bool:
    """Cash on delivery: True only for the one caller that recorded the cash."""
    result = await session.execute(
        update(SellerOrder)
        .where(
            SellerOrder.id == seller_order_id,
            SellerOrder.status == SellerOrderStatus.DELIVERED,
            SellerOrder.cod_collected_at.is_(None),
        )
        .values(cod_collected_at=moment, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return rows_affected(result) == 1


async def list_buyer_orders(
    session: AsyncSession,
    user_id: uuid.UUID,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[Order]:
    query = select(Order).where(Order.buyer_user_id == user_id)
    query = newest_first(query, Order.created_at, Order.id, after, limit)
    return list((await session.execute(query)).scalars())


async def list_seller_orders(
    session: AsyncSession,
    seller_id: uuid.UUID,
    status: SellerOrderStatus | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[SellerOrder]:
    query = select(SellerOrder).where(SellerOrder.seller_id == seller_id)
    if status is not None:
        query = query.where(SellerOrder.status == status)
    query = newest_first(query, SellerOrder.created_at, SellerOrder.id, after, limit)
    return list((await session.execute(query)).scalars())


async def orders_by_ids(session: AsyncSession, order_ids: Sequence[uuid.UUID]) -> list[Order]:
    result = await session.execute(select(Order).where(Order.id.in_(order_ids)))
    return list(result.scalars())


async def expired_order_ids(
    session: AsyncSession, now: datetime, limit: int, *, skip_locked: bool
) -> list[uuid.UUID]:
    """Pending orders past their expiry, locked; other sweepers skip the rows we hold."""
    query = (
        select(Order.id)
        .where(Order.status == OrderStatus.PENDING, Order.expires_at < now)
        .order_by(Order.expires_at)
        .limit(limit)
        .with_for_update(skip_locked=skip_locked)
    )
    return list((await session.execute(query)).scalars())


async def shipping_rates(session: AsyncSession, region_code: str | None) -> list[ShippingRate]:
    condition = (
        ShippingRate.region_code == region_code
        if region_code is not None
        else ShippingRate.region_code.is_(None)
    )
    result = await session.execute(
        select(ShippingRate).where(condition).order_by(ShippingRate.max_weight_grams)
    )
    return list(result.scalars())


RatesVersion = tuple[int, str | None]


async def shipping_rates_version(session: AsyncSession) -> RatesVersion:
    """Changes whenever the rate table is replaced (new rows, new ids)."""
    return rates_version_of((await select_mappings(session, RATES_VERSION, {}))[0])


def rates_version_of(row: RowMapping) -> RatesVersion:
    """The version in a row of ``RATES_VERSION``'s columns."""
    return int(row["rates"]), None if row["newest_id"] is None else str(row["newest_id"])


_RATES_VERSION_COLUMNS: list[Any] = [
    func.count().label("rates"),
    # UUIDv7: the newest as text too
    func.max(cast(ShippingRate.id, String)).label("newest_id"),
]
RATES_VERSION = select(*_RATES_VERSION_COLUMNS).select_from(ShippingRate)


async def all_shipping_rates(session: AsyncSession) -> list[ShippingRate]:
    result = await session.execute(
        select(ShippingRate).order_by(
            ShippingRate.region_code.is_(None),
            ShippingRate.region_code,
            ShippingRate.max_weight_grams,
        )
    )
    return list(result.scalars())


async def replace_shipping_rates(session: AsyncSession, rates: list[ShippingRate]) -> None:
    await session.execute(delete(ShippingRate))
    session.add_all(rates)
    await session.flush()


_RECORD = cast_table(IdempotencyRecord)
# The record of a caller's key in a scope (parameters ``caller``, ``scope``, ``key``), its
# columns labelled for reading beside others' (orders/checkout_reads.py).
IDEMPOTENCY_KEY_MATCHES = and_(
    _RECORD.c.caller == bindparam("caller", type_=String),
    _RECORD.c.scope == bindparam("scope", type_=String),
    _RECORD.c.key == bindparam("key", type_=String),
)
STORED_RESPONSE_COLUMNS: list[Any] = [
    _RECORD.c.caller.label("stored_caller"),
    _RECORD.c.request_hash.label("stored_request_hash"),
    _RECORD.c.response_status.label("stored_status"),
    _RECORD.c.response_body.label("stored_body"),
    _RECORD.c.resource_id.label("stored_resource_id"),
]
IDEMPOTENCY_RECORD = select(*STORED_RESPONSE_COLUMNS).where(IDEMPOTENCY_KEY_MATCHES)


async def insert_order_if_number_free(session: AsyncSession, order: Order) -> bool:
    """INSERT the order unless its number is taken (then nothing, and False): no savepoint
    round trips for a clash that almost never happens."""
    statement = _insert_order_statement(session.get_bind().dialect.name)
    # Parameters, not values: nothing to coerce into the statement.
    result = await execute_core(session, statement, column_values(order))
    return result.scalar_one_or_none() is not None


@functools.cache
def _insert_order_statement(dialect: str) -> Insert:
    insert_for = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = cast_table(Order)
    return (
        insert_for(table)
        .on_conflict_do_nothing(index_elements=[table.c.number])
        .returning(table.c.id)
    )


async def try_advisory_lock(session: AsyncSession, lock_id: int) -> bool:
    """PostgreSQL only: a transaction-scoped lock that fails at once when someone holds it."""
    rows = await select_mappings(session, _ADVISORY_LOCK, {"lock_id": lock_id})
    return bool(rows[0]["locked"])


# True when taken (parameter ``lock_id``).
ADVISORY_LOCK = func.pg_try_advisory_xact_lock(bindparam("lock_id", type_=BigInteger))
_ADVISORY_LOCK = select(ADVISORY_LOCK.label("locked"))


async def overdue_cash_on_delivery_parts(
    session: AsyncSession, placed_before: datetime, limit: int, *, skip_locked: bool
) -> list[uuid.UUID]:
    """Cash-on-delivery seller-orders still waiting to ship, placed before the deadline;
    locked, and other sweepers skip the rows we hold."""
    query = (
        select(SellerOrder.id)
        .join(Order, Order.id == SellerOrder.order_id)
        .where(
            Order.payment_method == PaymentMethod.COD,
            SellerOrder.status == SellerOrderStatus.TO_SHIP,
            SellerOrder.created_at < placed_before,
        )
        .order_by(SellerOrder.created_at)
        .limit(limit)
        .with_for_update(of=SellerOrder, skip_locked=skip_locked)
    )
    return list((await session.execute(query)).scalars())


# Admin desk (issue 11)
@dataclass(frozen=True)
class OrderFilters:
    """What the admin desk narrows orders by; ``q`` is matched exactly against the order
    number, the buyer's e-mail (any case) or phone, and the seller-orders' tracking numbers."""

    q: str | None = None
    status: OrderStatus | None = None
    payment_status: PaymentStatus | None = None
    payment_method: PaymentMethod | None = None
    seller_id: uuid.UUID | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None


async def search_orders(
    session: AsyncSession,
    filters: OrderFilters,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[Order]:
    """Newest first, keyset-paginated; each condition is served by its own index."""
    query = select(Order)
    created_at: Any = Order.created_at
    order_id: Any = Order.id
    if filters.seller_id is not None:
        # Walk the seller's seller-orders (created with their order) newest first, so one
        # seller among many is an index range, not a scan of every order.
        query = query.join(SellerOrder, SellerOrder.order_id == Order.id).where(
            SellerOrder.seller_id == filters.seller_id
        )
        created_at, order_id = SellerOrder.created_at, SellerOrder.order_id
    if filters.q:
        query = query.where(Order.id.in_(_ids_matching(filters.q)))
    if filters.status is not None:
        query = query.where(Order.status == filters.status)
    if filters.payment_status is not None:
        query = query.where(Order.payment_status == filters.payment_status)
    if filters.payment_method is not None:
        query = query.where(Order.payment_method == filters.payment_method)
    if filters.created_from is not None:
        query = query.where(created_at >= filters.created_from)
    if filters.created_to is not None:
        query = query.where(created_at < filters.created_to)
    query = newest_first(query, created_at, order_id, after, limit)
    return list((await session.execute(query)).scalars())


def _ids_matching(q: str) -> Any:
    """Ids of the orders ``q`` names: one indexed equality per kind of identifier."""
    text = q.strip()
    parts = [
        select(Order.id).where(Order.number == text.upper()),
        select(SellerOrder.order_id).where(SellerOrder.tracking_number == text),
    ]
    if "@" in text:
        parts.append(select(Order.id).where(Order.buyer_email_lower == text.lower()))
    try:
        phone = normalize_indonesian_phone(text)
    except ValueError:
        phone = None
    if phone is not None:
        parts.append(select(Order.id).where(Order.buyer_phone == phone))
    return union_all(*parts)


async def get_order_by_number(session: AsyncSession, number: str) -> Order | None:
    result = await session.execute(select(Order).where(Order.number == number.strip().upper()))
    return result.scalar_one_or_none()


async def orders_to_remind(
    session: AsyncSession, now: datetime, until: datetime, limit: int, *, skip_locked: bool
) -> list[uuid.UUID]:
    """Pending bank-transfer orders expiring before ``until`` and not reminded yet (QRIS is
    paid on the spot, within its short expiry: no reminder)."""
    query = (
        select(Order.id)
        .where(
            Order.status == OrderStatus.PENDING,
            Order.payment_method == PaymentMethod.BANK_TRANSFER,
            Order.payment_reminder_sent_at.is_(None),
            Order.expires_at > now,
            Order.expires_at <= until,
        )
        .order_by(Order.expires_at)
        .limit(limit)
        .with_for_update(skip_locked=skip_locked)
    )
    return list((await session.execute(query)).scalars())


async def stamp_reminder(session: AsyncSession, order_id: uuid.UUID, now: datetime) -> bool:
    result = await session.execute(
        update(Order)
        .where(Order.id == order_id, Order.payment_reminder_sent_at.is_(None))
        .values(payment_reminder_sent_at=now)
        .execution_options(synchronize_session=False)
    )
    return rows_affected(result) == 1
