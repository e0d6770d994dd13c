"""Featured entries: the products the government site shows, their order and time window

Revision ID: e6c2df9dc6fe
Revises: dd403f1d86bc
Create Date: 2026-11-27 02:05:15.626067
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import marketplace.db.base

revision: str = "e6c2df9dc6fe"
down_revision: str | None = "dd403f1d86bc"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "featured_entries",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("starts_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ends_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
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
            ["created_by"],
            ["users.id"],
            name=op.f("fk_featured_entries_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_featured_entries_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_featured_entries")),
        sa.UniqueConstraint("product_id", name=op.f("uq_featured_entries_product_id")),
    )
    with op.batch_alter_table("featured_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_featured_entries_created_by"), ["created_by"], unique=False
        )
        batch_op.create_index("ix_featured_entries_position", ["position", "id"], unique=False)
        batch_op.create_index("ix_featured_entries_updated_at", ["updated_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("featured_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_featured_entries_updated_at")
        batch_op.drop_index("ix_featured_entries_position")
        batch_op.drop_index(batch_op.f("ix_featured_entries_created_by"))

    op.drop_table("featured_entries")
