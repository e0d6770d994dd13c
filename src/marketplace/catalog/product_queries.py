"""The catalog's public read API for product lists: the product-summary query, the one rule
for what the public may see, filters and sort orders. Other domains that list products under
their own order (featured entries) build on these, so a card shows exactly what the product
list would, under exactly the same rule."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    RowMapping,
    Select,
    and_,
    bindparam,
    exists,
    func,
    literal,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op
from sqlalchemy.sql.selectable import ScalarSelect, Subquery

from marketplace.catalog.models import (
    Category,
    Product,
    ProductImage,
    ProductStatus,
    ProductVariant,
    Region,
)
from marketplace.catalog.search import (
    SearchKind,
    search_kind,
    search_matches,
    search_parameters,
    too_few_full_text_matches,
)
from marketplace.db.queries import SortKey, constant, constant_at_execution, keyset_after
from marketplace.db.session import allow_read_again, select_mappings
from marketplace.sellers.models import Seller, SellerStatus


@dataclass(frozen=True)
class ProductFilters:
    query: str | None = None
    category: str | None = None  # a slug: the category and every one below it
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
        .limit(constant(1))
        .correlate(Product)
        .scalar_subquery()
    )


def summary_columns() -> tuple[Any, ...]:
    in_stock = (
        exists()
        .where(ProductVariant.product_id == Product.id, ProductVariant.stock > constant(0))
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
    return and_(
        Product.status == constant(ProductStatus.PUBLISHED, Product.status.type),
        Seller.status == constant(SellerStatus.VERIFIED, Seller.status.type),
    )


@dataclass(frozen=True)
class _ListShape:
    """What decides the structure of a list statement; its values are bound at execution.
    Building and fingerprinting a statement costs more CPU than running a page of it, so each
    shape is built once (see ``_list_statement``)."""

    dialect: str
    sort: ProductSort
    search: SearchKind | None
    typos: bool  # a full-text search's typo tolerance (see ``search``)
    after: bool
    category: bool
    region: bool
    seller: bool
    min_price: bool
    max_price: bool

    @classmethod
    def of(
        cls, dialect: str, filters: ProductFilters, sort: ProductSort, after: bool
    ) -> _ListShape:
        return cls(
            dialect=dialect,
            sort=sort,
            search=search_kind(dialect, filters.query) if filters.query else None,
            typos=False,
            after=after,
            category=filters.category is not None,
            region=bool(filters.region_code),
            seller=bool(filters.seller_id),
            min_price=filters.min_price is not None,
            max_price=filters.max_price is not None,
        )


def _list_parameters(
    shape: _ListShape, filters: ProductFilters, after: list[object] | None, limit: int
) -> dict[str, object]:
    values: dict[str, object] = {
        "filter_category": filters.category,
        "filter_region_code": filters.region_code,
        "filter_seller_id": filters.seller_id,
        "filter_min_price": filters.min_price,
        "filter_max_price": filters.max_price,
        "page_limit": limit,
    }
    parameters = {name: value for name, value in values.items() if value is not None}
    if after is not None:
        parameters |= {"after_key": after[0], "after_id": after[1]}
    if shape.search is not None and filters.query:
        parameters |= search_parameters(shape.search, filters.query)
    return parameters


def _apply_filters(query: Select[Any], shape: _ListShape) -> Select[Any]:
    if shape.category:
        query = query.where(Product.category_id.in_(_category_subtree()))
    if shape.region:
        query = query.where(Product.region_code == bindparam("filter_region_code"))
    if shape.seller:
        query = query.where(Product.seller_id == bindparam("filter_seller_id"))
    price = _price_to_filter(shape)
    if shape.min_price:
        query = query.where(price >= bindparam("filter_min_price"))
    if shape.max_price:
        query = query.where(price <= bindparam("filter_max_price"))
    return query


def _price_to_filter(shape: _ListShape) -> ColumnElement[int]:
    """``min_price``; on SQLite, unless the list is sorted by price, kept out of index choice.
    Without range statistics SQLite takes any price range for selective and sorts every
    product in it (0.8 s at 100k) rather than walk the list order's index, where the other
    filters find a page in 1 ms."""
    sorted_by_price = shape.sort in (ProductSort.PRICE_ASC, ProductSort.PRICE_DESC)
    if shape.dialect != "sqlite" or sorted_by_price:
        return Product.min_price.expression
    return _not_an_index_term(Product.min_price.expression)


def _sellers_of_products(shape: _ListShape) -> ColumnElement[bool]:
    """The join of a page's products to their sellers; on SQLite, one that cannot look up a
    seller's products by index, so the products come first, in the list order's index, and
    each finds its seller by key. With the statistics of 200 verified sellers out of 210,
    SQLite went seller by seller through its published products and sorted all 86,000 of
    them for a first page: 0.68 ms of SQLite per request against 0.19 ms product-first."""
    seller_id = Product.seller_id.expression
    if shape.dialect == "sqlite":
        seller_id = _not_an_index_term(seller_id)
    return Seller.id == seller_id


def _not_an_index_term(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """``+column``: SQLite's documented hint that a term may not drive an index look-up."""
    return UnaryExpression(column, operator=custom_op("+"), type_=column.type)


def _sort_keys(sort: ProductSort) -> list[SortKey]:
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


class UnknownCategory(Exception):
    """The list was filtered by a category slug that names no category."""


