"""Scheduled work of the orders domain: unpaid orders past their time give their stock back,
and cash-on-delivery parts nobody shipped in time are cancelled (their stock returns).
Safe on several instances at once: each sweep locks the rows it takes (SKIP LOCKED on
PostgreSQL), and the status change itself is conditional."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.db.session import sweep_in_batches
from marketplace.gateways import Gateways
from marketplace.orders import lifecycle, notices, repository
from marketplace.orders.models import Order
from marketplace.payments import service as payments_service

logger = logging.getLogger("marketplace.orders")
SWEEP_BATCH = 100


async def expire_due_orders(
    sessionmaker: async_sessionmaker[AsyncSession], gateways: Gateways
) -> int:
    """Cancel every pending order past its expiry (open card intents are cancelled at Stripe
    too); returns how many this sweep cancelled."""
    now = gateways.clock()

    async def take(session: AsyncSession, limit: int, skip_locked: bool) -> list[uuid.UUID]:
        return await repository.expired_order_ids(session, now, limit, skip_locked=skip_locked)

    async def expire(session: AsyncSession, ids: Sequence[uuid.UUID]) -> int:
        expired = 0
        for order_id in ids:
            order = await repository.get_order(session, order_id)
            if order is not None and await lifecycle.expire(session, gateways.payments, order):
                expired += 1
        return expired

    expired = await sweep_in_batches(
        sessionmaker, gateways.mailer, take, expire, batch_size=SWEEP_BATCH
    )
    if expired:
        logger.info("expired %d unpaid orders", expired)
    return expired


async def cancel_unshipped_cash_on_delivery(
    sessionmaker: async_sessionmaker[AsyncSession], gateways: Gateways
) -> int:
    """Cancel every cash-on-delivery seller-order not shipped within ``cod_ship_days`` of
    being placed; its stock returns (and the order is cancelled when nothing is left).
    Returns how many this sweep cancelled."""
    deadline = gateways.clock() - timedelta(days=gateways.settings.cod_ship_days)

    async def take(session: AsyncSession, limit: int, skip_locked: bool) -> list[uuid.UUID]:
        return await repository.overdue_cash_on_delivery_parts(
            session, deadline, limit, skip_locked=skip_locked
        )

    async def cancel(session: AsyncSession, ids: Sequence[uuid.UUID]) -> int:
        cancelled = 0
        for part_id in ids:
            part = await repository.get_seller_order(session, part_id)
            order = await repository.get_order(session, part.order_id) if part else None
            if part is not None and order is not None:
                await lifecycle.cancel_seller_order(session, gateways.payments, order, part)
                cancelled += 1
        return cancelled

    cancelled = await sweep_in_batches(
        sessionmaker, gateways.mailer, take, cancel, batch_size=SWEEP_BATCH
    )
    if cancelled:
        logger.info("cancelled %d cash-on-delivery parts not shipped in time", cancelled)
    return cancelled


async def remind_unpaid_transfers(
    sessionmaker: async_sessionmaker[AsyncSession], gateways: Gateways
) -> int:
    """One reminder per unpaid bank-transfer order, ``payment_reminder_hours`` before it
    expires; the conditional stamp on the order makes it once, however many sweepers run."""
    hours = gateways.settings.payment_reminder_hours
    if hours <= 0:
        return 0
    now = gateways.clock()

    async def take(session: AsyncSession, limit: int, skip_locked: bool) -> list[uuid.UUID]:
        return await repository.orders_to_remind(
            session, now, now + timedelta(hours=hours), limit, skip_locked=skip_locked
        )

    async def remind(session: AsyncSession, ids: Sequence[uuid.UUID]) -> int:
        reminded = 0
        for order_id in ids:
            if await repository.stamp_reminder(session, order_id, now):
                order = await repository.get_order(session, order_id)
                if order is not None:
                    await _remind(session, order)
                    reminded += 1
        return reminded

    reminded = await sweep_in_batches(
        sessionmaker, gateways.mailer, take, remind, batch_size=SWEEP_BATCH
    )
    if reminded:
        logger.info("reminded %d buyers of unpaid transfers", reminded)
    return reminded


async def _remind(session: AsyncSession, order: Order) -> None:
    payment = (await payments_service.latest_payments(session, [order.id])).get(order.id)
    await notices.buyer_payment_reminder(
        session, order, payment.instructions if payment is not None else None
    )
