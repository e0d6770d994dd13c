"""What buyers see: the public product list (filters, search, keyset pages, cached by catalog
version) and product details."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import orjson
from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.catalog import product_queries, repository, takedowns
from marketplace.catalog.exceptions import ProductNotFound
from marketplace.catalog.listings import ProductAccess
from marketplace.catalog.models import Product
from marketplace.catalog.product_queries import ProductFilters, ProductSort
from marketplace.catalog.schemas import (
    AttributesRead,
    ImageRead,
    ImageRef,
    ProductDetail,
    ProductListing,
    ProductSummary,
    RatingRead,
    SellerRef,
    VariantRead,
)
from marketplace.core.cache import NoCache, ResponseCache, VersionMemo
from marketplace.core.errors import InvalidInput
from marketplace.core.http_caching import RenderedPage, strong_etag
from marketplace.core.i18n import gettext
from marketplace.core.pagination import CursorCodec, parse_time_and_id, split_page, time_and_id
from marketplace.core.schemas import Page
from marketplace.db.base import parse_id
from marketplace.db.session import PublicReads
from marketplace.media.storage import MediaStorage
from marketplace.sellers import service as sellers_service


@dataclass(frozen=True)
class ProductQuery:
    """The public list's query parameters, already validated by the router."""

    q: str | None = None
    category: str | None = None
    region: str | None = None
    seller: str | None = None
    min_price: int | None = None
    max_price: int | None = None
    sort: ProductSort | None = None
    limit: int = 20
    cursor: str | None = None

    @property
    def effective_sort(self) -> ProductSort:
        if self.sort is ProductSort.RELEVANCE and not self.q:
            return ProductSort.NEWEST
        return self.sort or (ProductSort.RELEVANCE if self.q else ProductSort.NEWEST)

    def cache_key(self) -> str:
        canonical = orjson.dumps(replace(self, sort=self.effective_sort).__dict__, default=str)
        return hashlib.sha256(canonical).hexdigest()


def search_text(raw: str | None) -> str | None:
    """The text to search for, or None when blank. NUL reads as a space: PostgreSQL text
    cannot hold it, and it separates nothing a buyer meant."""
    text = (raw or "").replace("\x00", " ").strip()
    return text or None


async def list_public_products_cached(
    reads: PublicReads,
    codec: CursorCodec,
    storage: MediaStorage,
    cache: ResponseCache,
    versions: VersionMemo,
    query: ProductQuery,
    cache_name: str,
) -> RenderedPage:
    """The page as JSON bytes; served from the cache (under ``cache_name``, the query's
    ``list_cache_name``) while the catalog version is unchanged."""

    async def render(session: AsyncSession) -> bytes:
        rows, next_cursor = await _public_product_rows(session, codec, query)
        items = [summary_dict(row, storage) for row in rows]
        return dump_json({"items": items, "next_cursor": next_cursor})

    return await cached_by_catalog_version(
        reads, cache, versions, cache_name, render, one_statement=_one_statement(query)
    )


def _one_statement(query: ProductQuery) -> bool:
    """Whether a page is one statement: a filter by a seller's slug is looked up first."""
    return not (query.seller and parse_id(query.seller) is None)


def list_cache_name(query: ProductQuery) -> str:
    return f"products:{query.cache_key()}"


def detail_cache_name(id_or_slug: str) -> str:
    return f"product:{hashlib.sha256(id_or_slug.encode()).hexdigest()[:32]}"


def catalog_cache_key(name: str, version: str) -> str:
    """Where the page ``name`` of catalog ``version`` is kept."""
    return f"{name}:{hashlib.sha256(version.encode()).hexdigest()[:16]}"


def catalog_page(key: str, body: bytes) -> RenderedPage:
    """A cached catalog body with its ETag (made from the key, which names the version)."""
    return RenderedPage(body=body, etag=strong_etag(key.encode()))


