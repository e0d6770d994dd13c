"""Reconciliation: ask Stripe about card payments still pending and apply what webhooks
missed. Idempotent: a payment already applied is left alone, so it can run any time."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.db.base import utcnow
from marketplace.db.session import begin_write_transaction
from marketplace.orders import service as orders_service
from marketplace.payments import service as payments_service
from marketplace.payments.models import PaymentAttemptStatus
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
