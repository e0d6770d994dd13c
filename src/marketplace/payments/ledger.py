"""The sellers' ledger: a credit for each paid seller-order less the platform commission, a
debit for each refund, payouts by admins. A balance is always a sum of entries."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.core.errors import Conflict
from marketplace.payments import repository
from marketplace.payments.models import LedgerEntry, LedgerKind

BASIS_POINTS = 10_000


class PayoutExceedsBalance(Conflict):
    problem = "payout-exceeds-balance"


@dataclass(frozen=True)
class PaidPart:
    """What the ledger needs of one seller-order."""

    seller_order_id: uuid.UUID
    seller_id: uuid.UUID
    goods: int
    shipping: int


def commission_on(goods: int, basis_points: int) -> int:
    """Rounded down: a fraction of a rupiah stays with the seller."""
    return goods * basis_points // BASIS_POINTS


async def _add_once(session: AsyncSession, entry: LedgerEntry) -> bool:
    """Insert unless the same (seller-order, kind, reference) is already there."""
    try:
        async with session.begin_nested():
            session.add(entry)
            await session.flush()
    except IntegrityError:
        return False
    return True


async def credit_sale(
    session: AsyncSession, part: PaidPart, basis_points: int, reference: str
) -> None:
    """Goods and shipping to the seller, commission to the platform: once per seller-order."""
    sale = LedgerEntry(
        seller_id=part.seller_id,
        seller_order_id=part.seller_order_id,
        kind=LedgerKind.SALE,
        amount=part.goods + part.shipping,
        reference=reference,
    )
    if not await _add_once(session, sale):
        return
    commission = commission_on(part.goods, basis_points)
    if commission:
        await _add_once(
            session,
            LedgerEntry(
                seller_id=part.seller_id,
                seller_order_id=part.seller_order_id,
                kind=LedgerKind.COMMISSION,
                amount=-commission,
                reference=reference,
            ),
        )


async def debit_refund(
    session: AsyncSession, part: PaidPart, basis_points: int, reference: str
) -> None:
    """Take back what the seller-order earned (and give back its commission), once; nothing
    when it was never credited."""
    if not await repository.was_credited(session, part.seller_order_id):
        return
    refund = LedgerEntry(
        seller_id=part.seller_id,
        seller_order_id=part.seller_order_id,
        kind=LedgerKind.REFUND,
        amount=-(part.goods + part.shipping),
        reference=reference,
    )
    if not await _add_once(session, refund):
        return
    # Give back exactly what was charged at the sale, even if the rate has changed since.
    commission = await repository.commission_charged(session, part.seller_order_id)
    if commission:
        await _add_once(
            session,
            LedgerEntry(
                seller_id=part.seller_id,
                seller_order_id=part.seller_order_id,
                kind=LedgerKind.COMMISSION_RETURN,
                amount=commission,
                reference=reference,
            ),
        )


async def balance(session: AsyncSession, seller_id: uuid.UUID) -> int:
    return await repository.ledger_sum(session, seller_id)


async def record_payout(
    session: AsyncSession,
    seller_id: uuid.UUID,
    amount: int,
    bank_reference: str,
    admin_id: uuid.UUID,
    note: str | None = None,
) -> LedgerEntry:
    """Money sent to the seller's bank. The seller row is locked first, so two payouts racing
    cannot both spend the same balance."""
    await repository.lock_seller(session, seller_id)
    current = await repository.ledger_sum(session, seller_id)
    if amount > current:
        raise PayoutExceedsBalance(params={"amount": amount, "balance": current})
    entry = LedgerEntry(
        seller_id=seller_id,
        kind=LedgerKind.PAYOUT,
        amount=-amount,
        reference=bank_reference,
        note=note,
        created_by=admin_id,
    )
    session.add(entry)
    await session.flush()
    return entry
