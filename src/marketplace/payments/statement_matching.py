"""Which open transfer each bank-statement credit pays: by an order number written in the
transfer's description and the exact amount, or by the exact amount alone (the unique code
makes it unique among open transfers). Nothing here changes a payment."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.payments import repository
from marketplace.payments.bank_statements import CreditLine
from marketplace.payments.models import Payment

# Order numbers look like BB261202-ACDEFG; banks often drop the dash or change the case.
_ORDER_NUMBER = re.compile(r"BB(\d{6})-?([ACDEFGHJKLMNPQRTUVWXY34679]{6})")


class Outcome(StrEnum):
    MATCHED = "matched"
    AMBIGUOUS = "ambiguous"
    UNMATCHED = "unmatched"
    ALREADY_APPLIED = "already_applied"


@dataclass
class LineMatch:
    line: CreditLine
    outcome: Outcome
    reason: str | None = None
    payment: Payment | None = None
    order_number: str | None = None
    candidates: list[uuid.UUID] = field(default_factory=list)


def order_numbers_in(description: str) -> list[str]:
    """Order numbers named in a transfer description, in their canonical spelling."""
    squeezed = re.sub(r"[^A-Z0-9-]", "", description.upper())
    return [f"BB{day}-{code}" for day, code in _ORDER_NUMBER.findall(squeezed)]


async def match_lines(session: AsyncSession, credits: list[CreditLine]) -> list[LineMatch]:
    """Every credit line with its outcome; a payment is matched by one line of the file."""
    applied = await repository.applied_statement_lines(session, [c.line_hash for c in credits])
    named = {number for c in credits for number in order_numbers_in(c.description)}
    by_number = await repository.coded_payments_of_orders(session, sorted(named))
    by_amount = await repository.open_coded_payments_by_amount(
        session, sorted({c.amount for c in credits})
    )
    taken: set[uuid.UUID] = set()
    results = []
    for credit in credits:
        if credit.line_hash in applied:
            results.append(LineMatch(credit, Outcome.ALREADY_APPLIED, "already_applied"))
            continue
        result = _match_one(credit, by_number, by_amount, taken)
        if result.payment is not None:
            taken.add(result.payment.id)
        results.append(result)
    return results


PaymentsWithNumbers = dict[object, list[tuple[Payment, str]]]


def _match_one(
    credit: CreditLine,
    by_number: PaymentsWithNumbers,
    by_amount: PaymentsWithNumbers,
    taken: set[uuid.UUID],
) -> LineMatch:
    numbers = order_numbers_in(credit.description)
    named = [
        (payment, number)
        for order_number in numbers
        for payment, number in by_number.get(order_number, [])
        if payment.amount == credit.amount
    ]
    if len({payment.id for payment, _ in named}) == 1:
        return _matched(credit, *named[0], taken)
    candidates = by_amount.get(credit.amount, [])
    if len(candidates) == 1:
        return _matched(credit, *candidates[0], taken)
    if len(candidates) > 1:
        return LineMatch(
            credit,
            Outcome.AMBIGUOUS,
            "several_open_payments_with_this_amount",
            candidates=[payment.id for payment, _ in candidates],
        )
    reason = "amount_differs_from_named_order" if numbers else "no_open_payment_with_this_amount"
    return LineMatch(credit, Outcome.UNMATCHED, reason)


def _matched(credit: CreditLine, payment: Payment, number: str, taken: set[uuid.UUID]) -> LineMatch:
    if payment.id in taken:
        return LineMatch(
            credit,
            Outcome.AMBIGUOUS,
            "payment_matched_by_another_line",
            candidates=[payment.id],
        )
    return LineMatch(credit, Outcome.MATCHED, payment=payment, order_number=number)
