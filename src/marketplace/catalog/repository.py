"""SQL for the catalog: regions, categories, products, variants, images."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    RowMapping,
    Select,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased
from sqlalchemy.sql.selectable import ScalarSelect

from marketplace.catalog.models import (
    Category,
    Product,
    ProductImage,
    ProductStatus,
    ProductVariant,
    Region,
)
from marketplace.catalog.search import SearchClause, postgres_search, sqlite_search
from marketplace.db.base import utcnow
from marketplace.db.queries import (
    LIKE_ESCAPE,
    SortKey,
    escape_like,
    keyset_page,
    newest_first,
)
from marketplace.db.session import rows_affected
from marketplace.sellers.models import Seller, SellerStatus


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


@dataclass(frozen=True)
class ProductFilters:
    query: str | None = None
    category_ids: list[uuid.UUID] | None = None
    region_code: str | None = None
    seller_id: uuid.UUID | None = None
    min_price: int | None = None
    max_price: int | None = None


class ProductSort(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    RATING = "rating"  # best mean stars first; unreviewed products last


def _first_image_column(column: InstrumentedAttribute[str]) -> ScalarSelect[str]:
    return (
        select(column)
        .where(ProductImage.product_id == Product.id, ProductImage.approved.is_(True))
        .order_by(ProductImage.position, ProductImage.id)
        .limit(1)
        .correlate(Product)
        .scalar_subquery()
    )


def _summary_columns() -> tuple[Any, ...]:
    in_stock = (
        exists()
        .where(ProductVariant.product_id == Product.id, ProductVariant.stock > 0)
        .correlate(Product)
    )
    return (
        Product.id,
        Product.slug,
        Product.title,
        Product.min_price,
        Product.region_code,
        Product.published_at,
        Product.created_at,
        Product.status,
        Product.rating_count,
        Product.rating_total,
        Product.rating_average,
        Product.non_halal,
        Category.slug.label("category_slug"),
        Seller.id.label("seller_id"),
        Seller.slug.label("seller_slug"),
        Seller.name.label("seller_name"),
        in_stock.label("in_stock"),
        _first_image_column(ProductImage.storage_key).label("image_key"),
        _first_image_column(ProductImage.thumbnail_key).label("thumbnail_key"),
    )


@functools.cache
def _summary_select() -> Select[Any]:
    """Built once: statements are immutable (each clause added makes a new one), and building
    this one costs more than running it on a warm pool."""
    return (
        select(*_summary_columns())
        .join(Seller, Seller.id == Product.seller_id)
        .join(Category, Category.id == Product.category_id)
    )


def publicly_visible() -> ColumnElement[bool]:
    """Published by a verified seller: the one rule every public read applies."""
    return and_(Product.status == ProductStatus.PUBLISHED, Seller.status == SellerStatus.VERIFIED)


def _apply_filters(query: Select[Any], filters: ProductFilters) -> Select[Any]:
    if filters.category_ids is not None:
        query = query.where(Product.category_id.in_(filters.category_ids))
    if filters.region_code:
        query = query.where(Product.region_code == filters.region_code)
    if filters.seller_id:
        query = query.where(Product.seller_id == filters.seller_id)
    if filters.min_price is not None:
        query = query.where(Product.min_price >= filters.min_price)
    if filters.max_price is not None:
        query = query.where(Product.min_price <= filters.max_price)
    return query


def _sort_keys(sort: ProductSort, relevance: ColumnElement[float] | None) -> list[SortKey]:
    if sort is ProductSort.RELEVANCE and relevance is not None:
        return [SortKey(relevance, descending=True), SortKey(Product.id, descending=False)]
    if sort is ProductSort.PRICE_ASC:
        return [SortKey(Product.min_price, descending=False), SortKey(Product.id, descending=False)]
    if sort is ProductSort.PRICE_DESC:
        return [SortKey(Product.min_price, descending=True), SortKey(Product.id, descending=True)]
    if sort is ProductSort.RATING:
        return [
            SortKey(Product.rating_average, descending=True),
            SortKey(Product.id, descending=True),
        ]
    return [SortKey(Product.published_at, descending=True), SortKey(Product.id, descending=True)]


async def list_public_products(
    session: AsyncSession,
    filters: ProductFilters,
    sort: ProductSort,
    after: list[object] | None,
    limit: int,
) -> list[RowMapping]:
    """One query for a whole page of summaries, whatever its size. The page's ids are chosen
    first (filters, search, order, keyset, limit on indexed columns); stock and photos are
    then looked up for those rows only, never for every match."""
    page_query = _apply_filters(
        select(Product.id.label("page_id"))
        .join(Seller, Seller.id == Product.seller_id)
        .where(publicly_visible()),
        filters,
    )
    relevance = None
    if filters.query:
        page_query, clause = _search(session, page_query, filters.query)
        page_query = page_query.where(clause.condition)
        relevance = clause.relevance
        page_query = page_query.add_columns(relevance.label("relevance"))
    keys = _sort_keys(sort, relevance)
    page = keyset_page(page_query, keys, after, limit).subquery("page")
    query = _summary_select().join(page, page.c.page_id == Product.id)
    outer_keys = keys
    if relevance is not None:
        query = query.add_columns(page.c.relevance)
        outer_keys = [SortKey(page.c.relevance, descending=True), keys[1]]
    query = query.order_by(*(key.order() for key in outer_keys))
    return list((await session.execute(query)).mappings())


def _search(
    session: AsyncSession, query: Select[Any], text: str
) -> tuple[Select[Any], SearchClause]:
    if session.get_bind().dialect.name == "postgresql":
        return query, postgres_search(text)
    return sqlite_search(query, text)


async def list_seller_products(
    session: AsyncSession,
    seller_id: uuid.UUID,
    status: ProductStatus | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[RowMapping]:
    """A seller's own products in any status, newest first."""
    query = _summary_select().where(Product.seller_id == seller_id)
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


