"""Escrow: ledger entries carry their bucket (pending or available), seller-orders settle once,
complaints, payout bank accounts; existing ledgers are brought under the new rules

Revision ID: eeef2ce094ea
Revises: df9442104e41
Create Date: 2026-12-02 06:15:00

Existing ledgers: every seller-order entry is first held (``pending``); seller-orders already
delivered settle at once (their money moves to ``available``); credits the old rule made for
cash-on-delivery seller-orders are reversed with an explanatory ``cod_reversal`` entry (the
seller holds that cash) and the commission on them is charged from ``available`` instead.
Payouts stay in ``available``, which may therefore turn negative: the seller owes the platform.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import marketplace.db.base
from marketplace.db.base import new_id

revision: str = "eeef2ce094ea"
down_revision: str | None = "df9442104e41"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COD_REVERSAL_NOTE = (
    "Bayar di tempat: uang tunai sudah dipegang penjual, jadi kredit menurut aturan lama "
    "dibatalkan; komisi ditagih dari saldo tersedia. / Cash on delivery: the seller already "
    "holds the cash, so the credit made by the old rule is reversed; the commission is charged "
    "from the available balance."
)

ledger = sa.table(
    "ledger_entries",
    sa.column("id", sa.Uuid()),
    sa.column("seller_id", sa.Uuid()),
    sa.column("seller_order_id", sa.Uuid()),
    sa.column("kind", sa.String()),
    sa.column("bucket", sa.String()),
    sa.column("amount", sa.BigInteger()),
    sa.column("reference", sa.String()),
    sa.column("note", sa.Text()),
    sa.column("created_at", marketplace.db.base.UTCDateTime(timezone=True)),
)
settlements = sa.table(
    "seller_order_settlements",
    sa.column("id", sa.Uuid()),
    sa.column("seller_order_id", sa.Uuid()),
    sa.column("seller_id", sa.Uuid()),
    sa.column("trigger", sa.String()),
    sa.column("amount", sa.BigInteger()),
    sa.column("created_at", marketplace.db.base.UTCDateTime(timezone=True)),
)
seller_orders = sa.table(
    "seller_orders",
    sa.column("id", sa.Uuid()),
    sa.column("order_id", sa.Uuid()),
    sa.column("seller_id", sa.Uuid()),
    sa.column("status", sa.String()),
    sa.column("delivered_at", marketplace.db.base.UTCDateTime(timezone=True)),
    sa.column("cod_collected_at", marketplace.db.base.UTCDateTime(timezone=True)),
)
orders = sa.table(
    "orders",
    sa.column("id", sa.Uuid()),
    sa.column("payment_method", sa.String()),
)


def _create_tables() -> None:
    op.create_table(
        "payout_accounts",
        sa.Column("seller_id", sa.Uuid(), nullable=False),
        sa.Column("bank_code", sa.String(length=40), nullable=False),
        sa.Column("account_number", sa.String(length=40), nullable=False),
        sa.Column("account_holder", sa.String(length=120), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_payout_accounts_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["sellers.id"],
            name=op.f("fk_payout_accounts_seller_id_sellers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payout_accounts")),
    )
    with op.batch_alter_table("payout_accounts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_payout_accounts_seller_created", ["seller_id", "created_at", "id"], unique=False
        )

    op.create_table(
        "complaints",
        sa.Column("seller_order_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("seller_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "resolved", name="complaintstatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column(
            "reason",
            sa.Enum(
                "not_received",
                "damaged",
                "not_as_described",
                "other",
                name="complaintreason",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("seller_answer", sa.Text(), nullable=True),
        sa.Column("answered_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_by", sa.Uuid(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "refund",
                "partial_refund",
                "release",
                name="complaintoutcome",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("refund_amount", sa.BigInteger(), nullable=True),
        sa.Column("resolution_note", sa.String(length=2000), nullable=True),
        sa.Column("resolved_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.Uuid(), nullable=True),
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
            ["answered_by"],
            ["users.id"],
            name=op.f("fk_complaints_answered_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_complaints_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by"],
            ["users.id"],
            name=op.f("fk_complaints_resolved_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"], ["sellers.id"], name=op.f("fk_complaints_seller_id_sellers")
        ),
        sa.ForeignKeyConstraint(
            ["seller_order_id"],
            ["seller_orders.id"],
            name=op.f("fk_complaints_seller_order_id_seller_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("seller_order_id", name=op.f("uq_complaints_seller_order_id")),
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaints_seller_id"), ["seller_id"], unique=False)
        batch_op.create_index(
            "ix_complaints_status_created", ["status", "created_at", "id"], unique=False
        )

    op.create_table(
        "seller_order_settlements",
        sa.Column("seller_order_id", sa.Uuid(), nullable=False),
        sa.Column("seller_id", sa.Uuid(), nullable=False),
        sa.Column(
            "trigger",
            sa.Enum(
                "buyer_confirmed",
                "hold_elapsed",
                "complaint_resolved",
                "migration",
                name="settlementtrigger",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("created_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["sellers.id"],
            name=op.f("fk_seller_order_settlements_seller_id_sellers"),
        ),
        sa.ForeignKeyConstraint(
            ["seller_order_id"],
            ["seller_orders.id"],
            name=op.f("fk_seller_order_settlements_seller_order_id_seller_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seller_order_settlements")),
        sa.UniqueConstraint(
            "seller_order_id", name=op.f("uq_seller_order_settlements_seller_order_id")
        ),
    )
    with op.batch_alter_table("seller_order_settlements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_seller_order_settlements_seller_id"), ["seller_id"], unique=False
        )


def upgrade() -> None:
    _create_tables()
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "bucket",
                sa.Enum("pending", "available", name="ledgerbucket", native_enum=False, length=32),
                nullable=False,
                server_default="available",
            )
        )
        batch_op.drop_index(batch_op.f("uq_ledger_entries_once"))
        batch_op.create_index(
            "uq_ledger_entries_once",
            ["seller_order_id", "kind", "bucket", "reference"],
            unique=True,
        )
    _bring_ledgers_under_escrow(op.get_bind())
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.alter_column("bucket", server_default=None)


def _entry(
    seller_id: object, part_id: object, kind: str, bucket: str, amount: int, **extra: object
) -> dict[str, object]:
    return {
        "id": new_id(),
        "seller_id": seller_id,
        "seller_order_id": part_id,
        "kind": kind,
        "bucket": bucket,
        "amount": amount,
        "reference": extra.get("reference", "migration"),
        "note": extra.get("note"),
        "created_at": datetime.now(UTC),
    }


def _bring_ledgers_under_escrow(connection: sa.Connection) -> None:
    connection.execute(
        ledger.update().where(ledger.c.seller_order_id.is_not(None)).values(bucket="pending")
    )
    sums = dict(
        connection.execute(
            sa.select(ledger.c.seller_order_id, sa.func.sum(ledger.c.amount))
            .where(ledger.c.seller_order_id.is_not(None))
            .group_by(ledger.c.seller_order_id)
        ).all()
    )
    commissions = dict(
        connection.execute(
            sa.select(ledger.c.seller_order_id, sa.func.sum(ledger.c.amount))
            .where(ledger.c.kind == "commission")
            .group_by(ledger.c.seller_order_id)
        ).all()
    )
    parts = connection.execute(
        sa.select(
            seller_orders.c.id,
            seller_orders.c.seller_id,
            seller_orders.c.status,
            seller_orders.c.delivered_at,
            orders.c.payment_method,
        ).join(orders, orders.c.id == seller_orders.c.order_id)
    ).all()
    entries: list[dict[str, object]] = []
    settled: list[dict[str, object]] = []
    for part_id, seller_id, status, delivered_at, method in parts:
        held = int(sums.get(part_id) or 0)
        if method == "cod" and part_id in sums:
            if held:
                entries.append(
                    _entry(
                        seller_id, part_id, "cod_reversal", "pending", -held, note=COD_REVERSAL_NOTE
                    )
                )
            commission = int(commissions.get(part_id) or 0)
            if commission:
                entries.append(
                    _entry(seller_id, part_id, "cod_commission", "available", commission)
                )
            connection.execute(
                seller_orders.update()
                .where(seller_orders.c.id == part_id, seller_orders.c.cod_collected_at.is_(None))
                .values(cod_collected_at=delivered_at)
            )
            held = 0
        if status != "delivered":
            continue
        settled.append(
            {
                "id": new_id(),
                "seller_order_id": part_id,
                "seller_id": seller_id,
                "trigger": "migration",
                "amount": held,
                "created_at": datetime.now(UTC),
            }
        )
        if held:
            entries.append(
                _entry(seller_id, part_id, "settlement", "pending", -held, reference="settlement")
            )
            entries.append(
                _entry(seller_id, part_id, "settlement", "available", held, reference="settlement")
            )
    if entries:
        connection.execute(ledger.insert(), entries)
    if settled:
        connection.execute(settlements.insert(), settled)


def downgrade() -> None:
    op.get_bind().execute(
        ledger.delete().where(ledger.c.kind.in_(("settlement", "cod_commission", "cod_reversal")))
    )
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_index("uq_ledger_entries_once")
        batch_op.create_index(
            batch_op.f("uq_ledger_entries_once"),
            ["seller_order_id", "kind", "reference"],
            unique=True,
        )
        batch_op.drop_column("bucket")

    with op.batch_alter_table("seller_order_settlements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seller_order_settlements_seller_id"))
    op.drop_table("seller_order_settlements")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index("ix_complaints_status_created")
        batch_op.drop_index(batch_op.f("ix_complaints_seller_id"))
    op.drop_table("complaints")
    with op.batch_alter_table("payout_accounts", schema=None) as batch_op:
        batch_op.drop_index("ix_payout_accounts_seller_created")
    op.drop_table("payout_accounts")
