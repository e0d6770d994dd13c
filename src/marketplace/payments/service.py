"""Payment attempts: creating them per method, recording that they were paid. Orders call in
here; nothing here moves an order (that is the orders domain's job)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.config import Settings
from marketplace.core.formatting import format_rupiah
from marketplace.core.i18n import Language
from marketplace.db.base import utcnow
from marketplace.orders.models import PaymentMethod
from marketplace.payments import repository
from marketplace.payments.models import Payment, PaymentAttemptStatus


def bank_transfer_instructions(
    settings: Settings, amount: int, reference: str, language: Language
) -> dict[str, Any]:
    """What the buyer needs to pay by transfer; the reference identifies the order."""
    if language is Language.ENGLISH:
        text = (
            f"Transfer exactly {format_rupiah(amount)} to {settings.bank_transfer_bank_name} "
            f"account {settings.bank_transfer_account_number} "
            f"({settings.bank_transfer_account_holder}) with reference {reference}."
        )
    else:
        text = (
            f"Transfer tepat {format_rupiah(amount)} ke rekening "
            f"{settings.bank_transfer_bank_name} {settings.bank_transfer_account_number} "
            f"a.n. {settings.bank_transfer_account_holder} dengan berita {reference}."
        )
    return {
        "bank_name": settings.bank_transfer_bank_name,
        "account_number": settings.bank_transfer_account_number,
        "account_holder": settings.bank_transfer_account_holder,
        "amount": amount,
        "currency": "IDR",
        "reference": reference,
        "text": text,
    }


async def start_offline_payment(
    session: AsyncSession,
    settings: Settings,
    *,
    order_id: uuid.UUID,
    order_number: str,
    method: PaymentMethod,
    amount: int,
    language: Language,
) -> Payment:
    """A bank-transfer or cash-on-delivery attempt (no money moves until confirmed)."""
    await repository.cancel_open_payments(session, order_id)
    payment = Payment(
        order_id=order_id,
        method=method,
        status=PaymentAttemptStatus.PENDING,
        amount=amount,
    )
    if method is PaymentMethod.BANK_TRANSFER:
        attempt = len(await repository.payments_of_order(session, order_id)) + 1
        reference = order_number if attempt == 1 else f"{order_number}-{attempt}"
        payment.reference = reference
        payment.instructions = bank_transfer_instructions(settings, amount, reference, language)
    session.add(payment)
    await session.flush()
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
    payment.status = PaymentAttemptStatus.PAID
    payment.paid_at = utcnow()
    payment.confirmed_by = confirmed_by
    await session.flush()


async def cancel_open_payments(session: AsyncSession, order_id: uuid.UUID) -> None:
    await repository.cancel_open_payments(session, order_id)
