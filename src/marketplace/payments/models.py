"""Payment attempts of an order (card by Stripe, bank transfer, cash on delivery)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db.base import Base, IdMixin, JsonDocument, TimestampMixin, enum_column_type
from marketplace.orders.models import PaymentMethod


class PaymentAttemptStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    FAILED = "failed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"


class Payment(IdMixin, TimestampMixin, Base):
    __tablename__ = "payments"
    __table_args__ = (Index("ix_payments_order_created", "order_id", "created_at"),)

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    method: Mapped[PaymentMethod] = mapped_column(enum_column_type(PaymentMethod))
    status: Mapped[PaymentAttemptStatus] = mapped_column(enum_column_type(PaymentAttemptStatus))
    amount: Mapped[int] = mapped_column(BigInteger)
    # The order's reference people type into a bank transfer, or Stripe's PaymentIntent id.
    reference: Mapped[str | None] = mapped_column(String(120), unique=True)
    client_secret: Mapped[str | None] = mapped_column(String(255))
    instructions: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    failure_message: Mapped[str | None] = mapped_column(Text)
    paid_at: Mapped[datetime | None]
    confirmed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
