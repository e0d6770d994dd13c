"""SQL for orders, seller-orders, items, shipping rates and idempotency records."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.db.base import utcnow
from marketplace.db.queries import newest_first
from marketplace.db.session import rows_affected
from marketplace.orders.models import (
    IdempotencyRecord,
    Order,
    OrderItem,
    OrderStatus,
    SellerOrder,
    SellerOrderStatus,
    ShippingRate,
)
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


async def get_idempotency_record(
    session: AsyncSession, caller: str, scope: str, key: str
) -> IdempotencyRecord | None:
    result = await session.execute(
        select(IdempotencyRecord).where(
            IdempotencyRecord.caller == caller,
            IdempotencyRecord.scope == scope,
            IdempotencyRecord.key == key,
        )
    )
    return result.scalar_one_or_none()


async def try_advisory_lock(session: AsyncSession, lock_id: int) -> bool:
    """PostgreSQL only: a transaction-scoped lock that fails at once when someone holds it."""
    result = await session.execute(select(func.pg_try_advisory_xact_lock(lock_id)))
    return bool(result.scalar_one())
