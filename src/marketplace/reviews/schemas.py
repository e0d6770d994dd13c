"""Request and response bodies of reviews."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "0193a5c2-7d4e-7b1a-9c3f-2e8d5a6b4c10",
                    "product_id": "0193a5c2-7d4e-7b1a-9c3f-2e8d5a6b4c11",
                    "seller_order_id": "0193a5c2-7d4e-7b1a-9c3f-2e8d5a6b4c12",
                    "rating": 5,
                    "text": "Lada asli, wangi, pengiriman cepat.",
                    "author_name": "Budi",
                    "status": "visible",
                    "photos": [
                        {
                            "id": "0193a5c2-7d4e-7b1a-9c3f-2e8d5a6b4c13",
                            "url": "https://pasar.babelprov.go.id/media/ulasan.webp",
                            "thumbnail_url": "https://pasar.babelprov.go.id/media/ulasan_t.webp",
                            "width": 1200,
                            "height": 900,
                        }
                    ],
                    "reply": {"text": "Terima kasih!", "replied_at": "2026-11-28T08:00:00Z"},
                    "created_at": "2026-11-27T08:00:00Z",
                }
            ]
        }
    )

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