async def list_public_products(
    session: AsyncSession,
    filters: ProductFilters,
    sort: ProductSort,
    after: list[object] | None,
    limit: int,
) -> list[RowMapping]:
    """One query for a whole page of summaries, whatever its size and filters. The page's ids
    are chosen first (filters, search, order, keyset, limit on indexed columns); stock and
    photos are then looked up for those rows only, never for every match. A search sorted by
    relevance ranks a bounded set of candidates (see ``search``). ``UnknownCategory`` when
    the category filter names none."""
    shape = _ListShape.of(session.get_bind().dialect.name, filters, sort, after is not None)
    parameters = _list_parameters(shape, filters, after, limit)
    rows = await select_mappings(session, _list_statement(shape), parameters)
    if shape.search is SearchKind.FULL_TEXT and _too_few_matches(rows):
        allow_read_again(session)  # the second statement's rows replace the first's
        with_typos = replace(shape, typos=True)
        rows = await select_mappings(session, _list_statement(with_typos), parameters)
    if not shape.category:
        return rows
    if not rows[0]["category_known"]:
        raise UnknownCategory(filters.category)
    return [row for row in rows if row["id"] is not None]  # an empty page is one row of NULLs


@functools.cache
def _list_statement(shape: _ListShape) -> Select[Any]:
    visible = _apply_filters(
        select(Product.id).join(Seller, _sellers_of_products(shape)).where(publicly_visible()),
        shape,
    )
    page_query = visible.with_only_columns(Product.id.label("page_id"))
    keys = _sort_keys(shape.sort)
    relevance = found = None
    if shape.search is not None:
        by_relevance = shape.sort is ProductSort.RELEVANCE
        matches = search_matches(shape.search, visible, bounded=by_relevance, typos=shape.typos)
        found = matches.found
        page_query = select(Product.id.label("page_id")).join(
            matches.ids, matches.ids.c.id == Product.id
        )
        if by_relevance:
            relevance = matches.relevance
            page_query = select(matches.ids.c.id.label("page_id"), relevance.label("relevance"))
            keys = [
                SortKey(relevance, descending=True),
                SortKey(matches.ids.c.id, descending=False),
            ]
    if shape.after:
        first, second = keys
        cursor: list[object] = [
            bindparam("after_key", type_=first.column.type),
            bindparam("after_id", type_=second.column.type),
        ]
        page_query = page_query.where(keyset_after(keys, cursor))
    page_query = page_query.order_by(*(key.order() for key in keys))
    page = page_query.limit(constant_at_execution("page_limit")).subquery("page")
    query = summary_select().join(page, page.c.page_id == Product.id)
    outer_keys = keys
    if relevance is not None:
        query = query.add_columns(page.c.relevance)
        outer_keys = [SortKey(page.c.relevance, descending=True), SortKey(Product.id, False)]
    if found is not None:
        query = query.add_columns(found.label("full_text_found"))
    if shape.category:
        return _beside_category_check(query, outer_keys)
    return query.order_by(*(key.order() for key in outer_keys))


def _too_few_matches(rows: list[RowMapping]) -> bool:
    return too_few_full_text_matches(rows[0]["full_text_found"] if rows else None)


def _category_subtree() -> Select[Any]:
    """The ids of the category named by ``filter_category`` and of every category below it."""
    top = (
        select(Category.id)
        .where(Category.slug == bindparam("filter_category"))
        .cte("category_tree", recursive=True)
    )
    below = aliased(Category, name="subcategory")
    tree = top.union_all(select(below.id).where(below.parent_id == top.c.id))
    return select(tree.c.id)


def _beside_category_check(query: Select[Any], keys: list[SortKey]) -> Select[Any]:
    """``query``'s rows, each with ``category_known`` (whether ``filter_category`` names a
    category), and one row of NULLs beside it when the page is empty: an unknown category is
    a 422 rather than an empty page, told in the page's own statement (a look-up of its own
    cost a transaction, BEGIN and COMMIT, besides its round trip)."""
    listed = query.subquery("listed")
    known = exists().where(Category.slug == bindparam("filter_category")).label("category_known")
    head = select(known).subquery("head")
    return (
        select(head.c.category_known, *listed.c)
        .select_from(head.outerjoin(listed, true()))
        .order_by(*(_column_of(listed, key).order() for key in keys))
    )


def _column_of(listed: Subquery, key: SortKey) -> SortKey:
    """``key`` on the column of the subquery ``listed`` that it names."""
    return SortKey(listed.c[str(key.column.key)], key.descending)


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
    statement: Select[Any] = _detail_statement(dialect, by_id=product_id is not None)
    parameters = {"product_key": product_id if product_id is not None else slug}
    rows = await select_mappings(session, statement, parameters)
    return rows[0] if rows else None


@functools.cache
def _detail_statement(dialect: str, *, by_id: bool) -> Select[Any]:
    """The detail statement for ``dialect``, found by id or by slug (``product_key``). Built
    once, like the list's: building it cost more CPU than running it."""
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
    key_column = Product.id if by_id else Product.slug
    columns: tuple[Any, ...] = (
        *_DETAIL_COLUMNS,
        Category.slug.label("category_slug"),
        Seller.id.label("seller_id"),
        Seller.slug.label("seller_slug"),
        Seller.name.label("seller_name"),
        variants.label("variants"),
        images.label("images"),
    )
    statement: Select[Any] = (
        select(*columns)
        .join(Seller, Seller.id == Product.seller_id)
        .outerjoin(Category, Category.id == Product.category_id)
        .where(publicly_visible(), key_column == bindparam("product_key", type_=key_column.type))
    )
    return statement
