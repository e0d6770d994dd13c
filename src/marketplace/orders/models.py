"""Orders: one per checkout, split into one seller-order per seller, with the lines bought."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.core.i18n import Language
from marketplace.db.base import Base, IdMixin, TimestampMixin, enum_column_type
from marketplace.payments.models import PaymentMethod


class OrderStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class PaymentStatus(StrEnum):
    UNPAID = "unpaid"
    PAID = "paid"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"


class SellerOrderStatus(StrEnum):
    PENDING = "pending"
    TO_SHIP = "to_ship"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class ShippingMethod(StrEnum):
    COURIER = "courier"
    PICKUP = "pickup"


def _lowered_email(context: DefaultExecutionContext) -> str:
    # SQLAlchemy leaves this method unannotated; it returns the row's insert parameters.
    parameters = context.get_current_parameters()  # type: ignore[no-untyped-call]
    return str(parameters["buyer_email"]).lower()


class Order(IdMixin, TimestampMixin, Base):
    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_buyer_created", "buyer_user_id", "created_at", "id"),
        Index("ix_orders_status_expires", "status", "expires_at"),
        CheckConstraint("total = subtotal + shipping_total", name="total_adds_up"),
        # The admin desk: newest first overall and per filter, and exact look-ups by contact.
        Index("ix_orders_created", "created_at", "id"),
        Index("ix_orders_status_created", "status", "created_at", "id"),
        Index("ix_orders_payment_status_created", "payment_status", "created_at", "id"),
        Index("ix_orders_payment_method_created", "payment_method", "created_at", "id"),
        Index("ix_orders_buyer_email_lower", "buyer_email_lower"),
        Index("ix_orders_buyer_phone", "buyer_phone"),
    )

    number: Mapped[str] = mapped_column(String(20), unique=True)
    buyer_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    buyer_name: Mapped[str] = mapped_column(String(120))
    buyer_email: Mapped[str] = mapped_column(String(254))
    # The same in lower case: the admin desk finds an order by e-mail typed in any case.
    buyer_email_lower: Mapped[str] = mapped_column(String(254), default=_lowered_email)
    buyer_phone: Mapped[str] = mapped_column(String(24))
    language: Mapped[Language] = mapped_column(enum_column_type(Language))
    recipient: Mapped[str] = mapped_column(String(120))
    recipient_phone: Mapped[str] = mapped_column(String(24))
    street: Mapped[str] = mapped_column(String(300))
    village: Mapped[str] = mapped_column(String(120))
    district: Mapped[str] = mapped_column(String(120))
    city: Mapped[str] = mapped_column(String(120))
    province: Mapped[str] = mapped_column(String(120))
    postal_code: Mapped[str] = mapped_column(String(5))
    destination_region_code: Mapped[str | None] = mapped_column(String(13))
    notes: Mapped[str | None] = mapped_column(Text)
    payment_method: Mapped[PaymentMethod] = mapped_column(enum_column_type(PaymentMethod))
    shipping_method: Mapped[ShippingMethod] = mapped_column(enum_column_type(ShippingMethod))
    status: Mapped[OrderStatus] = mapped_column(enum_column_type(OrderStatus))
    payment_status: Mapped[PaymentStatus] = mapped_column(enum_column_type(PaymentStatus))
    subtotal: Mapped[int] = mapped_column(BigInteger)
    shipping_total: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)
    # Guests prove they placed the order with a token; only its digest is kept.
    access_token_hash: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(String(64))
    # The one "your transfer is about to expire" reminder was queued then.
    payment_reminder_sent_at: Mapped[datetime | None]


class SellerOrder(IdMixin, TimestampMixin, Base):
    __tablename__ = "seller_orders"
    __table_args__ = (
        Index("ix_seller_orders_seller_status", "seller_id", "status", "created_at"),
        Index("ix_seller_orders_tracking_number", "tracking_number"),
        # A seller's orders newest first at the admin desk (created with their order).
        Index("ix_seller_orders_seller_created", "seller_id", "created_at", "order_id"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    seller_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sellers.id"))
    status: Mapped[SellerOrderStatus] = mapped_column(enum_column_type(SellerOrderStatus))
    subtotal: Mapped[int] = mapped_column(BigInteger)
    shipping: Mapped[int] = mapped_column(BigInteger)
    weight_grams: Mapped[int] = mapped_column(BigInteger)
    courier: Mapped[str | None] = mapped_column(String(60))
    tracking_number: Mapped[str | None] = mapped_column(String(60))
    shipped_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    # Cash on delivery: when a seller member recorded the buyer's cash as collected.
    cod_collected_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]


class OrderItem(IdMixin, Base):
    """A line as it was bought: title and price are copies, so later edits change nothing."""

    __tablename__ = "order_items"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    seller_order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("seller_orders.id", ondelete="CASCADE"), index=True
    )
    # Checked at commit: a checkout inserts its lines in the statement that updates their
    # variants' stock, and checked at the end of that statement, checkouts under load
    # deadlocked on a variant row (PostgreSQL's log: one waiting for the row's tuple lock that
    # a checkout queued behind it held). Checked at commit, none did (issue 17's note).
    variant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("product_variants.id", deferrable=True, initially="DEFERRED")
    )
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    title: Mapped[str] = mapped_column(String(300))
    sku: Mapped[str | None] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(BigInteger)
    line_total: Mapped[int] = mapped_column(BigInteger)
    weight_grams: Mapped[int] = mapped_column(BigInteger)
    position: Mapped[int] = mapped_column(Integer)


class ShippingRate(IdMixin, TimestampMixin, Base):
    """Courier price to one destination regency (or anywhere else, when null) up to a weight."""

    __tablename__ = "shipping_rates"
    __table_args__ = (Index("ix_shipping_rates_region_weight", "region_code", "max_weight_grams"),)

    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    max_weight_grams: Mapped[int] = mapped_column(Integer)
    price: Mapped[int] = mapped_column(BigInteger)


class IdempotencyRecord(IdMixin, Base):
    """The stored outcome of an unsafe request, written in the transaction that produced it."""

    __tablename__ = "idempotency_records"
    __table_args__ = (Index("uq_idempotency_records_scope", "caller", "scope", "key", unique=True),)

    caller: Mapped[str] = mapped_column(String(80))
    scope: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    response_status: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[str] = mapped_column(Text)
    resource_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime]
