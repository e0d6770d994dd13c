"""Bodies of the payments API: balances, ledger entries, payouts, anomalies."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from marketplace.core.schemas import Schema
from marketplace.payments.models import LedgerKind


class BalanceRead(BaseModel):
    seller_id: uuid.UUID
    balance: int
    currency: Literal["IDR"] = "IDR"


class LedgerEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: LedgerKind
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
