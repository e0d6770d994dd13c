"""The sellers' ledger (escrow, "rekening bersama"): a paid seller-order's goods and shipping,
less the platform commission, are held in ``pending`` until the seller-order settles, then
moved to ``available``; refunds take money back from wherever it is, payouts spend
``available`` only. Every figure is a sum of entries, never a stored counter."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.core.errors import Conflict
from marketplace.payments import repository
from marketplace.payments.models import LedgerBucket, LedgerEntry, LedgerKind

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

    @property
    def total(self) -> int:
        return self.goods + self.shipping


@dataclass(frozen=True)
class Balance:
    """``pending`` is held for unsettled seller-orders, ``available`` may be paid out (and may
    be negative when the seller owes the platform), ``paid_out`` is everything sent so far."""

    pending: int
    available: int
    paid_out: int

    @property
    def owed(self) -> int:
        """Everything the marketplace owes the seller: the sum of all entries."""
        return self.pending + self.available


def commission_on(goods: int, basis_points: int) -> int:
    """Rounded down: a fraction of a rupiah stays with the seller."""
    return goods * basis_points // BASIS_POINTS


async def add_once(session: AsyncSession, entry: LedgerEntry) -> bool:
    """Insert unless the same (seller-order, kind, bucket, reference) is already there."""
    try:
        async with session.begin_nested():
            session.add(entry)
            await session.flush()
    except IntegrityError:
        return False
    return True


def _entry(
    part: PaidPart, kind: LedgerKind, bucket: LedgerBucket, amount: int, reference: str
) -> LedgerEntry:
    return LedgerEntry(
        seller_id=part.seller_id,
        seller_order_id=part.seller_order_id,
        kind=kind,
        bucket=bucket,
        amount=amount,
        reference=reference,
    )


async def credit_sale(
    session: AsyncSession, part: PaidPart, basis_points: int, reference: str
) -> None:
    """Goods and shipping held for the seller, commission to the platform: once per
    seller-order. Never for cash on delivery (the seller already holds that money)."""
    sale = _entry(part, LedgerKind.SALE, LedgerBucket.PENDING, part.total, reference)
    if not await add_once(session, sale):
        return
    commission = commission_on(part.goods, basis_points)
    if commission:
        await add_once(
            session,
            _entry(part, LedgerKind.COMMISSION, LedgerBucket.PENDING, -commission, reference),
        )


async def charge_cod_commission(
    session: AsyncSession, part: PaidPart, basis_points: int, reference: str
) -> None:
    """The seller collected the cash of a cash-on-delivery seller-order: the platform's
    commission on it is owed from ``available``, once."""
    commission = commission_on(part.goods, basis_points)
    if commission:
        await add_once(
            session,
            _entry(part, LedgerKind.COD_COMMISSION, LedgerBucket.AVAILABLE, -commission, reference),
        )


async def debit_refund(
    session: AsyncSession,
    part: PaidPart,
    reference: str,
    *,
    amount: int | None = None,
    cash_on_delivery: bool = False,
) -> int:
    """Take back ``amount`` (default: all that is left) of what the seller-order earned, and
    give back its share of the commission; the whole commission charged once everything is
    refunded. Before settlement the money leaves ``pending``, after it (and always for cash on
    delivery, whose cash the seller holds) ``available``. Returns what was debited; nothing
    when the seller-order was never paid, is already fully refunded, or this reference was
    applied before."""
    if not cash_on_delivery and not await repository.was_credited(session, part.seller_order_id):
        return 0
    already = await repository.refunded_from_ledger(session, part.seller_order_id)
    left = part.total - already
    debit = left if amount is None else min(amount, left)
    if debit <= 0 or await repository.has_entry(
        session, part.seller_order_id, LedgerKind.REFUND, reference
    ):
        return 0
    settled = cash_on_delivery or await repository.is_settled(session, part.seller_order_id)
    bucket = LedgerBucket.AVAILABLE if settled else LedgerBucket.PENDING
    refund = _entry(part, LedgerKind.REFUND, bucket, -debit, reference)
    if not await add_once(session, refund):
        return 0
    charged = await repository.commission_charged(session, part.seller_order_id)
    returned = await repository.commission_returned(session, part.seller_order_id)
    # Exactly what was charged comes back in the end, even if the rate has changed since.
    share = charged - returned if debit == left else charged * debit // part.total
    share = max(0, min(share, charged - returned))
    if share:
        await add_once(
            session, _entry(part, LedgerKind.COMMISSION_RETURN, bucket, share, reference)
        )
    return debit


async def refundable(session: AsyncSession, part: PaidPart) -> int:
    """What was paid for the seller-order and not yet refunded."""
    return part.total - await repository.refunded_from_ledger(session, part.seller_order_id)


async def balance(session: AsyncSession, seller_id: uuid.UUID) -> Balance:
    pending, available, paid_out = await repository.ledger_buckets(session, seller_id)
    return Balance(pending=pending, available=available, paid_out=paid_out)


async def record_payout(
    session: AsyncSession,
    seller_id: uuid.UUID,
    amount: int,
    bank_reference: str,
    admin_id: uuid.UUID,
    note: str | None = None,
) -> LedgerEntry:
    """Money sent to the seller's bank, out of ``available`` only. The seller row is locked
    first, so two payouts racing cannot both spend the same money."""
    await repository.lock_seller(session, seller_id)
    current = await balance(session, seller_id)
    if amount > current.available:
        raise PayoutExceedsBalance(params={"amount": amount, "balance": current.available})
    entry = LedgerEntry(
        seller_id=seller_id,
        kind=LedgerKind.PAYOUT,
        bucket=LedgerBucket.AVAILABLE,
        amount=-amount,
        reference=bank_reference,
        note=note,
        created_by=admin_id,
    )
    session.add(entry)
    await session.flush()
    return entry
