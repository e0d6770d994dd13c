"""Stock of variants: what an order line needs to know about each, and the conditional
updates that take and give back units (never read-then-write)."""

from __future__ import annotations

import uuid

from sqlalchemy import (
    ColumnElement,
    RowMapping,
    Update,
    case,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.catalog.models import (
    Product,
    ProductVariant,
)
from marketplace.db.base import utcnow
from marketplace.db.pending_inserts import execute_with_pending
from marketplace.sellers.models import Seller


async def variants_for_sale(
    session: AsyncSession, variant_ids: list[uuid.UUID]
) -> list[RowMapping]:
    """What an order line needs to know about each variant, in one query."""
    result = await session.execute(
        select(
            ProductVariant.id,
            ProductVariant.product_id,
            ProductVariant.seller_id,
            ProductVariant.name.label("variant_name"),
            ProductVariant.sku,
            ProductVariant.price,
            ProductVariant.weight_grams,
            Product.title,
            Product.max_quantity_per_order,
            Product.status.label("product_status"),
            Seller.status.label("seller_status"),
            Seller.name.label("seller_name"),
        )
        .join(Product, Product.id == ProductVariant.product_id)
        .join(Seller, Seller.id == ProductVariant.seller_id)
        .where(ProductVariant.id.in_(variant_ids))
    )
    return list(result.mappings())


async def take_stocks(session: AsyncSession, quantities: dict[uuid.UUID, int]) -> set[uuid.UUID]:
    """Take each variant's quantity where its units are there, all in one conditional update
    (never below zero); the variants taken. Rows are locked in id order first."""
    needed = _per_variant(quantities)
    result = await execute_with_pending(
        session,
        _in_id_order(session, quantities)
        .where(ProductVariant.stock >= needed)
        .values(stock=ProductVariant.stock - needed, updated_at=utcnow())
        .returning(ProductVariant.id)
        .execution_options(synchronize_session=False),
    )
    return set(result.scalars())


async def return_stocks(session: AsyncSession, quantities: dict[uuid.UUID, int]) -> None:
    given_back = _per_variant(quantities)
    await session.execute(
        _in_id_order(session, quantities)
        .values(stock=ProductVariant.stock + given_back, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def _per_variant(quantities: dict[uuid.UUID, int]) -> ColumnElement[int]:
    return case(*((ProductVariant.id == variant, count) for variant, count in quantities.items()))


def _in_id_order(session: AsyncSession, quantities: dict[uuid.UUID, int]) -> Update:
    """An UPDATE of these variants. On PostgreSQL a locking CTE takes their row locks in id
    order before the update touches any (an UPDATE alone locks in whatever order its plan
    reads), so two carts with the same variants in any order never deadlock; SQLite runs one
    writer at a time."""
    variant_ids = sorted(quantities)
    if session.get_bind().dialect.name != "postgresql":
        return update(ProductVariant).where(ProductVariant.id.in_(variant_ids))
    locked = (
        select(ProductVariant.id)
        .where(ProductVariant.id.in_(variant_ids))
        .order_by(ProductVariant.id)
        # NO KEY UPDATE, as the UPDATE itself would take: a plain FOR UPDATE would also wait
        # for the key-share locks other checkouts' order lines hold on these rows.
        .with_for_update(key_share=True)
        .cte("locked_variants")
        .prefix_with("MATERIALIZED")
    )
    return update(ProductVariant).add_cte(locked).where(ProductVariant.id.in_(select(locked.c.id)))


async def stock_levels(session: AsyncSession, variant_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    result = await session.execute(
        select(ProductVariant.id, ProductVariant.stock).where(ProductVariant.id.in_(variant_ids))
    )
    return {row.id: row.stock for row in result}
