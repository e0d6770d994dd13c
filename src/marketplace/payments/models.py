"""Payment attempts (card by Stripe, bank transfer, cash on delivery), refunds, webhook events,
anomalies for admins, and the sellers' ledger."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db.base import (
    Base,
    IdMixin,
    JsonDocument,
    TimestampMixin,
    enum_column_type,
    utcnow,
)


class PaymentMethod(StrEnum):
    """How a buyer pays an order."""

    STRIPE = "stripe"
    BANK_TRANSFER = "bank_transfer"
    COD = "cod"
    QRIS = "qris"


class PaymentAttemptStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    FAILED = "failed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"


class Payment(IdMixin, TimestampMixin, Base):
    __tablename__ = "payments"
    __table_args__ = (
        Index("ix_payments_order_created", "order_id", "created_at"),
        # The admin desk: pending transfers first, newest first within a status.
        Index("ix_payments_status_created", "status", "created_at", "id"),
        Index("ix_payments_method_created", "method", "created_at", "id"),
        Index("ix_payments_created", "created_at", "id"),
    )

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
    refunded_amount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # Bank transfer: 1..999 added to (or taken off) the order total, so the amount alone
    # identifies the transfer on a bank statement.
    unique_code: Mapped[int | None] = mapped_column(Integer)
    # QRIS: the dynamic payload (EMVCo) for exactly ``amount``.
    qris_payload: Mapped[str | None] = mapped_column(Text)


class RefundStatus(StrEnum):
    SUCCEEDED = "succeeded"
    PENDING = "pending"
    FAILED = "failed"
    # Bank transfer and cash: to be paid back by hand by the operator.
    MANUAL = "manual"


class Refund(IdMixin, Base):
    __tablename__ = "refunds"

    payment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("payments.id", ondelete="CASCADE"), index=True
    )
    seller_order_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("seller_orders.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[RefundStatus] = mapped_column(enum_column_type(RefundStatus))
    # Stripe's refund id: one row per refund, however often Stripe tells us about it.
    provider_refund_id: Mapped[str | None] = mapped_column(String(120), unique=True)
    reason: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StripeEvent(Base):
    """Every webhook event applied, by Stripe's id: a duplicate is recognised and ignored."""

    __tablename__ = "stripe_events"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    type: Mapped[str] = mapped_column(String(80))
    outcome: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class PaymentAnomaly(IdMixin, Base):
    """Something a provider said that we refused to apply, for an admin to look at."""

    __tablename__ = "payment_anomalies"

    payment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("payments.id"), index=True)
    event_id: Mapped[str | None] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(Text)
    resolved: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LedgerKind(StrEnum):
    SALE = "sale"
    COMMISSION = "commission"
    REFUND = "refund"
    COMMISSION_RETURN = "commission_return"
    PAYOUT = "payout"
    # A settled seller-order's money leaving ``pending`` and entering ``available`` (a pair).
    SETTLEMENT = "settlement"
    # The platform's share of a cash-on-delivery sale, charged when the seller has the cash.
    COD_COMMISSION = "cod_commission"
    # Undoes a cash-on-delivery credit made by the rule before escrow (the seller holds the cash).
    COD_REVERSAL = "cod_reversal"


class LedgerBucket(StrEnum):
    """Where an entry's money is: held until its seller-order settles, or the seller's."""

    PENDING = "pending"
    AVAILABLE = "available"


class LedgerEntry(IdMixin, Base):
    """One movement of a seller's money; a balance is the sum of these, never a stored counter."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        Index("ix_ledger_entries_seller_created", "seller_id", "created_at", "id"),
        # A paid seller-order is credited (and charged commission) once, whatever replays;
        # the two halves of its settlement differ only by bucket.
        Index(
            "uq_ledger_entries_once",
            "seller_order_id",
            "kind",
            "bucket",
            "reference",
            unique=True,
        ),
    )

    seller_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sellers.id"))
    seller_order_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("seller_orders.id"))
    kind: Mapped[LedgerKind] = mapped_column(enum_column_type(LedgerKind))
    bucket: Mapped[LedgerBucket] = mapped_column(enum_column_type(LedgerBucket))
    amount: Mapped[int] = mapped_column(BigInteger)
    reference: Mapped[str] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TransferCode(Base):
    """A unique code held by one open bank-transfer payment; the primary key makes two open
    transfers with one code impossible, however many orders race for it."""

    __tablename__ = "transfer_codes"

    code: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    payment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("payments.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PlatformEntryKind(StrEnum):
    UNIQUE_CODE_INCOME = "unique_code_income"
    UNIQUE_CODE_DISCOUNT = "unique_code_discount"


class PlatformLedgerEntry(IdMixin, Base):
    """The platform's own money (not a seller's): the unique codes of confirmed transfers,
    kept as income or given as a discount."""

    __tablename__ = "platform_ledger_entries"
    __table_args__ = (
        Index("uq_platform_ledger_entries_once", "payment_id", "kind", unique=True),
        Index("ix_platform_ledger_entries_created", "created_at", "id"),
    )

    kind: Mapped[PlatformEntryKind] = mapped_column(enum_column_type(PlatformEntryKind))
    amount: Mapped[int] = mapped_column(BigInteger)
    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payments.id", ondelete="CASCADE"))
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    reference: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PaymentProof(IdMixin, Base):
    """A buyer's photo of a transfer receipt, stored privately (re-encoded WebP)."""

    __tablename__ = "payment_proofs"

    payment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("payments.id", ondelete="CASCADE"), index=True
    )
    storage_key: Mapped[str] = mapped_column(String(300))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    byte_size: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StatementLine(IdMixin, Base):
    """A bank-statement credit that confirmed a payment; its hash makes it count once."""

    __tablename__ = "bank_statement_lines"

    line_hash: Mapped[str] = mapped_column(String(64), unique=True)
    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payments.id", ondelete="CASCADE"))
    statement_format: Mapped[str] = mapped_column(String(32))
    posted_on: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    amount: Mapped[int] = mapped_column(BigInteger)
    applied_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)


class SettlementTrigger(StrEnum):
    BUYER_CONFIRMED = "buyer_confirmed"
    HOLD_ELAPSED = "hold_elapsed"
    COMPLAINT_RESOLVED = "complaint_resolved"
    MIGRATION = "migration"


class SellerOrderSettlement(IdMixin, Base):
    """The moment a seller-order's money was released to its seller: one row per seller-order
    (a unique key), so a seller-order settles at most once, whoever races to settle it."""

    __tablename__ = "seller_order_settlements"

    seller_order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("seller_orders.id", ondelete="CASCADE"), unique=True
    )
    seller_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sellers.id"), index=True)
    trigger: Mapped[SettlementTrigger] = mapped_column(enum_column_type(SettlementTrigger))
    amount: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PayoutAccount(IdMixin, Base):
    """Where a seller's payouts go. A change adds a row; the newest is the one in use, the
    older rows are the history."""

    __tablename__ = "payout_accounts"
    __table_args__ = (Index("ix_payout_accounts_seller_created", "seller_id", "created_at", "id"),)

    seller_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"))
    bank_code: Mapped[str] = mapped_column(String(40))
    account_number: Mapped[str] = mapped_column(String(40))
    account_holder: Mapped[str] = mapped_column(String(120))
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
