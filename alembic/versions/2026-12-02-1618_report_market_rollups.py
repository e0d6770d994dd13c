"""Report market rollups: the per-seller rollups summed over every seller (with, on
PostgreSQL, the set of sellers that sold as a bit string, sellers numbered once in
report_sellers), by week, month, quarter and year, so the admin's and public groupings read a
few dozen rows; buyer sets gain quarters and years and are stored with lz4 (PostgreSQL), which
decompresses several times faster than the default. The read model is emptied and its
watermark reset, so the next sweep rebuilds every fact, rollup and set (and cached answers of
the old figures never match again)

Revision ID: b24225aee8bc
Revises: 08d88e5f3d7a
Create Date: 2026-12-02 16:18:55.551067
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "b24225aee8bc"
down_revision: str | None = "08d88e5f3d7a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REPORT_TABLES = (
    "report_watermarks",
    "report_buyer_sets",
    "report_seller_buyers",
    "report_buyers",
    "report_rollups",
    "report_facts",
)
BUYER_BITS = ("buyers", "outside_province")


def _empty_reports() -> None:
    for table in REPORT_TABLES:
        op.execute(f"DELETE FROM {table}")


def upgrade() -> None:
    _empty_reports()
    op.create_table(
        "report_market_rollups",
        sa.Column(
            "grain",
            sa.Enum("week", "month", "quarter", "year", name="grain", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column(
            "dimension",
            sa.Enum(
                "total",
                "region",
                "seller_kind",
                "category",
                "product",
                name="marketdimension",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("member", sa.String(length=64), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("month_start", sa.Date(), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.Column("gross", sa.BigInteger(), nullable=False),
        sa.Column("refunds", sa.BigInteger(), nullable=False),
        sa.Column(
            "sellers",
            sa.LargeBinary().with_variant(postgresql.BIT(varying=True), "postgresql"),
            nullable=True,
        ),
        sa.PrimaryKeyConstraint(
            "grain", "dimension", "period", "member", name=op.f("pk_report_market_rollups")
        ),
    )
    with op.batch_alter_table("report_market_rollups", schema=None) as batch_op:
        batch_op.create_index(
            "ix_report_market_rollups_gross",
            ["grain", "dimension", "period", "gross"],
            unique=False,
        )
    op.create_table(
        "report_sellers",
        sa.Column("ordinal", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("seller_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("ordinal", name=op.f("pk_report_sellers")),
        sa.UniqueConstraint("seller_id", name=op.f("uq_report_sellers_seller_id")),
    )
    if op.get_bind().dialect.name == "postgresql":
        for column in BUYER_BITS:
            op.execute(f"ALTER TABLE report_buyer_sets ALTER COLUMN {column} SET COMPRESSION lz4")
        # Numbers start at 1 again, like a fresh database's.
        op.execute("ALTER SEQUENCE report_buyers_ordinal_seq RESTART")


def downgrade() -> None:
    _empty_reports()
    if op.get_bind().dialect.name == "postgresql":
        for column in BUYER_BITS:
            op.execute(
                f"ALTER TABLE report_buyer_sets ALTER COLUMN {column} SET COMPRESSION default"
            )
    op.drop_table("report_sellers")
    with op.batch_alter_table("report_market_rollups", schema=None) as batch_op:
        batch_op.drop_index("ix_report_market_rollups_gross")
    op.drop_table("report_market_rollups")
