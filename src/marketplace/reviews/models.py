"""Buyers' reviews of what they received, with photos and the seller's one reply."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db.base import Base, IdMixin, TimestampMixin, enum_column_type, utcnow


class ReviewStatus(StrEnum):
    VISIBLE = "visible"
    IN_REVIEW = "in_review"  # flagged by screening: shown and counted once an admin approves
    HIDDEN = "hidden"  # hidden by an admin, with a reason


class Review(IdMixin, TimestampMixin, Base):
    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("seller_order_id", "product_id"),
        CheckConstraint("rating >= 1 AND rating <= 5", name="rating_range"),
        Index("ix_reviews_product_created", "product_id", "created_at", "id"),
    )

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    seller_order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("seller_orders.id", ondelete="CASCADE")
    )
    seller_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"))
    author_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    author_name: Mapped[str] = mapped_column(String(120))
    rating: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ReviewStatus] = mapped_column(enum_column_type(ReviewStatus))
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    reply_text: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None]


class ReviewPhoto(IdMixin, Base):
    __tablename__ = "review_photos"
    __table_args__ = (Index("ix_review_photos_review_position", "review_id", "position"),)

    review_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    storage_key: Mapped[str] = mapped_column(String(255))
    thumbnail_key: Mapped[str] = mapped_column(String(255))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
