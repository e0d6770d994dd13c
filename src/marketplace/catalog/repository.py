"""SQL for the catalog: regions, categories, products, variants, images."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Float,
    RowMapping,
    case,
    cast,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from marketplace.catalog.models import (
    Category,
    Product,
    ProductImage,
    ProductStatus,
    ProductVariant,
    Region,
)
from marketplace.catalog.product_queries import publicly_visible, summary_select
from marketplace.db.base import utcnow
from marketplace.db.queries import (
    LIKE_ESCAPE,
    escape_like,
    newest_first,
)
from marketplace.sellers.models import Seller


async def list_regions(session: AsyncSession) -> list[Region]:
    result = await session.execute(select(Region).order_by(Region.code))
    return list(result.scalars())


async def get_region(session: AsyncSession, code: str) -> Region | None:
    return await session.get(Region, code)


async def list_categories_with_parent_slug(
    session: AsyncSession,
) -> list[tuple[Category, str | None]]:
    parent = aliased(Category)
    result = await session.execute(
        select(Category, parent.slug)
        .outerjoin(parent, Category.parent_id == parent.id)
        .order_by(Category.slug)
    )
    return [(category, parent_slug) for category, parent_slug in result.all()]


async def get_category_by_slug(session: AsyncSession, slug: str) -> Category | None:
    result = await session.execute(select(Category).where(Category.slug == slug))
    return result.scalar_one_or_none()


async def list_seller_products(
    session: AsyncSession,
    seller_id: uuid.UUID,
    status: ProductStatus | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[RowMapping]:
    """A seller's own products in any status, newest first."""
    query = summary_select().where(Product.seller_id == seller_id)
    if status is not None:
        query = query.where(Product.status == status)
    query = newest_first(query, Product.created_at, Product.id, after, limit)
    return list((await session.execute(query)).mappings())