async def cached_by_catalog_version(
    reads: PublicReads,
    cache: ResponseCache,
    versions: VersionMemo,
    name: str,
    render: Callable[[AsyncSession], Awaitable[bytes]],
    *,
    one_statement: bool,
) -> RenderedPage:
    """``render(session)``'s bytes, kept under ``name`` and the catalog version: any change
    to what a catalog page shows makes a new version, so a stale entry is never read again.
    ``one_statement``: ``render`` runs one SELECT, so with the version already known (or no
    cache) it runs outside a transaction; reading the version too takes a transaction."""
    if isinstance(cache, NoCache):  # caching off: no version to read, just the body
        async with reads(one_statement=one_statement) as session:
            return RenderedPage.of(await render(session))
    version = await versions.remembered("catalog")
    if version is None:  # the version is read too: both in one transaction
        async with reads(one_statement=False) as session:
            version = await versions.get("catalog", lambda: repository.catalog_version(session))
            key = catalog_cache_key(name, version)
            if (cached := await cache.get(key)) is not None:
                return catalog_page(key, cached)
            body = await render(session)
    else:
        key = catalog_cache_key(name, version)
        if (cached := await cache.get(key)) is not None:
            return catalog_page(key, cached)
        async with reads(one_statement=one_statement) as session:
            body = await render(session)
    await cache.set(key, body)
    return catalog_page(key, body)


def dump_json(content: Any) -> bytes:
    """JSON as Pydantic writes it (UTC times end in Z), serialised once, with no model."""
    return orjson.dumps(content, default=_uuid_text, option=orjson.OPT_UTC_Z)


def _uuid_text(value: object) -> str:
    # asyncpg hands over its own UUID subclass, which orjson does not take for a UUID.
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


async def list_public_products(
    session: AsyncSession, codec: CursorCodec, storage: MediaStorage, query: ProductQuery
) -> Page[ProductSummary]:
    rows, next_cursor = await _public_product_rows(session, codec, query)
    return Page(items=[summary_from_row(row, storage) for row in rows], next_cursor=next_cursor)


async def _public_product_rows(
    session: AsyncSession, codec: CursorCodec, query: ProductQuery
) -> tuple[Sequence[RowMapping], str | None]:
    sort = query.effective_sort
    filters = await _resolve_filters(session, query)
    after = _decode_cursor(codec, sort, query.cursor) if query.cursor else None
    if filters is None:
        return [], None
    try:
        rows = await product_queries.list_public_products(
            session, filters, sort, after, query.limit + 1
        )
    except product_queries.UnknownCategory:
        raise _unknown_category(query.category or "") from None
    return split_page(rows, query.limit, codec, partial(_cursor_values, sort))


async def _resolve_filters(session: AsyncSession, query: ProductQuery) -> ProductFilters | None:
    """Filters on ids; None when a filter names nothing (an unknown seller: an empty page)."""
    filters = ProductFilters(
        query=query.q or None,
        region_code=query.region,
        min_price=query.min_price,
        max_price=query.max_price,
    )
    if query.min_price is not None and query.max_price is not None:
        if query.min_price > query.max_price:
            message = gettext("The minimum price is above the maximum price.")
            raise InvalidInput.for_field(["query", "min_price"], message, "price_range")
    if any("\x00" in value for value in (query.region, query.seller) if value):
        return None  # PostgreSQL text cannot hold NUL, so no region or seller has one
    if query.category:
        filters = replace(filters, category=query.category)
    if query.seller:
        seller_id = await _seller_id(session, query.seller)
        if seller_id is None:
            return None
        filters = replace(filters, seller_id=seller_id)
    return filters


async def category_with_descendants(session: AsyncSession, slug: str) -> list[uuid.UUID]:
    """The category and every category below it; an unknown slug is a 422."""
    tree = await repository.list_category_tree(session)
    by_slug = {category_slug: category_id for category_id, _, category_slug in tree}
    if slug not in by_slug:
        raise _unknown_category(slug)
    children: dict[uuid.UUID, list[uuid.UUID]] = {}
    for category_id, parent_id, _ in tree:
        if parent_id is not None:
            children.setdefault(parent_id, []).append(category_id)
    found, frontier = [by_slug[slug]], [by_slug[slug]]
    while frontier:
        frontier = [child for parent in frontier for child in children.get(parent, [])]
        found.extend(frontier)
    return found


def _unknown_category(slug: str) -> InvalidInput:
    message = gettext("Category '%(slug)s' is unknown.", slug=slug)
    return InvalidInput.for_field(["query", "category"], message, "unknown_category")


