"""Bodies of the payments API: balances, ledger entries, payouts, anomalies."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from marketplace.core.schemas import Schema
from marketplace.payments.models import LedgerBucket, LedgerKind


class BalanceRead(BaseModel):
    """``pending``: held for seller-orders not yet settled; ``available``: settled money less
    payouts and later refunds (negative when the seller owes the platform, and then no payout
    is possible); ``paid_out``: sent to the seller's bank so far; ``balance``: pending +
    available, the sum of every ledger entry."""

    seller_id: uuid.UUID
    currency: Literal["IDR"] = "IDR"
    pending: int
    available: int
    paid_out: int
    balance: int


class LedgerEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: LedgerKind
    bucket: LedgerBucket
    amount: int
    currency: Literal["IDR"] = "IDR"
    seller_order_id: uuid.UUID | None
    reference: str
    note: str | None
    created_at: datetime


class PayoutCreate(Schema):
    amount: Annotated[int, Field(ge=1, le=10_000_000_000, strict=True)]
    bank_reference: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=3, max_length=120)
    ]
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = None


class AnomalyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    payment_id: uuid.UUID | None
    event_id: str | None
    kind: str
    detail: str
    resolved: bool
    created_at: datetime


class WebhookAck(BaseModel):
    received: bool = True
    outcome: str


class BankRead(BaseModel):
    code: str
    name: str


class PayoutAccountCreate(Schema):
    """``bank_code`` from ``GET /banks``; the account number as digits only."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "bank_code": "120",
                    "account_number": "1500012345",
                    "account_holder": "KIM Lada Muntok",
                }
            ]
        }
    )

    bank_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{3}$")]
    account_number: Annotated[str, StringConstraints(pattern=r"^[0-9]{5,20}$")]
    account_holder: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=2, max_length=120)
    ]


class PayoutAccountRead(BaseModel):
    bank_code: str
    bank_name: str
    account_number: str
    account_holder: str
    created_at: datetime


class PayoutAccounts(BaseModel):
    """The account payouts go to now, and every account used before (newest first)."""

    current: PayoutAccountRead | None
    history: list[PayoutAccountRead]
