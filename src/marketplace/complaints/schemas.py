"""Bodies of the complaints API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from marketplace.complaints.models import ComplaintOutcome, ComplaintReason, ComplaintStatus
from marketplace.core.i18n import gettext
from marketplace.core.schemas import Schema

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class ComplaintCreate(Schema):
    reason: ComplaintReason
    description: Text


class ComplaintAnswer(Schema):
    message: Text


class ComplaintResolve(Schema):
    """``amount`` only (and then required) for ``partial_refund``."""

    outcome: ComplaintOutcome
    amount: Annotated[int, Field(ge=1, le=10_000_000_000, strict=True)] | None = None
    note: Text

    @model_validator(mode="after")
    def _amount_only_for_partial_refund(self) -> Self:
        partial = self.outcome is ComplaintOutcome.PARTIAL_REFUND
        if partial and self.amount is None:
            raise ValueError(gettext("amount is required for a partial refund"))
        if not partial and self.amount is not None:
            raise ValueError(gettext("amount is only for a partial refund"))
        return self


class ComplaintRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    seller_order_id: uuid.UUID
    order_id: uuid.UUID
    seller_id: uuid.UUID
    status: ComplaintStatus
    reason: ComplaintReason
    description: str
    seller_answer: str | None
    answered_at: datetime | None
    outcome: ComplaintOutcome | None
    refund_amount: int | None
    currency: Literal["IDR"] = "IDR"
    resolution_note: str | None
    created_at: datetime
    resolved_at: datetime | None
