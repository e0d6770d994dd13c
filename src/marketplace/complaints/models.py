"""A buyer's complaint about one seller-order: it freezes that seller-order's money until an
admin resolves it (refund, partial refund, or release to the seller)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db.base import Base, IdMixin, TimestampMixin, enum_column_type


class ComplaintReason(StrEnum):
    NOT_RECEIVED = "not_received"
    DAMAGED = "damaged"
    NOT_AS_DESCRIBED = "not_as_described"
    OTHER = "other"


class ComplaintStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class ComplaintOutcome(StrEnum):
    REFUND = "refund"
    PARTIAL_REFUND = "partial_refund"
    RELEASE = "release"


class Complaint(IdMixin, TimestampMixin, Base):
    __tablename__ = "complaints"
    __table_args__ = (Index("ix_complaints_status_created", "status", "created_at", "id"),)

    # One complaint per seller-order: a second (or a racing duplicate) is refused by the key.
    seller_order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("seller_orders.id", ondelete="CASCADE"), unique=True
    )
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    seller_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sellers.id"), index=True)
    status: Mapped[ComplaintStatus] = mapped_column(enum_column_type(ComplaintStatus))
    reason: Mapped[ComplaintReason] = mapped_column(enum_column_type(ComplaintReason))
    description: Mapped[str] = mapped_column(Text)
    seller_answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]
    answered_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    outcome: Mapped[ComplaintOutcome | None] = mapped_column(enum_column_type(ComplaintOutcome))
    refund_amount: Mapped[int | None] = mapped_column(BigInteger)
    resolution_note: Mapped[str | None] = mapped_column(String(2000))
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
