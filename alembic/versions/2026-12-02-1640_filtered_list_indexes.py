"""Filtered product lists served by an index: the seller, region and category indexes carry
the public order (status, published_at, id) after their column and, on PostgreSQL, the other
filter columns, so a filtered list newest first reads its page off one index (index-only)
instead of scanning the newest products of every filter

Revision ID: 5b7d2e9c4a10
Revises: 5c1e0a9b7d42
Create Date: 2026-12-02 16:40:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5b7d2e9c4a10"
down_revision: str | None = "5c1e0a9b7d42"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# filter column: (old two-column index, new index with the public order)
FILTER_INDEXES = {
    "seller_id": ("ix_products_seller_status", "ix_products_seller_status_published"),
    "region_code": ("ix_products_region_status", "ix_products_region_status_published"),
    "category_id": ("ix_products_category_status", "ix_products_category_status_published"),
}


FILTER_COLUMNS = ("seller_id", "region_code", "category_id", "min_price")

# Plain index statements, no batch mode: SQLite must keep the products table (its rowids key
# the FTS5 search index).


def upgrade() -> None:
    for column, (old, new) in FILTER_INDEXES.items():
        op.drop_index(old, table_name="products")
        op.create_index(
            new,
            "products",
            [column, "status", "published_at", "id"],
            postgresql_include=[other for other in FILTER_COLUMNS if other != column],
        )


def downgrade() -> None:
    for column, (old, new) in FILTER_INDEXES.items():
        op.drop_index(new, table_name="products")
        op.create_index(old, "products", [column, "status"])
