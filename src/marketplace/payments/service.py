"""Payment attempts: creating them per method, recording that they were paid. Orders call in
here; nothing here moves an order (that is the orders domain's job)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.config import Settings, UniqueCodeBooking
from marketplace.core.i18n import Language
from marketplace.core.pagination import CursorCodec, parse_time_and_id, split_page, time_and_id
from marketplace.core.schemas import Page
from marketplace.db.base import utcnow
from marketplace.db.pending_inserts import (
    built_in_full,
    hold_as_loaded,
    insert_later,
    update_later,
    write_pending,
)
from marketplace.db.session import after_rollback
from marketplace.payments import instructions, repository, transfer_codes
from marketplace.payments.exceptions import QrisUnavailable
from marketplace.payments.models import (
    Payment,
    PaymentAnomaly,
    PaymentAttemptStatus,
    PaymentMethod,
    Refund,
    RefundStatus,
)
from marketplace.payments.schemas import AnomalyRead, LedgerEntryRead
from marketplace.payments.stripe_gateway import PaymentProviderError, StripeGateway


async def start_offline_payment(
    session: AsyncSession,
    settings: Settings,
    *,
    order_id: uuid.UUID,
    order_number: str,
    method: PaymentMethod,
    amount: int,
    language: Language,
    first_attempt: bool = False,
) -> Payment:
    """A bank-transfer, QRIS or cash-on-delivery attempt (no money moves until confirmed).
    Transfers and QRIS carry a unique code, so their amount identifies them on a statement."""
    if method is PaymentMethod.QRIS and not settings.qris_merchant_payload:
        raise QrisUnavailable()
    if not first_attempt:
        await repository.cancel_open_payments(session, order_id)
    pending = PaymentAttemptStatus.PENDING
    payment = built_in_full(
        Payment(order_id=order_id, method=method, status=pending, amount=amount)
    )
    if method not in instructions.CODED_METHODS:
        await write_pending(session)  # what comes next (cash on delivery) reads them
        session.add(payment)
        await session.flush()
        return payment
    attempt = 1 if first_attempt else len(await repository.payments_of_order(session, order_id)) + 1
    payment.reference = order_number if attempt == 1 else f"{order_number}-{attempt}"
    insert_later(session, [payment])  # written by the statement that takes its code
    return await finish_coded_payment(
        session, settings, payment, amount=amount, language=language, taken_code=None
    )


def first_transfer_payment(order_id: uuid.UUID, order_number: str) -> Payment:
    """An order's first bank-transfer attempt built in full, for a checkout's first statement
    to insert beside the order with a code (``finish_coded_payment`` completes it)."""
    return built_in_full(
        Payment(
            order_id=order_id,
            method=PaymentMethod.BANK_TRANSFER,
            status=PaymentAttemptStatus.PENDING,
            amount=0,  # the total with its code, once both are known
            reference=order_number,
        )
    )


async def finish_coded_payment(
    session: AsyncSession,
    settings: Settings,
    payment: Payment,
    *,
    amount: int,
    language: Language,
    taken_code: int | None,
) -> Payment:
    """A transfer or QRIS attempt's code (``taken_code`` when one was taken for it already;
    503 when none is free), amount and instructions. The payment's row is written, or
    pending; these go with the next statement (a checkout's stock reservation) rather than
    an UPDATE round trip of their own."""
    hold_as_loaded(session, [payment])
    await transfer_codes.take(session, settings, payment, amount, taken=taken_code)
    instructions.describe(settings, payment, amount, language)
    update_later(session, payment, completes_creation=True)
    return payment


async def get_payment(
    session: AsyncSession, payment_id: uuid.UUID, *, for_update: bool = False
) -> Payment | None:
    return await repository.get_payment(session, payment_id, for_update=for_update)


async def latest_payments(
    session: AsyncSession, order_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Payment]:
    return await repository.latest_payments(session, order_ids)


async def mark_paid(
    session: AsyncSession, payment: Payment, confirmed_by: uuid.UUID | None
) -> None:
    """Paid: a unique code goes back to the pool and is booked in the platform's ledger."""
    payment.status = PaymentAttemptStatus.PAID
    payment.paid_at = utcnow()
    payment.confirmed_by = confirmed_by
    await session.flush()
    await repository.release_transfer_code(session, payment.id)
    if payment.unique_code:
        await transfer_codes.book(session, payment)


async def cancel_open_payments(
    session: AsyncSession, runtime: PaymentRuntime, order_id: uuid.UUID
) -> None:
    """Void the order's open attempts; open card intents are cancelled at Stripe too, so the
    card can no longer be charged (a charge that still slips through is refunded on arrival)."""
    if runtime.gateway.configured:
        for reference in await repository.open_card_references(session, order_id):
            try:
                await runtime.gateway.cancel_intent(reference)
            except PaymentProviderError:
                logger.warning("could not cancel PaymentIntent %s at Stripe", reference)
    await repository.cancel_open_payments(session, order_id)


@dataclass(frozen=True)
class PaymentRuntime:
    """What money-moving code needs besides the session: settings and the Stripe adapter."""

    settings: Settings
    gateway: StripeGateway


async def start_card_payment(
    session: AsyncSession,
    runtime: PaymentRuntime,
    *,
    order_id: uuid.UUID,
    order_number: str,
    amount: int,
    first_attempt: bool = False,
) -> Payment:
    """A PaymentIntent for the order total; its client_secret goes to the buyer's browser.
    Should the transaction not commit (e.g. out of stock), the intent is cancelled again."""
    attempt = 1
    if not first_attempt:
        attempt = len(await repository.payments_of_order(session, order_id)) + 1
        await repository.cancel_open_payments(session, order_id)
    intent = await runtime.gateway.create_intent(
        rupiah=amount,
        order_id=str(order_id),
        order_number=order_number,
        idempotency_key=f"order-{order_id}-attempt-{attempt}",
    )

    async def cancel_unused_intent() -> None:
        try:
            await runtime.gateway.cancel_intent(intent.id)
        except PaymentProviderError:
            logger.warning("could not cancel unused PaymentIntent %s", intent.id)

    after_rollback(session, cancel_unused_intent)
    payment = Payment(
        order_id=order_id,
        method=PaymentMethod.STRIPE,
        status=PaymentAttemptStatus.PENDING,
        amount=amount,
        reference=intent.id,
        client_secret=intent.client_secret,
    )
    session.add(payment)
    await session.flush()
    return payment


logger = logging.getLogger("marketplace.payments")
REUSABLE_INTENT_STATUSES = frozenset(
    {"requires_payment_method", "requires_confirmation", "requires_action", "processing"}
)


async def reuse_or_replace_card_payment(
    session: AsyncSession,
    runtime: PaymentRuntime,
    *,
    order_id: uuid.UUID,
    order_number: str,
    amount: int,
) -> Payment:
    """The open card attempt when its intent can still be paid; else cancel it and start anew."""
    latest = (await repository.latest_payments(session, [order_id])).get(order_id)
    if latest is not None and latest.method is PaymentMethod.STRIPE and latest.reference:
        if latest.status is PaymentAttemptStatus.PENDING:
            intent = await runtime.gateway.retrieve_intent(latest.reference)
            if intent.status in REUSABLE_INTENT_STATUSES and intent.amount == amount * 100:
                return latest
            if intent.status not in ("canceled", "succeeded"):
                await runtime.gateway.cancel_intent(latest.reference)
    return await start_card_payment(
        session, runtime, order_id=order_id, order_number=order_number, amount=amount
    )


async def cancel_open_card_intent(
    session: AsyncSession, runtime: PaymentRuntime, order_id: uuid.UUID
) -> None:
    """The buyer pays another way now: the open PaymentIntent is cancelled at Stripe too, so
    the card it was shown to can no longer be charged for this order."""
    latest = (await repository.latest_payments(session, [order_id])).get(order_id)
    if (
        latest is None
        or latest.method is not PaymentMethod.STRIPE
        or latest.status is not PaymentAttemptStatus.PENDING
        or not latest.reference
    ):
        return
    intent = await runtime.gateway.retrieve_intent(latest.reference)
    if intent.status not in ("canceled", "succeeded"):
        await runtime.gateway.cancel_intent(latest.reference)


async def refund(
    session: AsyncSession,
    runtime: PaymentRuntime,
    payment: Payment,
    amount: int,
    *,
    key: str,
    seller_order_id: uuid.UUID | None,
    reason: str,
) -> Refund:
    """Give ``amount`` back: through Stripe for cards (recorded from its answer), recorded for
    manual settlement for bank transfers and cash."""
    amount = min(amount, payment.amount - payment.refunded_amount)
    if payment.method is PaymentMethod.STRIPE and payment.reference:
        answer = await runtime.gateway.refund(
            intent_id=payment.reference, rupiah=amount, idempotency_key=key
        )
        record = Refund(
            payment_id=payment.id,
            seller_order_id=seller_order_id,
            amount=answer.amount,
            status=RefundStatus.SUCCEEDED if answer.status == "succeeded" else RefundStatus.PENDING,
            provider_refund_id=answer.id,
            reason=reason,
        )
    else:
        record = Refund(
            payment_id=payment.id,
            seller_order_id=seller_order_id,
            amount=amount,
            status=RefundStatus.MANUAL,
            reason=reason,
        )
    session.add(record)
    payment.refunded_amount += record.amount
    payment.status = (
        PaymentAttemptStatus.REFUNDED
        if payment.refunded_amount >= payment.amount
        else PaymentAttemptStatus.PARTIALLY_REFUNDED
    )
    await session.flush()
    return record


async def record_external_refund(session: AsyncSession, payment: Payment, amount: int) -> bool:
    """A refund made outside the app (Stripe's dashboard) is recorded on the payment;
    returns whether the payment is now refunded in full."""
    payment.refunded_amount = min(payment.amount, payment.refunded_amount + amount)
    fully = payment.refunded_amount >= payment.amount
    payment.status = (
        PaymentAttemptStatus.REFUNDED if fully else PaymentAttemptStatus.PARTIALLY_REFUNDED
    )
    await session.flush()
    return fully


async def paid_payment_of(session: AsyncSession, order_id: uuid.UUID) -> Payment | None:
    for payment in reversed(await repository.payments_of_order(session, order_id)):
        if payment.status in (
            PaymentAttemptStatus.PAID,
            PaymentAttemptStatus.PARTIALLY_REFUNDED,
        ):
            return payment
    return None


async def refunded_total(session: AsyncSession, order_id: uuid.UUID) -> int:
    return sum(p.refunded_amount for p in await repository.payments_of_order(session, order_id))


async def payment_by_reference(session: AsyncSession, reference: str) -> Payment | None:
    return await repository.get_payment_by_reference(session, reference)


async def flag_anomaly(
    session: AsyncSession,
    *,
    kind: str,
    detail: str,
    payment_id: uuid.UUID | None = None,
    event_id: str | None = None,
) -> None:
    session.add(PaymentAnomaly(payment_id=payment_id, event_id=event_id, kind=kind, detail=detail))
    await session.flush()


async def ledger_page(
    session: AsyncSession,
    codec: CursorCodec,
    seller_id: uuid.UUID,
    limit: int,
    cursor: str | None,
) -> Page[LedgerEntryRead]:
    after = codec.decode_as(cursor, parse_time_and_id) if cursor else None
    entries = await repository.ledger_entries(session, seller_id, after, limit + 1)
    page, next_cursor = split_page(
        entries, limit, codec, lambda entry: time_and_id(entry.created_at, entry.id)
    )
    return Page(
        items=[LedgerEntryRead.model_validate(entry) for entry in page], next_cursor=next_cursor
    )


async def list_anomalies(session: AsyncSession, limit: int) -> list[AnomalyRead]:
    return [AnomalyRead.model_validate(a) for a in await repository.list_anomalies(session, limit)]


async def stale_card_payments(session: AsyncSession, created_before: datetime) -> list[Payment]:
    return await repository.pending_card_payments(session, created_before)


async def reprice_open_payment(
    session: AsyncSession,
    runtime: PaymentRuntime,
    *,
    order_id: uuid.UUID,
    amount: int,
    language: Language,
) -> None:
    """The order now costs ``amount``: the open attempt asks for that (a card intent is
    updated in place, so the buyer's client_secret stays valid)."""
    payment = (await repository.latest_payments(session, [order_id])).get(order_id)
    if payment is None or payment.status is not PaymentAttemptStatus.PENDING:
        return
    if payment.method is PaymentMethod.STRIPE and payment.reference:
        await runtime.gateway.update_intent_amount(payment.reference, amount)
    if payment.method in instructions.CODED_METHODS and payment.reference:
        booking = UniqueCodeBooking(
            (payment.instructions or {}).get("unique_code_booking", "income")
        )
        payment.amount = transfer_codes.amount_with_code(amount, payment.unique_code, booking)
        instructions.describe(runtime.settings, payment, amount, language)
    else:
        payment.amount = amount
    await session.flush()
