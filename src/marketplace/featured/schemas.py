"""Request and response bodies of the featured API."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, Field, field_validator

from marketplace.catalog.models import ProductStatus
from marketplace.catalog.schemas import ProductSummary
from marketplace.core.i18n import gettext
from marketplace.core.schemas import Schema
from marketplace.sellers.models import SellerStatus

# Smaller comes first; gaps are fine (10, 20, 30 leaves room to slot one in between).
Position = Annotated[int, Field(ge=0, le=1_000_000, strict=True)]


class FeaturedEntryCreate(Schema):
    product_id: uuid.UUID
    position: Position | None = Field(
        default=None, description="Omitted: after the last entry (the largest position + 10)."
    )
    starts_at: AwareDatetime | None = Field(default=None, description="Omitted: shows at once.")
    ends_at: AwareDatetime | None = Field(
        default=None, description="Omitted: shows until removed; must be after starts_at."
    )


class FeaturedEntryUpdate(Schema):
    """Only the fields sent change; ``null`` for ``starts_at`` or ``ends_at`` opens that side."""

    position: Position | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None

    @field_validator("position", mode="before")
    @classmethod
    def _position_not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError(gettext("position cannot be null; leave it out to keep it"))
        return value


class FeaturedState(StrEnum):
    ACTIVE = "active"
    SCHEDULED = "scheduled"
    EXPIRED = "expired"
    HIDDEN = "hidden"


class HiddenReason(StrEnum):
    PRODUCT_DRAFT = "product_draft"
    PRODUCT_ARCHIVED = "product_archived"
    PRODUCT_IN_REVIEW = "product_in_review"
    PRODUCT_REMOVED = "product_removed"
    SELLER_PENDING = "seller_pending"
    SELLER_REJECTED = "seller_rejected"
    SELLER_SUSPENDED = "seller_suspended"


class FeaturedProductRef(BaseModel):
    id: uuid.UUID
    slug: str
    title: str
    status: ProductStatus


class FeaturedSellerRef(BaseModel):
    id: uuid.UUID
    slug: str
    name: str
    status: SellerStatus


class FeaturedEntryRead(BaseModel):
    """An entry as admins see it, with whether it shows now and, when it does not, why."""

    id: uuid.UUID
    product_id: uuid.UUID
    position: int
    starts_at: datetime | None
    ends_at: datetime | None
    state: FeaturedState
    hidden_reason: HiddenReason | None = Field(
        description="Why a hidden entry does not show (its product or seller)."
    )
    state_text: str = Field(description="The state in words, times in WIB (Accept-Language).")
    product: FeaturedProductRef
    seller: FeaturedSellerRef
    created_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class FeaturedProduct(ProductSummary):
    """A product summary on the public featured list, with its place on the list."""

    position: int


class OEmbedRich(BaseModel):
    """An oEmbed 1.0 ``rich`` response: ``html`` is an iframe of the product's embed card."""

    version: Literal["1.0"] = "1.0"
    type: Literal["rich"] = "rich"
    title: str
    author_name: str
    provider_name: str
    provider_url: str
    cache_age: int
    html: str
    width: int
    height: int
    thumbnail_url: str | None = None
    thumbnail_width: int | None = None
    thumbnail_height: int | None = None
