"""Bodies of the admin desk API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from marketplace.payments.models import PaymentMethod, PlatformEntryKind


class AdminPaymentRead(BaseModel):
    """A payment attempt with the order it pays (its number is what buyers write)."""

    id: uuid.UUID
    order_id: uuid.UUID
    order_number: str
    method: PaymentMethod
    status: str
    amount: int
    currency: Literal["IDR"] = "IDR"
    unique_code: int | None
    reference: str | None
    proof_count: int
    created_at: datetime
    paid_at: datetime | None


class MatchedLine(BaseModel):
    line: int
    payment_id: uuid.UUID
    order_number: str
    amount: int
    currency: Literal["IDR"] = "IDR"
    posted_on: str
    description: str
    # With ?apply=true: what confirming did (applied, revived, refunded, already_applied).
    outcome: str | None = None


class UnmatchedLine(BaseModel):
    line: int
    amount: int | None
    currency: Literal["IDR"] = "IDR"
    posted_on: str | None
    description: str
    # no_open_payment_with_this_amount, amount_differs_from_named_order,
    # several_open_payments_with_this_amount (ambiguous: ``candidates`` lists them),
    # payment_matched_by_another_line, already_applied, unreadable: <why>
    reason: str
    candidates: list[uuid.UUID] = []


class StatementResult(BaseModel):
    format: str
    applied: bool
    matched: list[MatchedLine]
    unmatched: list[UnmatchedLine]
    credits: int
    matched_total: int
    currency: Literal["IDR"] = "IDR"


class ProofRead(BaseModel):
    id: uuid.UUID
    payment_id: uuid.UUID
    width: int
    height: int
    byte_size: int
    created_at: datetime
    # Works for a few minutes only (MARKETPLACE_PAYMENT_PROOF_LINK_SECONDS).
    url: str
    url_expires_at: datetime


class ProofUploaded(BaseModel):
    id: uuid.UUID
    payment_id: uuid.UUID
    width: int
    height: int
    byte_size: int
    created_at: datetime


class PlatformEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: PlatformEntryKind
    amount: int
    currency: Literal["IDR"] = "IDR"
    payment_id: uuid.UUID
    order_id: uuid.UUID
    reference: str
    created_at: datetime


class PlatformLedgerPage(BaseModel):
    items: list[PlatformEntryRead]
    next_cursor: str | None
    # The sum of every entry: unique codes kept as income minus those given as discounts.
    balance: int
    currency: Literal["IDR"] = "IDR"
