"""Scheduled work of the payments domain. Reconciliation: ask Stripe about card payments still
pending and apply what webhooks missed (idempotent: a payment already applied is left alone).
Settlement: release held money of seller-orders whose hold period has passed."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.db.base import utcnow
from marketplace.db.session import begin_write_transaction
from marketplace.orders import service as orders_service
from marketplace.payments import escrow
from marketplace.payments import repository as payments_repository
from marketplace.payments import service as payments_service
from marketplace.payments.ledger import PaidPart
from marketplace.payments.models import PaymentAttemptStatus, SettlementTrigger
from marketplace.payments.service import PaymentRuntime
from marketplace.payments.stripe_gateway import HUNDREDTHS_PER_RUPIAH, STRIPE_CURRENCY

logger = logging.getLogger("marketplace.payments")


async def reconcile_card_payments(
    sessionmaker: async_sessionmaker[AsyncSession],
    runtime: PaymentRuntime,
    *,
    older_than: timedelta = timedelta(minutes=5),
) -> Counter[str]:
    """Returns how many payments ended in each outcome."""
    async with sessionmaker() as session:
        stale = await payments_service.stale_card_payments(session, utcnow() - older_than)
        references = [(payment.id, payment.reference) for payment in stale if payment.reference]
    outcomes: Counter[str] = Counter()
    for payment_id, reference in references:
        intent = await runtime.gateway.retrieve_intent(reference)
        async with sessionmaker() as session:
            payments_service.bind_runtime(session, runtime)
            await begin_write_transaction(session)
            payment = await payments_service.get_payment(session, payment_id)
            if payment is None or payment.status is not PaymentAttemptStatus.PENDING:
                outcomes["already_settled"] += 1
            elif intent.status == "succeeded":
                expected = payment.amount * HUNDREDTHS_PER_RUPIAH
                if intent.amount != expected or intent.currency != STRIPE_CURRENCY:
                    await payments_service.flag_anomaly(
                        session,
                        kind="amount_mismatch",
                        detail=(
                            f"reconcile: expected {expected}, got {intent.amount} {intent.currency}"
                        ),
                        payment_id=payment.id,
                    )
                    outcomes["flagged"] += 1
                else:
                    outcomes[await orders_service.apply_successful_payment(session, payment)] += 1
            elif intent.status == "canceled":
                payment.status = PaymentAttemptStatus.CANCELLED
                outcomes["cancelled"] += 1
            else:
                outcomes["still_pending"] += 1
            await session.commit()
    logger.info("reconciled card payments: %s", dict(outcomes))
    return outcomes


SETTLEMENT_BATCH = 100


async def settle_due_seller_orders(
    sessionmaker: async_sessionmaker[AsyncSession], hold_days: int
) -> int:
    """Release the money of every seller-order delivered more than ``hold_days`` ago with no
    open complaint; returns how many this sweep settled. Safe on several instances at once:
    the orders are locked with SKIP LOCKED on PostgreSQL and each settles at most once."""
    settled = 0
    while True:
        async with sessionmaker() as session:
            await begin_write_transaction(session)
            cutoff = utcnow() - timedelta(days=hold_days)
            skip_locked = session.get_bind().dialect.name == "postgresql"
            order_ids = await payments_repository.due_settlement_order_ids(
                session, cutoff, SETTLEMENT_BATCH, skip_locked=skip_locked
            )
            for part in await payments_repository.due_seller_orders(session, order_ids, cutoff):
                paid = PaidPart(
                    seller_order_id=part.id,
                    seller_id=part.seller_id,
                    goods=part.subtotal,
                    shipping=part.shipping,
                )
                if await escrow.settle(session, paid, SettlementTrigger.HOLD_ELAPSED):
                    settled += 1
            await session.commit()
        if len(order_ids) < SETTLEMENT_BATCH:
            break
    if settled:
        logger.info("settled %d seller-orders after the hold period", settled)
    return settled
