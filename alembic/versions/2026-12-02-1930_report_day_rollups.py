"""Report day rollups: the marketplace-wide rollups and buyer sets gain single days, so a
range's edge days read a few rows per member instead of each day's thousands of facts. No
table changes (grain is a string column); the watermark is dropped, so the next sweep rebuilds
every fact, rollup and set under a new epoch (cached answers of the old figures never match
again). Downgrade drops it again: the older code rebuilds without days.

Revision ID: 3f6a1c8d2e57
Revises: 5b7d2e9c4a10
Create Date: 2026-12-02 19:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "3f6a1c8d2e57"
down_revision: str | None = "5b7d2e9c4a10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rebuild_at_next_sweep() -> None:
    # The first sweep without a watermark row rebuilds the whole read model (tasks.py).
    op.execute("DELETE FROM report_watermarks")


def upgrade() -> None:
    _rebuild_at_next_sweep()


def downgrade() -> None:
    # The older code reads no day rows; its rebuild deletes them with the rest.
    _rebuild_at_next_sweep()