_DETAIL_COLUMNS = (
    Product.id,
    Product.slug,
    Product.title,
    Product.min_price,
    Product.region_code,
    Product.rating_count,
    Product.rating_total,
    Product.description,
    Product.pirt_number,
    Product.bpom_number,
    Product.halal_certificate,
    Product.halal_valid_until,
    Product.non_halal,
    Product.status,
    Product.published_at,
    Product.max_quantity_per_order,
    Product.created_at,
    Product.updated_at,
)


def _json_rows(dialect: str, model: Any, columns: dict[str, Any], *conditions: Any) -> Any:
    """The matching rows of ``model`` below the current product as one JSON array of objects
    (unordered: the caller sorts), so a detail page needs no statement per collection."""
    pairs = [part for name, column in columns.items() for part in (literal(name), column)]
    if dialect == "postgresql":
        aggregate = func.json_agg(func.json_build_object(*pairs))
    else:
        aggregate = func.json_group_array(func.json_object(*pairs))
    return (
        select(aggregate)
        .where(model.product_id == Product.id, *conditions)
        .correlate(Product)
        .scalar_subquery()
    )


async def public_product_detail(
    session: AsyncSession, product_id: uuid.UUID | None, slug: str | None
) -> RowMapping | None:
    """A public product with its seller, category, variants and approved images, in one
    statement; None unless it exists and the public may see it."""
    dialect = session.get_bind().dialect.name
    variants = _json_rows(
        dialect,
        ProductVariant,
        {
            "id": ProductVariant.id,
            "name": ProductVariant.name,
            "sku": ProductVariant.sku,
            "price": ProductVariant.price,
            "stock": ProductVariant.stock,
            "weight_grams": ProductVariant.weight_grams,
            "position": ProductVariant.position,
        },
    )
    images = _json_rows(
        dialect,
        ProductImage,
        {
            "id": ProductImage.id,
            "storage_key": ProductImage.storage_key,
            "thumbnail_key": ProductImage.thumbnail_key,
            "width": ProductImage.width,
            "height": ProductImage.height,
            "position": ProductImage.position,
        },
        ProductImage.approved.is_(True),
    )
    query = (
        select(
            *_DETAIL_COLUMNS,
            Category.slug.label("category_slug"),
            Seller.id.label("seller_id"),
            Seller.slug.label("seller_slug"),
            Seller.name.label("seller_name"),
            variants.label("variants"),
            images.label("images"),
        )
        .join(Seller, Seller.id == Product.seller_id)
        .outerjoin(Category, Category.id == Product.category_id)
        .where(publicly_visible())
    )
    query = query.where(Product.id == product_id if product_id else Product.slug == slug)
    return (await session.execute(query)).mappings().one_or_none()
