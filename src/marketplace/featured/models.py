"""Featured products: which listings the government site shows, in what order, and when."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db.base import Base, IdMixin, TimestampMixin


class FeaturedEntry(IdMixin, TimestampMixin, Base):
    """One product on the featured list. It shows while ``starts_at <= now < ends_at`` (an
    open end on either side is unbounded) and only while its product is published by a
    verified seller; a product is featured at most once."""

    __tablename__ = "featured_entries"
    __table_args__ = (
        UniqueConstraint("product_id"),
        Index("ix_featured_entries_position", "position", "id"),
        Index("ix_featured_entries_updated_at", "updated_at"),
    )

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
