"""Scheduled work of the orders domain: unpaid orders past their time give their stock back.
Safe on several instances at once: each sweep locks the rows it takes (SKIP LOCKED on
PostgreSQL), and the status change itself is conditional."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.db.base import utcnow
from marketplace.db.session import begin_write_transaction
from marketplace.orders import lifecycle, repository
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
