"""Rules of the catalog: regions and categories."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.catalog import repository, stock
from marketplace.catalog.exceptions import CategoryExists
from marketplace.catalog.models import Category, Product, ProductStatus, ProductVariant, Region
from marketplace.catalog.schemas import CategoryCreate, CategoryRead
from marketplace.core.errors import InvalidInput
from marketplace.core.i18n import gettext
from marketplace.sellers.models import SellerStatus


async def list_regions(session: AsyncSession) -> list[Region]:
    return await repository.list_regions(session)


async def require_region(
    session: AsyncSession, code: str, *, field: str | Sequence[str | int] = "region_code"
) -> Region:
    """The region with ``code``, or a 422 naming ``field`` (a path for a nested field)."""
    region = await repository.get_region(session, code)
    if region is None:
        message = gettext("Region code '%(code)s' is unknown.", code=code)
        location = [field] if isinstance(field, str) else list(field)
        raise InvalidInput.for_field(["body", *location], message, "unknown_region")
    return region


async def list_categories(session: AsyncSession) -> list[CategoryRead]:
    rows = await repository.list_categories_with_parent_slug(session)
    return [
        CategoryRead(
            slug=category.slug,
            name=category.name,
            name_en=category.name_en,
            parent=parent_slug,
            halal_required=category.halal_required,
        )
        for category, parent_slug in rows
    ]


async def create_category(session: AsyncSession, data: CategoryCreate) -> CategoryRead:
    if await repository.get_category_by_slug(session, data.slug) is not None:
        raise CategoryExists(params={"slug": data.slug})
    parent = None
    if data.parent is not None:
        parent = await repository.get_category_by_slug(session, data.parent)
        if parent is None:
            message = gettext("Category '%(slug)s' is unknown.", slug=data.parent)
            raise InvalidInput.for_field(["body", "parent"], message, "unknown_category")
    category = Category(
        slug=data.slug,
        name=data.name,
        name_en=data.name_en,
        parent_id=parent.id if parent else None,
        halal_required=data.halal_required,
    )
    session.add(category)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as error:
        raise CategoryExists(params={"slug": data.slug}) from error
    return CategoryRead(
        slug=category.slug,
        name=category.name,
        name_en=category.name_en,
        parent=data.parent,
        halal_required=category.halal_required,
    )


async def move_seller_products(
    session: AsyncSession, seller_id: uuid.UUID, region_code: str
) -> None:
    """A seller moved: their products are now found under the new region."""
    await repository.move_seller_products(session, seller_id, region_code)


@dataclass(frozen=True)
class VariantForSale:
    id: uuid.UUID
    product_id: uuid.UUID
    seller_id: uuid.UUID
    seller_name: str
    title: str
    sku: str | None
    price: int
    weight_grams: int
    purchasable: bool
    # The seller's cap on units of this product (all its variants together) per order.
    max_quantity_per_order: int = 10


@dataclass(frozen=True)
class Shortage:
    variant_id: uuid.UUID
    requested: int
    available: int


async def variants_for_sale(
    session: AsyncSession, variant_ids: list[uuid.UUID]
) -> dict[uuid.UUID, VariantForSale]:
    """Variants by id, each saying whether it can be bought now (published, verified seller)."""
    return variants_from_rows(await stock.variants_for_sale(session, variant_ids))


def variants_from_rows(rows: Sequence[RowMapping]) -> dict[uuid.UUID, VariantForSale]:
    """Variants by id from rows of ``stock.for_sale_statement``'s columns."""
    return {
        row["id"]: VariantForSale(
            id=row["id"],
            product_id=row["product_id"],
            seller_id=row["seller_id"],
            seller_name=row["seller_name"],
            title=f"{row['title']} - {row['variant_name']}",
            sku=row["sku"],
            price=row["price"],
            weight_grams=row["weight_grams"],
            max_quantity_per_order=row["max_quantity_per_order"],
            purchasable=row["product_status"] == ProductStatus.PUBLISHED
            and row["seller_status"] == SellerStatus.VERIFIED,
        )
        for row in rows
    }


async def reserve_stock(session: AsyncSession, quantities: dict[uuid.UUID, int]) -> list[Shortage]:
    """Take every quantity in one conditional update that locks the rows in id order (so two
    carts cannot deadlock). Returns the shortages; the caller rolls back if any."""
    if not quantities:
        return []
    taken = await stock.take_stocks(session, quantities)
    short = [variant_id for variant_id in sorted(quantities) if variant_id not in taken]
    if not short:
        return []
    levels = await stock.stock_levels(session, short)
    return [Shortage(v, quantities[v], levels.get(v, 0)) for v in short]


async def release_stock(session: AsyncSession, quantities: dict[uuid.UUID, int]) -> None:
    if quantities:
        await stock.return_stocks(session, quantities)


async def catalog_version(session: AsyncSession) -> str:
    """A string that changes whenever anything public pages show of the catalog changes
    (products, prices, stock, sellers, categories): part of other domains' cache keys."""
    return await repository.catalog_version(session)


async def public_product_addresses(
    session: AsyncSession, *, offset: int, limit: int
) -> list[tuple[str, datetime]]:
    """(slug, last change) of products the public may see, a stable slice (sitemaps)."""
    return await repository.public_product_addresses(session, offset=offset, limit=limit)


async def count_public_products(session: AsyncSession) -> int:
    return await repository.count_public_products(session)


async def add_rating(session: AsyncSession, product_id: uuid.UUID, stars: int, count: int) -> None:
    """Count a review in (or, negative, out of) the product's rating, exactly under races."""
    await repository.add_rating(session, product_id, stars, count)


async def products_by_ids(session: AsyncSession, product_ids: Sequence[uuid.UUID]) -> list[Product]:
    """The products named (any status), for pages listing things about products."""
    return await repository.products_by_ids(session, product_ids)


async def products_of_sellers(
    session: AsyncSession, seller_ids: Sequence[uuid.UUID]
) -> list[Product]:
    """Every product of these sellers, any status, oldest first (what an admin checks before
    verifying a seller: its listings and their compliance numbers)."""
    return await repository.products_of_sellers(session, seller_ids)


async def low_stock_variants(
    session: AsyncSession, seller_id: uuid.UUID, threshold: int = 3, limit: int = 20
) -> list[tuple[Product, ProductVariant]]:
    """What the seller is about to run out of (the seller console's home lists it)."""
    return await repository.low_stock_variants(session, seller_id, threshold, limit)
