"""Request and response bodies of the catalog API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from marketplace.catalog.compliance import (
    normalize_bpom_number,
    normalize_halal_certificate,
    normalize_pirt_number,
    not_in_the_past,
)
from marketplace.catalog.models import ProductStatus, RegionKind
from marketplace.core.i18n import gettext
from marketplace.core.schemas import ReadSchema, Schema, ShortText

CategorySlug = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80),
]


class RegionRead(ReadSchema):
    code: str
    name: str
    kind: RegionKind
    seat: str | None


class CategoryCreate(Schema):
    slug: CategorySlug
    name: ShortText
    name_en: ShortText | None = None
    parent: CategorySlug | None = None
    # Food and beverages: listings need a halal certificate or a non-halal declaration.
    halal_required: bool = False


class CategoryRead(ReadSchema):
    slug: str
    name: str
    name_en: str | None
    parent: str | None
    halal_required: bool = False


def _without_nul(value: str) -> str:
    """PostgreSQL text cannot hold NUL: refuse it here rather than fail at the INSERT."""
    if "\x00" in value:
        raise ValueError(gettext("text must not contain NUL characters"))
    return value


NoNul = AfterValidator(_without_nul)
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=200), NoNul
]
ProductDescription = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=10_000), NoNul
]
VariantName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80), NoNul
]
Sku = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$")
]
# Whole rupiah. The cap (Rp 1 miliar) stops a typo with extra zeros.
Price = Annotated[int, Field(ge=0, le=1_000_000_000, strict=True)]
Stock = Annotated[int, Field(ge=0, le=1_000_000, strict=True)]
WeightGrams = Annotated[int, Field(ge=1, le=100_000, strict=True)]
PirtNumber = Annotated[str, StringConstraints(max_length=40), AfterValidator(normalize_pirt_number)]
BpomNumber = Annotated[str, StringConstraints(max_length=40), AfterValidator(normalize_bpom_number)]
HalalCertificate = Annotated[
    str, StringConstraints(max_length=40), AfterValidator(normalize_halal_certificate)
]
CertificateValidUntil = Annotated[date, AfterValidator(not_in_the_past)]
MAX_VARIANTS = 50
# How many units of one product a single order may take; the seller sets it (default 10).
MaxQuantityPerOrder = Annotated[int, Field(ge=1, le=1000, strict=True)]


class Attributes(Schema):
    pirt_number: PirtNumber | None = None
    bpom_number: BpomNumber | None = None
    halal_certificate: HalalCertificate | None = None
    # The last day the halal certificate is valid, when it has one: the seller is e-mailed
    # 30 days before.
    halal_valid_until: CertificateValidUntil | None = None
    # The seller's explicit declaration that the product is not halal, shown on the listing.
    non_halal: bool | None = None


class VariantCreate(Schema):
    name: VariantName
    sku: Sku | None = None
    price: Price
    stock: Stock
    weight_grams: WeightGrams


class VariantUpdate(Schema):
    name: VariantName | None = None
    sku: Sku | None = None
    price: Price | None = None
    stock: Stock | None = None
    weight_grams: WeightGrams | None = None


class ProductCreate(Schema):
    title: Title
    description: ProductDescription = ""
    category: CategorySlug
    variants: Annotated[list[VariantCreate], Field(min_length=1, max_length=MAX_VARIANTS)]
    attributes: Attributes | None = None
    max_quantity_per_order: MaxQuantityPerOrder = 10


class ProductUpdate(Schema):
    title: Title | None = None
    description: ProductDescription | None = None
    category: CategorySlug | None = None
    attributes: Attributes | None = None
    max_quantity_per_order: MaxQuantityPerOrder | None = None


class BulkVariantChange(Schema):
    variant_id: uuid.UUID
    price: Price | None = None
    stock: Stock | None = None


class BulkVariantUpdate(Schema):
    changes: Annotated[list[BulkVariantChange], Field(min_length=1, max_length=1000)]


class ImageRef(BaseModel):
    url: str
    thumbnail_url: str


class ImageRead(BaseModel):
    id: uuid.UUID
    url: str
    thumbnail_url: str
    width: int
    height: int
    position: int


class SellerRef(BaseModel):
    id: uuid.UUID
    slug: str
    name: str


class AttributesRead(BaseModel):
    pirt_number: str | None
    bpom_number: str | None
    halal_certificate: str | None
    halal_valid_until: date | None = None
    non_halal: bool = False


class RatingRead(BaseModel):
    """Visible reviews: their mean stars (2 decimals; null without reviews) and count."""

    average: float | None
    count: int


class ProductModeration(BaseModel):
    """What members and admins see of a listing's review: an edit held back for an admin
    (``pending_changes``, the values the public does not see yet), why it waits, and why an
    admin took the listing down."""

    pending_changes: dict[str, Any] | None
    reasons: list[dict[str, Any]]
    takedown_reason: str | None


class VariantRead(BaseModel):
    id: uuid.UUID
    name: str
    sku: str | None
    price: int
    currency: Literal["IDR"] = "IDR"
    stock: int
    weight_grams: int


class ProductSummary(BaseModel):
    id: uuid.UUID
    slug: str
    title: str
    price: int
    currency: Literal["IDR"] = "IDR"
    in_stock: bool
    image: ImageRef | None
    category: str
    region_code: str
    seller: SellerRef
    rating: RatingRead = RatingRead(average=None, count=0)


class ProductDetail(ProductSummary):
    description: str
    attributes: AttributesRead
    images: list[ImageRead]
    variants: list[VariantRead]
    status: ProductStatus
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime
    max_quantity_per_order: int
    moderation: ProductModeration | None = None


class BulkUpdateResult(BaseModel):
    updated: int
    variants: list[VariantRead]


class ProductListing(ProductSummary):
    """A seller's own product in their list: any status."""

    status: ProductStatus
    created_at: datetime
