"""Scheduled work of the payments domain. Reconciliation: ask Stripe about card payments still
pending and apply what webhooks missed (idempotent: a payment already applied is left alone).
Settlement: release held money of seller-orders whose hold period has passed."""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.db.session import sweep_in_batches, unit_of_work
from marketplace.gateways import Gateways
from marketplace.orders import service as orders_service
from marketplace.payments import escrow
from marketplace.payments import repository as payments_repository
from marketplace.payments import service as payments_service
from marketplace.payments.ledger import PaidPart
from marketplace.payments.models import PaymentAttemptStatus, SettlementTrigger
from marketplace.payments.stripe_gateway import HUNDREDTHS_PER_RUPIAH, STRIPE_CURRENCY

logger = logging.getLogger("marketplace.payments")


async def reconcile_card_payments(
    sessionmaker: async_sessionmaker[AsyncSession],
    gateways: Gateways,
    *,
    older_than: timedelta = timedelta(minutes=5),
) -> Counter[str]:
    """Returns how many payments ended in each outcome."""
    runtime = gateways.payments
    async with sessionmaker() as session:
        stale = await payments_service.stale_card_payments(session, gateways.clock() - older_than)
        references = [(payment.id, payment.reference) for payment in stale if payment.reference]
    outcomes: Counter[str] = Counter()
    for payment_id, reference in references:
        intent = await runtime.gateway.retrieve_intent(reference)
        async with unit_of_work(sessionmaker, gateways.mailer) as session:
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
                    outcome = await orders_service.apply_successful_payment(
                        session, runtime, payment
                    )
                    outcomes[outcome] += 1
            elif intent.status == "canceled":
                payment.status = PaymentAttemptStatus.CANCELLED
                outcomes["cancelled"] += 1
            else:
                outcomes["still_pending"] += 1
    logger.info("reconciled card payments: %s", dict(outcomes))
    return outcomes


SETTLEMENT_BATCH = 100


async def settle_due_seller_orders(
    sessionmaker: async_sessionmaker[AsyncSession], gateways: Gateways
) -> int:
    """Release the money of every seller-order delivered more than ``settlement_hold_days``
    ago with no open complaint; returns how many this sweep settled. Safe on several
    instances at once: the orders are locked with SKIP LOCKED on PostgreSQL and each settles
    at most once."""
    cutoff = gateways.clock() - timedelta(days=gateways.settings.settlement_hold_days)

    async def take(session: AsyncSession, limit: int, skip_locked: bool) -> list[uuid.UUID]:
        return await payments_repository.due_settlement_order_ids(
            session, cutoff, limit, skip_locked=skip_locked
        )

    async def settle(session: AsyncSession, order_ids: Sequence[uuid.UUID]) -> int:
        settled = 0
        for part in await payments_repository.due_seller_orders(session, list(order_ids), cutoff):
            paid = PaidPart(
                seller_order_id=part.id,
                seller_id=part.seller_id,
                goods=part.subtotal,
                shipping=part.shipping,
            )
            if await escrow.settle(session, paid, SettlementTrigger.HOLD_ELAPSED):
                settled += 1
        return settled

    settled = await sweep_in_batches(
        sessionmaker, gateways.mailer, take, settle, batch_size=SETTLEMENT_BATCH
    )
    if settled:
        logger.info("settled %d seller-orders after the hold period", settled)
    return settled
