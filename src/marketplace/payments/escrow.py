"""Settling a seller-order (escrow release): its money still held in ``pending`` moves to
``available``, once. Not to be confused with ``orders.settlement``, which applies a payment
that succeeded to its order."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.payments import repository
from marketplace.payments.ledger import PaidPart, add_once
from marketplace.payments.models import (
    LedgerBucket,
    LedgerEntry,
    LedgerKind,
    SellerOrderSettlement,
    SettlementTrigger,
)

SETTLEMENT_REFERENCE = "settlement"


async def is_settled(session: AsyncSession, part: PaidPart) -> bool:
    return await repository.is_settled(session, part.seller_order_id)


async def is_frozen(session: AsyncSession, part: PaidPart) -> bool:
    """An open complaint holds the money where it is."""
    return await repository.has_open_complaint(session, part.seller_order_id)


async def settle(session: AsyncSession, part: PaidPart, trigger: SettlementTrigger) -> bool:
    """Release what is held for ``part`` (nothing for cash on delivery, whose cash the seller
    already has, but the seller-order is settled all the same). False when it had settled
    before or a complaint is open. The caller holds the order's row lock."""
    if await is_frozen(session, part):
        return False
    amount = await repository.pending_of_part(session, part.seller_order_id)
    record = SellerOrderSettlement(
        seller_order_id=part.seller_order_id,
        seller_id=part.seller_id,
        trigger=trigger,
        amount=amount,
    )
    try:
        async with session.begin_nested():
            session.add(record)
            await session.flush()
    except IntegrityError:
        return False  # settled by someone else: the unique key lets one win
    if amount:
        for bucket, signed in ((LedgerBucket.PENDING, -amount), (LedgerBucket.AVAILABLE, amount)):
            await add_once(
                session,
                LedgerEntry(
                    seller_id=part.seller_id,
                    seller_order_id=part.seller_order_id,
                    kind=LedgerKind.SETTLEMENT,
                    bucket=bucket,
                    amount=signed,
                    reference=SETTLEMENT_REFERENCE,
                ),
            )
    return True
