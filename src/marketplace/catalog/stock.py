"""Stock of variants: what an order line needs to know about each, and the conditional
updates that take and give back units (never read-then-write)."""

from __future__ import annotations

import uuid

from sqlalchemy import (
    RowMapping,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.catalog.models import (
    Product,
    ProductVariant,
)
from marketplace.db.base import utcnow
from marketplace.db.session import rows_affected
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


async def take_stock(session: AsyncSession, variant_id: uuid.UUID, quantity: int) -> bool:
    """Take ``quantity`` units if they are there, in one conditional update; never below zero."""
    result = await session.execute(
        update(ProductVariant)
        .where(ProductVariant.id == variant_id, ProductVariant.stock >= quantity)
        .values(stock=ProductVariant.stock - quantity, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return rows_affected(result) == 1


async def return_stock(session: AsyncSession, variant_id: uuid.UUID, quantity: int) -> None:
    await session.execute(
        update(ProductVariant)
        .where(ProductVariant.id == variant_id)
        .values(stock=ProductVariant.stock + quantity, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )


async def stock_levels(session: AsyncSession, variant_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    result = await session.execute(
        select(ProductVariant.id, ProductVariant.stock).where(ProductVariant.id.in_(variant_ids))
    )
    return {row.id: row.stock for row in result}
