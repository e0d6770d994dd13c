"""Refunds, Stripe webhook events, payment anomalies, the sellers' ledger

Revision ID: dd403f1d86bc
Revises: ebc7a6467c11
Create Date: 2026-11-27 02:00:13.735931
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import marketplace.db.base

revision: str = "dd403f1d86bc"
down_revision: str | None = "ebc7a6467c11"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stripe_events",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("type", sa.String(length=80), nullable=False),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("received_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stripe_events")),
    )
    op.create_table(
        "ledger_entries",
        sa.Column("seller_id", sa.Uuid(), nullable=False),
        sa.Column("seller_order_id", sa.Uuid(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "sale",
                "commission",
                "refund",
                "commission_return",
                "payout",
                name="ledgerkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_ledger_entries_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"], ["sellers.id"], name=op.f("fk_ledger_entries_seller_id_sellers")
        ),
        sa.ForeignKeyConstraint(
            ["seller_order_id"],
            ["seller_orders.id"],
            name=op.f("fk_ledger_entries_seller_order_id_seller_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
    )
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ledger_entries_seller_created", ["seller_id", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "uq_ledger_entries_once", ["seller_order_id", "kind", "reference"], unique=True
        )

    op.create_table(
        "payment_anomalies",
        sa.Column("payment_id", sa.Uuid(), nullable=True),
        sa.Column("event_id", sa.String(length=120), nullable=True),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("created_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_payment_anomalies_payment_id_payments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_anomalies")),
    )
    with op.batch_alter_table("payment_anomalies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payment_anomalies_payment_id"), ["payment_id"], unique=False
        )

    op.create_table(
        "refunds",
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("seller_order_id", sa.Uuid(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "succeeded",
                "pending",
                "failed",
                "manual",
                name="refundstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("provider_refund_id", sa.String(length=120), nullable=True),
        sa.Column("reason", sa.String(length=120), nullable=True),
        sa.Column("created_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
            name=op.f("fk_refunds_payment_id_payments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["seller_order_id"],
            ["seller_orders.id"],
            name=op.f("fk_refunds_seller_order_id_seller_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refunds")),
        sa.UniqueConstraint("provider_refund_id", name=op.f("uq_refunds_provider_refund_id")),
    )
    with op.batch_alter_table("refunds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_refunds_payment_id"), ["payment_id"], unique=False)

    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("refunded_amount", sa.BigInteger(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_column("refunded_amount")

    with op.batch_alter_table("refunds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refunds_payment_id"))

    op.drop_table("refunds")
    with op.batch_alter_table("payment_anomalies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_anomalies_payment_id"))

    op.drop_table("payment_anomalies")
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_index("uq_ledger_entries_once")
        batch_op.drop_index("ix_ledger_entries_seller_created")

    op.drop_table("ledger_entries")
    op.drop_table("stripe_events")