async def move_seller_products(
    session: AsyncSession, seller_id: uuid.UUID, region_code: str
) -> None:
    await session.execute(
        update(Product)
        .where(Product.seller_id == seller_id)
        .values(region_code=region_code, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )


async def list_category_tree(
    session: AsyncSession,
) -> list[tuple[uuid.UUID, uuid.UUID | None, str]]:
    result = await session.execute(select(Category.id, Category.parent_id, Category.slug))
    return [(row.id, row.parent_id, row.slug) for row in result]


async def get_product(
    session: AsyncSession, product_id: uuid.UUID, *, for_update: bool = False
) -> Product | None:
    query = select(Product).where(Product.id == product_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def get_product_by_slug(session: AsyncSession, slug: str) -> Product | None:
    return (await session.execute(select(Product).where(Product.slug == slug))).scalar_one_or_none()


async def product_slugs_like(session: AsyncSession, base: str) -> set[str]:
    result = await session.execute(
        select(Product.slug).where(
            or_(
                Product.slug == base,
                Product.slug.like(f"{escape_like(base)}-%", escape=LIKE_ESCAPE),
            )
        )
    )
    return set(result.scalars())


async def get_category(session: AsyncSession, category_id: uuid.UUID) -> Category | None:
    return await session.get(Category, category_id)


async def list_variants(session: AsyncSession, product_id: uuid.UUID) -> list[ProductVariant]:
    result = await session.execute(
        select(ProductVariant)
        .where(ProductVariant.product_id == product_id)
        .order_by(ProductVariant.position, ProductVariant.id)
    )
    return list(result.scalars())


async def list_images(
    session: AsyncSession, product_id: uuid.UUID, *, approved_only: bool = False
) -> list[ProductImage]:
    query = select(ProductImage).where(ProductImage.product_id == product_id)
    if approved_only:
        query = query.where(ProductImage.approved.is_(True))
    result = await session.execute(query.order_by(ProductImage.position, ProductImage.id))
    return list(result.scalars())


async def get_variants_of_seller(
    session: AsyncSession, seller_id: uuid.UUID, variant_ids: list[uuid.UUID]
) -> list[ProductVariant]:
    """The seller's variants among ``variant_ids``, locked, in id order (a fixed lock order)."""
    result = await session.execute(
        select(ProductVariant)
        .where(ProductVariant.seller_id == seller_id, ProductVariant.id.in_(variant_ids))
        .order_by(ProductVariant.id)
        .with_for_update()
    )
    return list(result.scalars())


async def sku_taken(
    session: AsyncSession, seller_id: uuid.UUID, skus: list[str], exclude: uuid.UUID | None = None
) -> list[str]:
    query = select(ProductVariant.sku).where(
        ProductVariant.seller_id == seller_id, ProductVariant.sku.in_(skus)
    )
    if exclude is not None:
        query = query.where(ProductVariant.id != exclude)
    return [sku for sku in (await session.execute(query)).scalars() if sku]


async def lowest_price(session: AsyncSession, product_id: uuid.UUID) -> int:
    result = await session.execute(
        select(func.min(ProductVariant.price)).where(ProductVariant.product_id == product_id)
    )
    return int(result.scalar_one() or 0)


async def count_images(session: AsyncSession, product_id: uuid.UUID) -> tuple[int, int]:
    """(how many images, the next free position)."""
    result = await session.execute(
        select(func.count(), func.coalesce(func.max(ProductImage.position), -1)).where(
            ProductImage.product_id == product_id
        )
    )
    count, last_position = result.one()
    return int(count), int(last_position) + 1


async def get_image(
    session: AsyncSession, product_id: uuid.UUID, image_id: uuid.UUID
) -> ProductImage | None:
    result = await session.execute(
        select(ProductImage).where(
            ProductImage.id == image_id, ProductImage.product_id == product_id
        )
    )
    return result.scalar_one_or_none()


async def catalog_version(session: AsyncSession) -> str:
    """Changes whenever anything a catalog page shows changes: the newest update time of
    products, variants (stock, price), sellers and categories. Reads of indexed maxima, and
    no counter row that every order would have to lock."""
    result = await session.execute(
        select(
            select(func.max(Product.updated_at)).scalar_subquery(),
            select(func.max(ProductVariant.updated_at)).scalar_subquery(),
            select(func.max(Seller.updated_at)).scalar_subquery(),
            select(func.max(Category.updated_at)).scalar_subquery(),
        )
    )
    return "|".join(str(value) for value in result.one())


async def list_products_of_seller(
    session: AsyncSession, seller_id: uuid.UUID
) -> list[tuple[Product, str]]:
    """Every product of the seller, any status, with its category slug, oldest first."""
    result = await session.execute(
        select(Product, Category.slug)
        .join(Category, Category.id == Product.category_id)
        .where(Product.seller_id == seller_id)
        .order_by(Product.created_at, Product.id)
    )
    return [(product, category_slug) for product, category_slug in result.all()]


async def list_variants_of_seller(
    session: AsyncSession, seller_id: uuid.UUID
) -> list[ProductVariant]:
    """Every variant of the seller in one query, each product's in position order."""
    result = await session.execute(
        select(ProductVariant)
        .where(ProductVariant.seller_id == seller_id)
        .order_by(ProductVariant.product_id, ProductVariant.position, ProductVariant.id)
    )
    return list(result.scalars())


async def public_product_addresses(
    session: AsyncSession, *, offset: int, limit: int
) -> list[tuple[str, datetime]]:
    """(slug, updated_at) of public products in a stable order, for the sitemap."""
    result = await session.execute(
        select(Product.slug, Product.updated_at)
        .join(Seller, Seller.id == Product.seller_id)
        .where(publicly_visible())
        .order_by(Product.id)
        .offset(offset)
        .limit(limit)
    )
    return [(slug, updated_at) for slug, updated_at in result.all()]


async def count_public_products(session: AsyncSession) -> int:
    result = await session.execute(
        select(func.count())
        .select_from(Product)
        .join(Seller, Seller.id == Product.seller_id)
        .where(publicly_visible())
    )
    return int(result.scalar_one())


async def category_requires_halal(session: AsyncSession, category_id: uuid.UUID) -> bool:
    """The category or one of its ancestors requires a halal declaration (a tree a few levels
    deep: one small read per level)."""
    seen: set[uuid.UUID] = set()
    current: uuid.UUID | None = category_id
    while current is not None and current not in seen:
        seen.add(current)
        row = (
            await session.execute(
                select(Category.halal_required, Category.parent_id).where(Category.id == current)
            )
        ).one_or_none()
        if row is None:
            return False
        if row.halal_required:
            return True
        current = row.parent_id
    return False


async def approve_images(session: AsyncSession, product_id: uuid.UUID) -> None:
    await session.execute(
        update(ProductImage)
        .where(ProductImage.product_id == product_id, ProductImage.approved.is_(False))
        .values(approved=True)
        .execution_options(synchronize_session=False)
    )


async def add_rating(session: AsyncSession, product_id: uuid.UUID, stars: int, count: int) -> None:
    """Add (or, with negative numbers, take away) reviews in one conditional UPDATE: the row
    lock serialises concurrent reviews, so count, total and mean stay exact."""
    new_count = Product.rating_count + count
    new_total = Product.rating_total + stars
    await session.execute(
        update(Product)
        .where(Product.id == product_id)
        .values(
            rating_count=new_count,
            rating_total=new_total,
            rating_average=case((new_count > 0, cast(new_total, Float) / new_count), else_=0.0),
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )


async def products_with_expiring_numbers(
    session: AsyncSession, *, skip_locked: bool
) -> list[Product]:
    """Listings (not removed) carrying a P-IRT number or a dated halal certificate, locked:
    the daily compliance sweep's candidates."""
    query = (
        select(Product)
        .where(
            Product.status != ProductStatus.REMOVED,
            or_(Product.pirt_number.is_not(None), Product.halal_valid_until.is_not(None)),
        )
        .order_by(Product.seller_id, Product.id)
        .with_for_update(skip_locked=skip_locked)
    )
    return list((await session.execute(query)).scalars())
