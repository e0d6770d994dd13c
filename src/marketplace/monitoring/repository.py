"""Counts for the metrics endpoint: one grouped query per figure, read-only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.notifications.models import OutboxEmail
from marketplace.orders.models import Order
from marketplace.payments.models import Payment


async def orders_by_status(session: AsyncSession) -> list[tuple[Any, int]]:
    rows = await session.execute(select(Order.status, func.count()).group_by(Order.status))
    return [(status, count) for status, count in rows.all()]


async def payments_by_method_and_status(session: AsyncSession) -> list[tuple[Any, int]]:
    rows = await session.execute(
        select(Payment.method, Payment.status, func.count()).group_by(
            Payment.method, Payment.status
        )
    )
    return [(f"{method.value}:{status.value}", count) for method, status, count in rows.all()]


async def outbox_by_status(session: AsyncSession) -> list[tuple[Any, int]]:
    rows = await session.execute(
        select(OutboxEmail.status, func.count()).group_by(OutboxEmail.status)
    )
    return [(status, count) for status, count in rows.all()]