async def _seller_id(session: AsyncSession, id_or_slug: str) -> uuid.UUID | None:
    parsed = parse_id(id_or_slug)
    if parsed is not None:
        return parsed
    seller = await sellers_service.get_seller_by_slug(session, id_or_slug)
    return seller.id if seller else None


def _cursor_values(sort: ProductSort, row: RowMapping) -> list[Any]:
    if sort is ProductSort.RELEVANCE:
        return [float(row["relevance"]), str(row["id"])]
    if sort in (ProductSort.PRICE_ASC, ProductSort.PRICE_DESC):
        return [int(row["min_price"]), str(row["id"])]
    if sort is ProductSort.RATING:
        return [float(row["rating_average"]), str(row["id"])]
    return [row["published_at"].isoformat(), str(row["id"])]


def _decode_cursor(codec: CursorCodec, sort: ProductSort, cursor: str) -> list[object]:
    def parse(values: list[Any]) -> list[object]:
        first, row_id = values
        if sort in (ProductSort.RELEVANCE, ProductSort.RATING):
            return [float(first), uuid.UUID(row_id)]
        if sort in (ProductSort.PRICE_ASC, ProductSort.PRICE_DESC):
            if not isinstance(first, int):
                raise TypeError("price expected")
            return [first, uuid.UUID(row_id)]
        moment, parsed_id = parse_time_and_id([first, row_id])
        return [moment, parsed_id]

    return codec.decode_as(cursor, parse)


def _image_ref(row: RowMapping, storage: MediaStorage) -> dict[str, str] | None:
    if not row["image_key"]:
        return None
    return {
        "url": storage.public_url(row["image_key"]),
        "thumbnail_url": storage.public_url(row["thumbnail_key"]),
    }


def summary_dict(row: RowMapping, storage: MediaStorage) -> dict[str, Any]:
    """A ProductSummary's JSON content straight from its row (no model on the hot path)."""
    return _summary_content(row, in_stock=bool(row["in_stock"]), image=_image_ref(row, storage))


def _summary_content(
    row: RowMapping, *, in_stock: bool, image: dict[str, str] | None
) -> dict[str, Any]:
    return {
        "id": row["id"],
        "slug": row["slug"],
        "title": row["title"],
        "price": row["min_price"],
        "currency": "IDR",
        "in_stock": in_stock,
        "image": image,
        "category": row["category_slug"] or "",
        "region_code": row["region_code"],
        "seller": {"id": row["seller_id"], "slug": row["seller_slug"], "name": row["seller_name"]},
        "rating": rating_dict(row["rating_count"], row["rating_total"]),
    }


def summary_from_row(row: RowMapping, storage: MediaStorage) -> ProductSummary:
    return ProductSummary.model_validate(summary_dict(row, storage))


def rating_dict(count: int, total: int) -> dict[str, Any]:
    return {"average": round(total / count, 2) if count else None, "count": count}


def rating_read(count: int, total: int) -> RatingRead:
    return RatingRead.model_validate(rating_dict(count, total))


def listing_from_row(row: RowMapping, storage: MediaStorage) -> ProductListing:
    summary = summary_from_row(row, storage)
    return ProductListing(
        **summary.model_dump(), status=row["status"], created_at=row["created_at"]
    )


async def list_seller_products(
    session: AsyncSession,
    codec: CursorCodec,
    storage: MediaStorage,
    seller_id: uuid.UUID,
    *,
    status: Any,
    limit: int,
    cursor: str | None,
) -> Page[ProductListing]:
    after = codec.decode_as(cursor, parse_time_and_id) if cursor else None
    rows = await repository.list_seller_products(session, seller_id, status, after, limit + 1)
    page, next_cursor = split_page(
        rows, limit, codec, lambda row: time_and_id(row["created_at"], row["id"])
    )
    return Page(items=[listing_from_row(row, storage) for row in page], next_cursor=next_cursor)


