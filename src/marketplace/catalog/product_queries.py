"""The catalog's public read API for product lists: the product-summary query, the one rule
for what the public may see, filters and sort orders. Other domains that list products under
their own order (featured entries) build on these, so a card shows exactly what the product
list would, under exactly the same rule."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    RowMapping,
    Select,
    and_,
    exists,
    func,
    literal,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.selectable import ScalarSelect

from marketplace.catalog.models import (
    Category,
    Product,
    ProductImage,
    ProductStatus,
    ProductVariant,
    Region,
)
from marketplace.catalog.search import search_matches
from marketplace.db.queries import (
    SortKey,
    keyset_page,
)
from marketplace.sellers.models import Seller, SellerStatus


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


def first_image_column(column: InstrumentedAttribute[Any]) -> ScalarSelect[Any]:
    """One column of the product's first approved image (a correlated subquery)."""
    return (
        select(column)
        .where(ProductImage.product_id == Product.id, ProductImage.approved.is_(True))
        .order_by(ProductImage.position, ProductImage.id)
        .limit(1)
        .correlate(Product)
        .scalar_subquery()
    )


def summary_columns() -> tuple[Any, ...]:
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
        first_image_column(ProductImage.storage_key).label("image_key"),
        first_image_column(ProductImage.thumbnail_key).label("thumbnail_key"),
    )


@functools.cache
def summary_select() -> Select[Any]:
    """Every column a product summary shows, with its seller and category joined. Built once:
    statements are immutable (each clause added makes a new one), and building this one cost
    more CPU than running it on a warm pool."""
    return (
        select(*summary_columns())
        .join(Seller, Seller.id == Product.seller_id)
        .join(Category, Category.id == Product.category_id)
    )


def public_card_select() -> Select[Any]:
    """A publicly visible product's summary plus what a card needs besides: thumbnail size
    and region name. Callers add their own joins, filters and order."""
    return (
        summary_select()
        .add_columns(
            first_image_column(ProductImage.thumbnail_width).label("thumbnail_width"),
            first_image_column(ProductImage.thumbnail_height).label("thumbnail_height"),
            Region.name.label("region_name"),
        )
        .join(Region, Region.code == Product.region_code)
        .where(publicly_visible())
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
    then looked up for those rows only, never for every match. A search sorted by relevance
    ranks a bounded set of candidates (see ``search``)."""
    visible = _apply_filters(
        select(Product.id).join(Seller, Seller.id == Product.seller_id).where(publicly_visible()),
        filters,
    )
    page_query = visible.with_only_columns(Product.id.label("page_id"))
    relevance = None
    if filters.query:
        by_relevance = sort is ProductSort.RELEVANCE
        dialect = session.get_bind().dialect.name
        matches = search_matches(dialect, visible, filters.query, bounded=by_relevance)
        page_query = select(Product.id.label("page_id")).join(
            matches.ids, matches.ids.c.id == Product.id
        )
        if by_relevance:
            relevance = matches.relevance
            page_query = page_query.add_columns(relevance.label("relevance"))
    keys = _sort_keys(sort, relevance)
    page = keyset_page(page_query, keys, after, limit).subquery("page")
    query = summary_select().join(page, page.c.page_id == Product.id)
    outer_keys = keys
    if relevance is not None:
        query = query.add_columns(page.c.relevance)
        outer_keys = [SortKey(page.c.relevance, descending=True), keys[1]]
    query = query.order_by(*(key.order() for key in outer_keys))
    return list((await session.execute(query)).mappings())


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
