"""Unique codes for transfers: 1..999 added to (or taken off) an order total so that the
amount alone tells which open transfer a bank-statement credit pays. A code is held in
``transfer_codes`` (primary key = code) while its payment is open, so two racing orders can
never hold one code: the second insert does nothing and tries another."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.config import Settings, UniqueCodeBooking
from marketplace.payments import repository
from marketplace.payments.exceptions import TransferCodesExhausted
from marketplace.payments.models import (
    Payment,
    PlatformEntryKind,
    PlatformLedgerEntry,
)

MAX_CODE = 999
_ATTEMPTS = 30


class NoFreeTransferCode(Exception):
    """Every code is held by an open transfer (or the total is too small for a discount)."""


def code_range(total: int, booking: UniqueCodeBooking) -> range:
    """The codes an order of ``total`` may take: a discount never brings it to zero."""
    upper = MAX_CODE if booking is UniqueCodeBooking.INCOME else min(MAX_CODE, total - 1)
    return range(1, upper + 1)


def amount_with_code(total: int, code: int | None, booking: UniqueCodeBooking) -> int:
    if code is None:
        return total
    return total + code if booking is UniqueCodeBooking.INCOME else total - code


async def allocate(
    session: AsyncSession, payment_id: uuid.UUID, total: int, booking: UniqueCodeBooking
) -> int:
    """A code no other open transfer holds, taken for ``payment_id`` in one statement each
    try: a code another transaction took meanwhile (or still holds uncommitted) only costs
    one more try, and none left at all ends the tries at once."""
    allowed = code_range(total, booking)
    if not allowed:
        raise NoFreeTransferCode()
    for _ in range(_ATTEMPTS):
        code = await repository.take_free_transfer_code(session, payment_id, allowed[-1])
        if code is not None:
            return code
        if not await repository.any_transfer_code_free(session, allowed[-1]):
            break
    raise NoFreeTransferCode()


async def take(
    session: AsyncSession,
    settings: Settings,
    payment: Payment,
    total: int,
    *,
    taken: int | None = None,
) -> None:
    """Give ``payment`` a code and the amount that goes with it (503 when none is free);
    ``taken``: the code already taken for it (by a checkout's first statement)."""
    booking = settings.bank_transfer_unique_code_booking
    try:
        code = taken if taken is not None else await allocate(session, payment.id, total, booking)
    except NoFreeTransferCode as error:
        raise TransferCodesExhausted() from error
    payment.unique_code = code
    payment.amount = amount_with_code(total, code, booking)
    payment.instructions = {"unique_code_booking": booking.value}


async def book(session: AsyncSession, payment: Payment) -> None:
    """A confirmed payment's code in the platform's ledger, the way it was offered."""
    booking = (payment.instructions or {}).get("unique_code_booking", "income")
    code = payment.unique_code or 0
    income = booking == UniqueCodeBooking.INCOME.value
    session.add(
        PlatformLedgerEntry(
            kind=PlatformEntryKind.UNIQUE_CODE_INCOME
            if income
            else PlatformEntryKind.UNIQUE_CODE_DISCOUNT,
            amount=code if income else -code,
            payment_id=payment.id,
            order_id=payment.order_id,
            reference=payment.reference or str(payment.id),
        )
    )
    await session.flush()
