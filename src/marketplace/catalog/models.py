"""The catalog: regions (Kemendagri codes), the category tree, products, variants, images."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db.base import Base, IdMixin, TimestampMixin, enum_column_type, utcnow


class RegionKind(StrEnum):
    REGENCY = "regency"
    CITY = "city"


class Region(Base):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(13), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[RegionKind] = mapped_column(enum_column_type(RegionKind))
    seat: Mapped[str | None] = mapped_column(String(120))


class Category(IdMixin, TimestampMixin, Base):
    __tablename__ = "categories"

    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(120))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("categories.id", ondelete="RESTRICT"), index=True
    )
    # Food and beverages: listings here need a halal certificate or a non-halal declaration
    # (mandatory for micro and small producers since 17 October 2026).
    halal_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ProductStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"
    # Waiting for an admin: review before publishing (``MARKETPLACE_LISTING_REVIEW=pre``) or
    # flagged by screening, a report or a compliance sweep.
    IN_REVIEW = "in_review"
    # Taken down by an admin: only an admin brings it back.
    REMOVED = "removed"


# The columns the public product list filters on (besides status and search).
FILTER_COLUMNS = ("seller_id", "region_code", "category_id", "min_price")


def _filtered_list_index(name: str, column: str) -> Index:
    """A filter's column, then the public list's order, carrying the other filters' columns
    (PostgreSQL): a filtered list newest first reads its page off this one index and checks
    the other filters there (an index-only scan), never fetching a row it then drops."""
    return Index(
        f"ix_products_{name}_status_published",
        column,
        "status",
        "published_at",
        "id",
        postgresql_include=[other for other in FILTER_COLUMNS if other != column],
    )


class Product(IdMixin, TimestampMixin, Base):
    """A listing. ``region_code`` is copied from the seller and ``min_price`` from the variants,
    so browsing filters and sorts on indexed columns of one table."""

    __tablename__ = "products"
    __table_args__ = (
        Index("ix_products_status_published", "status", "published_at", "id"),
        Index("ix_products_status_price", "status", "min_price", "id"),
        _filtered_list_index("seller", "seller_id"),
        _filtered_list_index("region", "region_code"),
        _filtered_list_index("category", "category_id"),
        Index("ix_products_updated_at", "updated_at"),
        Index("ix_products_status_rating", "status", "rating_average", "id"),
    )

    seller_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("categories.id"))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    status: Mapped[ProductStatus] = mapped_column(
        enum_column_type(ProductStatus), default=ProductStatus.DRAFT
    )
    min_price: Mapped[int] = mapped_column(BigInteger, default=0)
    pirt_number: Mapped[str | None] = mapped_column(String(15))
    bpom_number: Mapped[str | None] = mapped_column(String(20))
    halal_certificate: Mapped[str | None] = mapped_column(String(40))
    halal_valid_until: Mapped[date | None] = mapped_column(Date)
    non_halal: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    published_at: Mapped[datetime | None]
    # The seller's cap on how many units of this product one order may take (checkout abuse).
    max_quantity_per_order: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    # Set when an admin archived or removed the listing: the seller cannot publish it again
    # until an admin approves it. ``takedown_reason`` is what the seller was told.
    taken_down_at: Mapped[datetime | None]
    takedown_reason: Mapped[str | None] = mapped_column(Text)
    # Which expiry the seller was last e-mailed about, so the daily sweep sends each once.
    expiry_notice_key: Mapped[str | None] = mapped_column(String(80))
    # Visible reviews, kept by one conditional UPDATE per review in the review's transaction.
    rating_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rating_total: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rating_average: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")


class ProductVariant(IdMixin, TimestampMixin, Base):
    """A sellable size or kind. ``stock`` only ever moves through conditional updates."""

    __tablename__ = "product_variants"
    __table_args__ = (
        UniqueConstraint("seller_id", "sku"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("price >= 0", name="price_not_negative"),
        Index("ix_product_variants_product_position", "product_id", "position"),
        Index("ix_product_variants_updated_at", "updated_at"),
    )

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    seller_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    sku: Mapped[str | None] = mapped_column(String(64))
    price: Mapped[int] = mapped_column(BigInteger)
    stock: Mapped[int] = mapped_column(Integer)
    weight_grams: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ProductImage(IdMixin, Base):
    __tablename__ = "product_images"
    __table_args__ = (Index("ix_product_images_product_position", "product_id", "position"),)

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    storage_key: Mapped[str] = mapped_column(String(255))
    thumbnail_key: Mapped[str] = mapped_column(String(255))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    thumbnail_width: Mapped[int] = mapped_column(Integer)
    thumbnail_height: Mapped[int] = mapped_column(Integer)
    # A photo added to a listing under review waits for an admin before the public sees it.
    approved: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
