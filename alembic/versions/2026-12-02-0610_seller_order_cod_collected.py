"""Seller-orders record when a seller member collected the cash of a cash-on-delivery order

Revision ID: 5b1f0c2d7a90
Revises: e6c2df9dc6fe
Create Date: 2026-12-02 06:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import marketplace.db.base

revision: str = "5b1f0c2d7a90"
down_revision: str | None = "e6c2df9dc6fe"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("seller_orders") as batch_op:
        batch_op.add_column(
            sa.Column(
                "cod_collected_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("seller_orders") as batch_op:
        batch_op.drop_column("cod_collected_at")
