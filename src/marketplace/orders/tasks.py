"""Scheduled work of the orders domain: unpaid orders past their time give their stock back,
and cash-on-delivery parts nobody shipped in time are cancelled (their stock returns).
Safe on several instances at once: each sweep locks the rows it takes (SKIP LOCKED on
PostgreSQL), and the status change itself is conditional."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.config import Settings
from marketplace.db.base import utcnow
from marketplace.db.session import begin_write_transaction
from marketplace.orders import lifecycle, notices, repository
from marketplace.orders.models import Order
from marketplace.payments import service as payments_service
from marketplace.payments.service import PaymentRuntime

logger = logging.getLogger("marketplace.orders")
SWEEP_BATCH = 100


async def expire_due_orders(
    sessionmaker: async_sessionmaker[AsyncSession], runtime: PaymentRuntime | None = None
) -> int:
    """Cancel every pending order past its expiry; returns how many this sweep cancelled.
    With ``runtime``, open card intents are cancelled at Stripe as well."""
    expired = 0
    while True:
        async with sessionmaker() as session:
            if runtime is not None:
                payments_service.bind_runtime(session, runtime)
            await begin_write_transaction(session)
            skip_locked = session.get_bind().dialect.name == "postgresql"
            ids = await repository.expired_order_ids(
                session, utcnow(), SWEEP_BATCH, skip_locked=skip_locked
            )
            for order_id in ids:
                order = await repository.get_order(session, order_id)
                if order is not None and await lifecycle.expire(session, order):
                    expired += 1
            await session.commit()
        if len(ids) < SWEEP_BATCH:
            break
    if expired:
        logger.info("expired %d unpaid orders", expired)
    return expired


async def cancel_unshipped_cash_on_delivery(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    runtime: PaymentRuntime | None = None,
) -> int:
    """Cancel every cash-on-delivery seller-order not shipped within ``cod_ship_days`` of
    being placed; its stock returns (and the order is cancelled when nothing is left).
    Returns how many this sweep cancelled."""
    cancelled = 0
    deadline = utcnow() - timedelta(days=settings.cod_ship_days)
    while True:
        async with sessionmaker() as session:
            if runtime is not None:
                payments_service.bind_runtime(session, runtime)
            await begin_write_transaction(session)
            skip_locked = session.get_bind().dialect.name == "postgresql"
            ids = await repository.overdue_cash_on_delivery_parts(
                session, deadline, SWEEP_BATCH, skip_locked=skip_locked
            )
            for part_id in ids:
                part = await repository.get_seller_order(session, part_id)
                order = await repository.get_order(session, part.order_id) if part else None
                if part is not None and order is not None:
                    await lifecycle.cancel_seller_order(session, order, part)
                    cancelled += 1
            await session.commit()
        if len(ids) < SWEEP_BATCH:
            break
    if cancelled:
        logger.info("cancelled %d cash-on-delivery parts not shipped in time", cancelled)
    return cancelled


async def remind_unpaid_transfers(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> int:
    """One reminder per unpaid bank-transfer order, ``payment_reminder_hours`` before it
    expires; the conditional stamp on the order makes it once, however many sweepers run."""
    if settings.payment_reminder_hours <= 0:
        return 0
    reminded = 0
    while True:
        async with sessionmaker() as session:
            await begin_write_transaction(session)
            now = utcnow()
            ids = await repository.orders_to_remind(
                session,
                now,
                now + timedelta(hours=settings.payment_reminder_hours),
                SWEEP_BATCH,
                skip_locked=session.get_bind().dialect.name == "postgresql",
            )
            for order_id in ids:
                if await repository.stamp_reminder(session, order_id, now):
                    order = await repository.get_order(session, order_id)
                    if order is not None:
                        await _remind(session, order)
                        reminded += 1
            await session.commit()
        if len(ids) < SWEEP_BATCH:
            break
    if reminded:
        logger.info("reminded %d buyers of unpaid transfers", reminded)
    return reminded


async def _remind(session: AsyncSession, order: Order) -> None:
    payment = (await payments_service.latest_payments(session, [order.id])).get(order.id)
    await notices.buyer_payment_reminder(
        session, order, payment.instructions if payment is not None else None
    )
