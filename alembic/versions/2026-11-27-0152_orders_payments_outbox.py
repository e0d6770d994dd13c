"""Orders, seller-orders, items, shipping rates (seeded), idempotency records, payments, e-mail outbox

Revision ID: ebc7a6467c11
Revises: 9e0710b68f82
Create Date: 2026-11-27 01:52:33.166282
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import marketplace.db.base

revision: str = "ebc7a6467c11"
down_revision: str | None = "9e0710b68f82"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idempotency_records",
        sa.Column("caller", sa.String(length=80), nullable=False),
        sa.Column("scope", sa.String(length=80), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("response_status", sa.Integer(), nullable=False),
        sa.Column("response_body", sa.Text(), nullable=False),
        sa.Column("resource_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_records")),
    )
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.create_index(
            "uq_idempotency_records_scope", ["caller", "scope", "key"], unique=True
        )

    op.create_table(
        "outbox_emails",
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("template", sa.String(length=80), nullable=False),
        sa.Column(
            "status",
            sa.Enum("pending", "sent", "failed", name="emailstatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column(
            "next_attempt_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_emails")),
    )
    with op.batch_alter_table("outbox_emails", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_emails_status_next", ["status", "next_attempt_at"], unique=False
        )

    op.create_table(
        "orders",
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("buyer_user_id", sa.Uuid(), nullable=True),
        sa.Column("buyer_name", sa.String(length=120), nullable=False),
        sa.Column("buyer_email", sa.String(length=254), nullable=False),
        sa.Column("buyer_phone", sa.String(length=24), nullable=False),
        sa.Column(
            "language",
            sa.Enum("id", "en", name="language", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("recipient", sa.String(length=120), nullable=False),
        sa.Column("recipient_phone", sa.String(length=24), nullable=False),
        sa.Column("street", sa.String(length=300), nullable=False),
        sa.Column("village", sa.String(length=120), nullable=False),
        sa.Column("district", sa.String(length=120), nullable=False),
        sa.Column("city", sa.String(length=120), nullable=False),
        sa.Column("province", sa.String(length=120), nullable=False),
        sa.Column("postal_code", sa.String(length=5), nullable=False),
        sa.Column("destination_region_code", sa.String(length=13), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "payment_method",
            sa.Enum(
                "stripe", "bank_transfer", "cod", name="paymentmethod", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column(
            "shipping_method",
            sa.Enum("courier", "pickup", name="shippingmethod", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "processing",
                "completed",
                "cancelled",
                name="orderstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "payment_status",
            sa.Enum(
                "unpaid",
                "paid",
                "refunded",
                "partially_refunded",
                name="paymentstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("subtotal", sa.BigInteger(), nullable=False),
        sa.Column("shipping_total", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("access_token_hash", sa.String(length=64), nullable=True),
        sa.Column("expires_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("paid_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("completed_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cancel_reason", sa.String(length=64), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            marketplace.db.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            marketplace.db.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "total = subtotal + shipping_total", name=op.f("ck_orders_total_adds_up")
        ),
        sa.ForeignKeyConstraint(
            ["buyer_user_id"],
            ["users.id"],
            name=op.f("fk_orders_buyer_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.UniqueConstraint("number", name=op.f("uq_orders_number")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(
            "ix_orders_buyer_created", ["buyer_user_id", "created_at", "id"], unique=False
        )
        batch_op.create_index("ix_orders_status_expires", ["status", "expires_at"], unique=False)

    op.create_table(
        "shipping_rates",
        sa.Column("region_code", sa.String(length=13), nullable=True),
        sa.Column("max_weight_grams", sa.Integer(), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            marketplace.db.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            marketplace.db.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_shipping_rates_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipping_rates")),
    )
    with op.batch_alter_table("shipping_rates", schema=None) as batch_op:
        batch_op.create_index(
            "ix_shipping_rates_region_weight", ["region_code", "max_weight_grams"], unique=False
        )

    op.create_table(
        "payments",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column(
            "method",
            sa.Enum(
                "stripe", "bank_transfer", "cod", name="paymentmethod", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "paid",
                "failed",
                "cancelled",
                "refunded",
                "partially_refunded",
                name="paymentattemptstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=True),
        sa.Column("client_secret", sa.String(length=255), nullable=True),
        sa.Column(
            "instructions",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("failure_message", sa.Text(), nullable=True),
        sa.Column("paid_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            marketplace.db.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            marketplace.db.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by"], ["users.id"], name=op.f("fk_payments_confirmed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_payments_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint("reference", name=op.f("uq_payments_reference")),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index("ix_payments_order_created", ["order_id", "created_at"], unique=False)

    op.create_table(
        "seller_orders",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("seller_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "to_ship",
                "shipped",
                "delivered",
                "cancelled",
                name="sellerorderstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("subtotal", sa.BigInteger(), nullable=False),
        sa.Column("shipping", sa.BigInteger(), nullable=False),
        sa.Column("weight_grams", sa.Integer(), nullable=False),
        sa.Column("courier", sa.String(length=60), nullable=True),
        sa.Column("tracking_number", sa.String(length=60), nullable=True),
        sa.Column("shipped_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            marketplace.db.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            marketplace.db.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_seller_orders_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"], ["sellers.id"], name=op.f("fk_seller_orders_seller_id_sellers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seller_orders")),
    )
    with op.batch_alter_table("seller_orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seller_orders_order_id"), ["order_id"], unique=False)
        batch_op.create_index(
            "ix_seller_orders_seller_status", ["seller_id", "status", "created_at"], unique=False
        )

    op.create_table(
        "order_items",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("seller_order_id", sa.Uuid(), nullable=False),
        sa.Column("variant_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("line_total", sa.BigInteger(), nullable=False),
        sa.Column("weight_grams", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_order_items_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_order_items_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_order_items_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["seller_order_id"],
            ["seller_orders.id"],
            name=op.f("fk_order_items_seller_order_id_seller_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"],
            ["product_variants.id"],
            name=op.f("fk_order_items_variant_id_product_variants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_items")),
    )
    with op.batch_alter_table("order_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_items_order_id"), ["order_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_order_items_seller_order_id"), ["seller_order_id"], unique=False
        )

    _seed_shipping_rates()


def downgrade() -> None:
    with op.batch_alter_table("order_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_items_seller_order_id"))
        batch_op.drop_index(batch_op.f("ix_order_items_order_id"))

    op.drop_table("order_items")
    with op.batch_alter_table("seller_orders", schema=None) as batch_op:
        batch_op.drop_index("ix_seller_orders_seller_status")
        batch_op.drop_index(batch_op.f("ix_seller_orders_order_id"))

    op.drop_table("seller_orders")
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index("ix_payments_order_created")

    op.drop_table("payments")
    with op.batch_alter_table("shipping_rates", schema=None) as batch_op:
        batch_op.drop_index("ix_shipping_rates_region_weight")

    op.drop_table("shipping_rates")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_status_expires")
        batch_op.drop_index("ix_orders_buyer_created")

    op.drop_table("orders")
    with op.batch_alter_table("outbox_emails", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_emails_status_next")

    op.drop_table("outbox_emails")
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.drop_index("uq_idempotency_records_scope")

    op.drop_table("idempotency_records")


# Courier prices in rupiah by weight tier: Bangka island, Belitung island (a sea crossing), and
# anywhere outside the province (region null). Admins edit them through the API.
_TIERS = (1000, 3000, 5000, 10000)
_PRICES = {
    "bangka": (12000, 25000, 38000, 65000),
    "belitung": (18000, 35000, 52000, 90000),
    "outside": (30000, 60000, 90000, 160000),
}
_ISLAND = {
    "19.01": "bangka",
    "19.03": "bangka",
    "19.04": "bangka",
    "19.05": "bangka",
    "19.71": "bangka",
    "19.02": "belitung",
    "19.06": "belitung",
}


def _seed_shipping_rates() -> None:
    rates = sa.table(
        "shipping_rates",
        sa.column("id", sa.Uuid),
        sa.column("region_code", sa.String),
        sa.column("max_weight_grams", sa.Integer),
        sa.column("price", sa.BigInteger),
        sa.column("created_at", marketplace.db.base.UTCDateTime),
        sa.column("updated_at", marketplace.db.base.UTCDateTime),
    )
    now = datetime.now(UTC)
    rows = []
    for region, island in [*_ISLAND.items(), (None, "outside")]:
        for weight, price in zip(_TIERS, _PRICES[island], strict=True):
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "region_code": region,
                    "max_weight_grams": weight,
                    "price": price,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    op.bulk_insert(rates, rows)
