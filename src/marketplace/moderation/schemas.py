"""Request and response bodies of moderation: the queue, takedowns, reports, decisions."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, StringConstraints

from marketplace.core.schemas import Schema
from marketplace.moderation.models import ItemKind, ItemStatus

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000)]
Detail = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class ReportReason(StrEnum):
    PROHIBITED_GOODS = "prohibited_goods"
    OFFENSIVE = "offensive"
    FRAUD = "fraud"
    WRONG_INFORMATION = "wrong_information"
    OTHER = "other"


class ProductRemoval(Schema):
    reason: Reason


class ReportCreate(Schema):
    reason: ReportReason
    detail: Detail = ""


class ReviewRequest(Schema):
    """A seller asks an admin to look at a removed listing again, saying what they changed."""

    note: Detail = ""


class ItemDecision(Schema):
    action: Literal["approve", "reject"]
    note: Detail | None = None


class ModerationItemRead(BaseModel):
    id: uuid.UUID
    kind: ItemKind
    status: ItemStatus
    product_id: uuid.UUID | None
    seller_id: uuid.UUID | None
    review_id: uuid.UUID | None
    reasons: list[dict[str, Any]]
    proposed: dict[str, Any] | None
    diff: dict[str, Any] | None
    note: str | None
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None


class ReportRead(BaseModel):
    id: uuid.UUID
    product_id: uuid.UUID
    reason: ReportReason
    status: ItemStatus
    created_at: datetime
