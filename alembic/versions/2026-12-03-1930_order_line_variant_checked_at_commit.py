"""Order lines' variant reference checked at commit (DEFERRABLE INITIALLY DEFERRED): a
checkout inserts its lines in the statement that takes their variants' stock, and checked at
the end of that statement, checkouts under load deadlocked on a variant row (PostgreSQL's log:
one waiting for the row's tuple lock that a checkout queued behind it held); checked at commit,
none did. SQLite's table is rebuilt with the constraint so declared,
as its models say.

Revision ID: 5c2d8e1f7a90
Revises: 27b54b4d9839
Create Date: 2026-12-03 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c2d8e1f7a90"
down_revision: str | None = "27b54b4d9839"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NAME = "fk_order_items_variant_id_product_variants"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"ALTER TABLE order_items ALTER CONSTRAINT {_NAME} DEFERRABLE INITIALLY DEFERRED"
        )
        return
    _rebuild_sqlite_table(deferrable=True, initially="DEFERRED")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE order_items ALTER CONSTRAINT {_NAME} NOT DEFERRABLE")
        return
    _rebuild_sqlite_table(deferrable=None, initially=None)


def _rebuild_sqlite_table(*, deferrable: bool | None, initially: str | None) -> None:
    """The table copied with ``variant_id``'s reference so declared (a reflected column
    would keep the reference it has, so the column is given anew)."""
    variant_id = sa.Column(
        "variant_id",
        sa.CHAR(32),
        sa.ForeignKey(
            "product_variants.id", name=_NAME, deferrable=deferrable, initially=initially
        ),
        nullable=False,
    )
    with op.batch_alter_table("order_items", recreate="always", reflect_args=[variant_id]):
        pass
