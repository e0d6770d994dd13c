"""Stripe webhook events, each applied exactly once: the event id is stored under a unique
key in the same transaction as the change it causes; a duplicate is acknowledged and ignored;
state checks stop a late or reordered event from moving an order backwards."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.orders import service as orders_service
from marketplace.payments import repository
from marketplace.payments import service as payments_service
from marketplace.payments.models import (
    Payment,
    PaymentAttemptStatus,
    Refund,
    RefundStatus,
    StripeEvent,
)
from marketplace.payments.service import PaymentRuntime
from marketplace.payments.stripe_gateway import (
    HUNDREDTHS_PER_RUPIAH,
    STRIPE_CURRENCY,
    WebhookEvent,
    from_stripe_amount,
)

logger = logging.getLogger("marketplace.payments")
HANDLED_TYPES = frozenset(
    {"payment_intent.succeeded", "payment_intent.payment_failed", "charge.refunded"}
)
UNDONE_REFUND_STATUSES = frozenset({"failed", "canceled"})


async def handle_event(session: AsyncSession, runtime: PaymentRuntime, event: WebhookEvent) -> str:
    """Apply ``event`` once; returns what happened (for the log and the response)."""
    if event.type not in HANDLED_TYPES:
        return "ignored_type"
    if not await _record_event(session, event):
        return "duplicate"
    obj: dict[str, Any] = event.data.get("object") or {}
    if event.type == "charge.refunded":
        outcome = await _charge_refunded(session, runtime, event, obj)
    else:
        outcome = await _payment_intent_event(session, runtime, event, obj)
    await _set_outcome(session, event.id, outcome)
    logger.info("stripe event %s %s: %s", event.id, event.type, outcome)
    return outcome


async def _record_event(session: AsyncSession, event: WebhookEvent) -> bool:
    """False when this event id was applied before (or is being applied right now: the
    unique key makes the second insert wait, then fail)."""
    if await repository.event_seen(session, event.id):
        return False
    try:
        async with session.begin_nested():
            session.add(StripeEvent(id=event.id, type=event.type, outcome="processing"))
            await session.flush()
    except IntegrityError:
        return False
    return True


async def _set_outcome(session: AsyncSession, event_id: str, outcome: str) -> None:
    stored = await session.get(StripeEvent, event_id)
    if stored is not None:
        stored.outcome = outcome
        await session.flush()


async def _payment_for_intent(session: AsyncSession, intent: dict[str, Any]) -> Payment | None:
    intent_id = intent.get("id")
    return await payments_service.payment_by_reference(session, intent_id) if intent_id else None


async def _payment_intent_event(
    session: AsyncSession, runtime: PaymentRuntime, event: WebhookEvent, intent: dict[str, Any]
) -> str:
    payment = await _payment_for_intent(session, intent)
    if payment is None:
        return "unknown_payment"
    if event.type == "payment_intent.payment_failed":
        return await _payment_failed(session, payment, intent)
    mismatch = _amount_mismatch(payment, intent)
    if mismatch:
        await payments_service.flag_anomaly(
            session,
            kind="amount_mismatch",
            detail=mismatch,
            payment_id=payment.id,
            event_id=event.id,
        )
        return "flagged_amount_mismatch"
    return await orders_service.apply_successful_payment(session, runtime, payment)


def _amount_mismatch(payment: Payment, intent: dict[str, Any]) -> str | None:
    amount = intent.get("amount_received") or intent.get("amount")
    currency = str(intent.get("currency", "")).lower()
    expected = payment.amount * HUNDREDTHS_PER_RUPIAH
    if currency != STRIPE_CURRENCY or amount != expected:
        return f"expected {expected} {STRIPE_CURRENCY}, got {amount} {currency}"
    return None


async def _payment_failed(session: AsyncSession, payment: Payment, intent: dict[str, Any]) -> str:
    """The order stays pending (the buyer may try again); a failure after success changes
    nothing."""
    if payment.status is not PaymentAttemptStatus.PENDING:
        return "ignored_not_pending"
    error = intent.get("last_payment_error") or {}
    payment.failure_message = str(error.get("message") or "payment failed")[:1000]
    await session.flush()
    return "failure_recorded"


async def _charge_refunded(
    session: AsyncSession, runtime: PaymentRuntime, event: WebhookEvent, charge: dict[str, Any]
) -> str:
    """Refunds we made are already recorded (from Stripe's answer); any other refund is
    recorded now, reflected on the payment and order, and flagged for an admin."""
    intent_id = charge.get("payment_intent")
    payment = await payments_service.payment_by_reference(session, intent_id) if intent_id else None
    if payment is None:
        return "unknown_payment"
    refunds = await _refunds_of_charge(runtime, str(intent_id), charge)
    known = await repository.refunds_by_provider_ids(session, list(refunds))
    new = {refund_id: amount for refund_id, amount in refunds.items() if refund_id not in known}
    for refund_id, amount in new.items():
        session.add(
            Refund(
                payment_id=payment.id,
                amount=amount,
                status=RefundStatus.SUCCEEDED,
                provider_refund_id=refund_id,
                reason="external",
            )
        )
        await orders_service.apply_external_refund(session, payment, amount)
        await payments_service.flag_anomaly(
            session,
            kind="external_refund",
            detail=f"refund {refund_id} of Rp {amount} made outside the marketplace",
            payment_id=payment.id,
            event_id=event.id,
        )
    await session.flush()
    return f"refunds_recorded:{len(new)}" if new else "refunds_already_known"


async def _refunds_of_charge(
    runtime: PaymentRuntime, intent_id: str, charge: dict[str, Any]
) -> dict[str, int]:
    """Refund id -> rupiah. Since API version 2022-11-15 a charge (in events too) no longer
    carries its ``refunds`` list, so unless the endpoint expands it, Stripe is asked."""
    listed = charge.get("refunds")
    if isinstance(listed, dict) and isinstance(listed.get("data"), list):
        return {
            str(raw["id"]): from_stripe_amount(int(raw.get("amount", 0)))
            for raw in listed["data"]
            if raw.get("id") and raw.get("status") not in UNDONE_REFUND_STATUSES
        }
    gateway = runtime.gateway
    return {
        refund.id: refund.amount
        for refund in await gateway.list_refunds(intent_id)
        if refund.status not in UNDONE_REFUND_STATUSES
    }