async def product_detail(
    session: AsyncSession, storage: MediaStorage, access: ProductAccess
) -> ProductDetail:
    product, seller = access.product, access.seller
    variants = await repository.list_variants(session, product.id)
    sees_pending = access.role is not None or access.is_admin
    images = await repository.list_images(session, product.id, approved_only=not sees_pending)
    category = await repository.get_category(session, product.category_id)
    image_reads = [
        ImageRead(
            id=image.id,
            url=storage.public_url(image.storage_key),
            thumbnail_url=storage.public_url(image.thumbnail_key),
            width=image.width,
            height=image.height,
            position=image.position,
        )
        for image in images
    ]
    return ProductDetail(
        id=product.id,
        slug=product.slug,
        title=product.title,
        price=product.min_price,
        in_stock=any(variant.stock > 0 for variant in variants),
        image=ImageRef(url=image_reads[0].url, thumbnail_url=image_reads[0].thumbnail_url)
        if image_reads
        else None,
        category=category.slug if category else "",
        region_code=product.region_code,
        seller=SellerRef(id=seller.id, slug=seller.slug, name=seller.name),
        rating=rating_read(product.rating_count, product.rating_total),
        description=product.description,
        attributes=_attributes(product),
        images=image_reads,
        variants=[VariantRead.model_validate(v, from_attributes=True) for v in variants],
        status=product.status,
        published_at=product.published_at,
        max_quantity_per_order=product.max_quantity_per_order,
        created_at=product.created_at,
        updated_at=product.updated_at,
        moderation=await takedowns.product_moderation(session, access),
    )


def _attributes(product: Product) -> AttributesRead:
    return AttributesRead(
        pirt_number=product.pirt_number,
        bpom_number=product.bpom_number,
        halal_certificate=product.halal_certificate,
        halal_valid_until=product.halal_valid_until,
        non_halal=product.non_halal,
    )


async def public_product_detail_cached(
    reads: PublicReads,
    storage: MediaStorage,
    cache: ResponseCache,
    versions: VersionMemo,
    id_or_slug: str,
) -> RenderedPage:
    """A public product's detail as JSON bytes for a caller who is nobody in particular (no
    member, no admin), kept by catalog version like the lists; 404 as for everyone else."""
    product_id = parse_id(id_or_slug)
    if product_id is None and "\x00" in id_or_slug:  # PostgreSQL text cannot hold NUL
        raise ProductNotFound()

    async def render(session: AsyncSession) -> bytes:
        row = await product_queries.public_product_detail(session, product_id, id_or_slug)
        if row is None:
            raise ProductNotFound()
        return dump_json(public_detail_dict(row, storage))

    return await cached_by_catalog_version(
        reads, cache, versions, detail_cache_name(id_or_slug), render, one_statement=True
    )


def _json_list(value: Any) -> list[dict[str, Any]]:
    """An aggregated JSON array as the driver hands it over (text or already parsed; NULL
    when PostgreSQL aggregated no rows), in position order."""
    items: list[dict[str, Any]] = orjson.loads(value) if isinstance(value, str | bytes) else []
    if isinstance(value, list):
        items = value
    return sorted(items, key=lambda item: (item["position"], uuid.UUID(str(item["id"]))))


def public_detail_dict(row: RowMapping, storage: MediaStorage) -> dict[str, Any]:
    """A ProductDetail's JSON content from the one-statement row."""
    images = [
        {
            "id": uuid.UUID(str(image["id"])),
            "url": storage.public_url(image["storage_key"]),
            "thumbnail_url": storage.public_url(image["thumbnail_key"]),
            "width": image["width"],
            "height": image["height"],
            "position": image["position"],
        }
        for image in _json_list(row["images"])
    ]
    variants = [
        {
            "id": uuid.UUID(str(variant["id"])),
            "name": variant["name"],
            "sku": variant["sku"],
            "price": variant["price"],
            "currency": "IDR",
            "stock": variant["stock"],
            "weight_grams": variant["weight_grams"],
        }
        for variant in _json_list(row["variants"])
    ]
    first = images[0] if images else None
    return {
        **_summary_content(
            row,
            in_stock=any(variant["stock"] > 0 for variant in variants),
            image={"url": first["url"], "thumbnail_url": first["thumbnail_url"]} if first else None,
        ),
        "description": row["description"],
        "attributes": {
            "pirt_number": row["pirt_number"],
            "bpom_number": row["bpom_number"],
            "halal_certificate": row["halal_certificate"],
            "halal_valid_until": row["halal_valid_until"],
            "non_halal": row["non_halal"],
        },
        "images": images,
        "variants": variants,
        "status": row["status"],
        "published_at": row["published_at"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "max_quantity_per_order": row["max_quantity_per_order"],
        "moderation": None,
    }
