"""Request and response bodies of reviews."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from marketplace.catalog.schemas import NoNul
from marketplace.core.schemas import Schema
from marketplace.reviews.models import ReviewStatus

ReviewText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), NoNul]
ReplyText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), NoNul
]
HideReason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000)]


class ReviewCreate(Schema):
    seller_order_id: uuid.UUID
    rating: Annotated[int, Field(ge=1, le=5, strict=True)]
    text: ReviewText = ""


class ReplyCreate(Schema):
    text: ReplyText


class ReviewHide(Schema):
    reason: HideReason


class ReviewPhotoRead(BaseModel):
    id: uuid.UUID
    url: str
    thumbnail_url: str
    width: int
    height: int


class ReplyRead(BaseModel):
    text: str
    replied_at: datetime


class ReviewRead(BaseModel):
    id: uuid.UUID
    product_id: uuid.UUID
    seller_order_id: uuid.UUID
    rating: int
    text: str
    author_name: str
    status: ReviewStatus
    photos: list[ReviewPhotoRead]
    reply: ReplyRead | None
    created_at: datetime
