"""Catalog products, variants and images, with full-text search (tsvector + pg_trgm / FTS5)

Revision ID: 9e0710b68f82
Revises: faf5d0501ea4
Create Date: 2026-11-27 01:44:35.325237
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import marketplace.db.base

revision: str = "9e0710b68f82"
down_revision: str | None = "faf5d0501ea4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "products",
        sa.Column("seller_id", sa.Uuid(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("region_code", sa.String(length=13), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft", "published", "archived", name="productstatus", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("min_price", sa.BigInteger(), nullable=False),
        sa.Column("pirt_number", sa.String(length=15), nullable=True),
        sa.Column("bpom_number", sa.String(length=20), nullable=True),
        sa.Column("halal_certificate", sa.String(length=40), nullable=True),
        sa.Column("published_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=True),
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
            ["category_id"], ["categories.id"], name=op.f("fk_products_category_id_categories")
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_products_region_code_regions")
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["sellers.id"],
            name=op.f("fk_products_seller_id_sellers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("slug", name=op.f("uq_products_slug")),
    )
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.create_index(
            "ix_products_category_status", ["category_id", "status"], unique=False
        )
        batch_op.create_index("ix_products_region_status", ["region_code", "status"], unique=False)
        batch_op.create_index("ix_products_seller_status", ["seller_id", "status"], unique=False)
        batch_op.create_index(
            "ix_products_status_price", ["status", "min_price", "id"], unique=False
        )
        batch_op.create_index(
            "ix_products_status_published", ["status", "published_at", "id"], unique=False
        )

    op.create_table(
        "product_images",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.String(length=255), nullable=False),
        sa.Column("thumbnail_key", sa.String(length=255), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("thumbnail_width", sa.Integer(), nullable=False),
        sa.Column("thumbnail_height", sa.Integer(), nullable=False),
        sa.Column("created_at", marketplace.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_images_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_images")),
    )
    with op.batch_alter_table("product_images", schema=None) as batch_op:
        batch_op.create_index(
            "ix_product_images_product_position", ["product_id", "position"], unique=False
        )

    op.create_table(
        "product_variants",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("seller_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=True),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.Column("weight_grams", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
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
        sa.CheckConstraint("price >= 0", name=op.f("ck_product_variants_price_not_negative")),
        sa.CheckConstraint("stock >= 0", name=op.f("ck_product_variants_stock_not_negative")),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_variants_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["sellers.id"],
            name=op.f("fk_product_variants_seller_id_sellers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_variants")),
        sa.UniqueConstraint("seller_id", "sku", name=op.f("uq_product_variants_seller_id_sku")),
    )
    with op.batch_alter_table("product_variants", schema=None) as batch_op:
        batch_op.create_index(
            "ix_product_variants_product_position", ["product_id", "position"], unique=False
        )

    op.create_index("ix_products_updated_at", "products", ["updated_at"], unique=False)
    op.create_index(
        "ix_product_variants_updated_at", "product_variants", ["updated_at"], unique=False
    )
    op.create_index("ix_sellers_updated_at", "sellers", ["updated_at"], unique=False)
    _create_search()


def downgrade() -> None:
    _drop_search()
    op.drop_index("ix_sellers_updated_at", table_name="sellers")
    op.drop_index("ix_product_variants_updated_at", table_name="product_variants")
    op.drop_index("ix_products_updated_at", table_name="products")
    with op.batch_alter_table("product_variants", schema=None) as batch_op:
        batch_op.drop_index("ix_product_variants_product_position")

    op.drop_table("product_variants")
    with op.batch_alter_table("product_images", schema=None) as batch_op:
        batch_op.drop_index("ix_product_images_product_position")

    op.drop_table("product_images")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_index("ix_products_status_published")
        batch_op.drop_index("ix_products_status_price")
        batch_op.drop_index("ix_products_seller_status")
        batch_op.drop_index("ix_products_region_status")
        batch_op.drop_index("ix_products_category_status")

    op.drop_table("products")


POSTGRES_SEARCH = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Title weighs more than description; 'indonesian' stems (menjual -> jual).
    "ALTER TABLE products ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('indonesian', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('indonesian', coalesce(description, '')), 'B')) STORED",
    "CREATE INDEX ix_products_search_vector ON products USING gin (search_vector)",
    # Typo tolerance: 'lada puith' still finds 'Lada Putih' through trigram word similarity.
    "CREATE INDEX ix_products_title_trgm ON products USING gin (lower(title) gin_trgm_ops)",
)

SQLITE_SEARCH = (
    # External-content FTS5 keyed by the products table's rowid, kept in step by triggers.
    # Trigrams match inside words, which stands in for stemming Indonesian affixes
    # (menjual ~ jual, kerajinan ~ rajin) that SQLite has no stemmer for.
    "CREATE VIRTUAL TABLE products_fts USING fts5(title, description, "
    "content='products', content_rowid='rowid', tokenize='trigram')",
    "CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN "
    "INSERT INTO products_fts(rowid, title, description) "
    "VALUES (new.rowid, new.title, new.description); END",
    "CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN "
    "INSERT INTO products_fts(products_fts, rowid, title, description) "
    "VALUES ('delete', old.rowid, old.title, old.description); END",
    "CREATE TRIGGER products_fts_update AFTER UPDATE OF title, description ON products BEGIN "
    "INSERT INTO products_fts(products_fts, rowid, title, description) "
    "VALUES ('delete', old.rowid, old.title, old.description); "
    "INSERT INTO products_fts(rowid, title, description) "
    "VALUES (new.rowid, new.title, new.description); END",
)


def _create_search() -> None:
    dialect = op.get_bind().dialect.name
    statements = POSTGRES_SEARCH if dialect == "postgresql" else SQLITE_SEARCH
    for statement in statements:
        op.execute(statement)


def _drop_search() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_products_title_trgm")
        op.execute("DROP INDEX IF EXISTS ix_products_search_vector")
        op.execute("ALTER TABLE products DROP COLUMN IF EXISTS search_vector")
    else:
        for trigger in ("products_fts_insert", "products_fts_delete", "products_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS products_fts")
