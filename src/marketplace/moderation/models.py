"""The review queue: what waits for an admin, why, and what it would change."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db.base import Base, IdMixin, TimestampMixin, enum_column_type


class ItemKind(StrEnum):
    LISTING = "listing"  # a listing waiting to be published (pre-review or flagged)
    EDIT = "edit"  # a published listing's edit held back until approved
    REPORT = "report"  # a report from the public
    APPEAL = "appeal"  # a seller asks for a removed listing to be reviewed again
    COMPLIANCE = "compliance"  # the daily sweep found a lapsed number
    SELLER_PROFILE = "seller_profile"  # a seller's name change, or a name that needs an admin
    REVIEW = "review"  # a buyer's review flagged by screening


class ItemStatus(StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"


class ModerationItem(IdMixin, TimestampMixin, Base):
    """One thing for an admin to decide. ``reasons`` is a list of ``{code, detail}``;
    ``proposed`` holds the held-back values of an edit and ``diff`` their before/after."""

    __tablename__ = "moderation_items"
    __table_args__ = (
        Index("ix_moderation_items_status_created", "status", "created_at", "id"),
        Index("ix_moderation_items_product_status", "product_id", "status"),
        Index("ix_moderation_items_seller_status", "seller_id", "status"),
    )

    kind: Mapped[ItemKind] = mapped_column(enum_column_type(ItemKind))
    status: Mapped[ItemStatus] = mapped_column(
        enum_column_type(ItemStatus), default=ItemStatus.OPEN
    )
    product_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE")
    )
    seller_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("sellers.id", ondelete="CASCADE")
    )
    review_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), index=True
    )
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    proposed: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    diff: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reporter_address: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    resolved_at: Mapped[datetime | None]
