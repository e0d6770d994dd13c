"""Report public summaries: the public summary's figures for its default range, written by the
sweep and the rebuild in the transaction that changes the figures (summary_store.py). Created
empty: the next sweep writes it.

Revision ID: 27b54b4d9839
Revises: 3f6a1c8d2e57
Create Date: 2026-12-03 07:32:08.098339
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "27b54b4d9839"
down_revision: str | None = "3f6a1c8d2e57"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_public_summaries",
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("first_day", "last_day", name=op.f("pk_report_public_summaries")),
    )


def downgrade() -> None:
    op.drop_table("report_public_summaries")
