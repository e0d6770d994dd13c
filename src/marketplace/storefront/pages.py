"""Storefront browsing pages: home, search, product, seller, region; sitemap and robots.
The same for every visitor, so each is cached by catalog version and answered with an ETag."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import PlainTextResponse
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.catalog.browsing import ProductQuery, search_text
from marketplace.catalog.dependencies import Cache, Storage, Versions
from marketplace.catalog.product_queries import ProductSort
from marketplace.catalog.schemas import ProductSummary
from marketplace.config import Settings
from marketplace.core.cache import ResponseCache, VersionMemo
from marketplace.core.dependencies import AppSettings
from marketplace.core.errors import AppError, NotFound
from marketplace.core.formatting import format_rupiah
from marketplace.core.i18n import Language
from marketplace.core.schemas import Page
from marketplace.db.base import utcnow
from marketplace.db.session import DbSession
from marketplace.media.storage import MediaStorage
from marketplace.storefront import rendering, service, sharing, sitemap
from marketplace.storefront.dependencies import PageLanguage
from marketplace.storefront.rendering import PageContext

router = APIRouter(tags=["storefront"], include_in_schema=False)
Slug = Annotated[str, Path(max_length=120)]
TextParam = Annotated[str | None, Query(max_length=100)]
_XML = "application/xml"


@router.get("/", response_class=Response)
async def home(
    request: Request,
    session: DbSession,
    storage: Storage,
    cache: Cache,
    versions: Versions,
    settings: AppSettings,
    language: PageLanguage,
) -> Response:
    """Featured products, the newest ones, the categories and the seven regencies."""
    now = utcnow()
    page = PageContext(settings, language, "/")
    version = await versions.get("featured", lambda: service.catalog_version(session, now))

    async def build() -> str:
        data = await service.home(session, storage, settings, now)
        catalogue = await service.catalogue(session)
        return rendering.render("home.html", page, home=data, catalogue=catalogue)

    rendered = await rendering.cached(cache, version, "home", {"lang": language}, build)
    return rendering.public_response(request, settings, storage, rendered, language)


def _price(raw: str | None) -> int | None:
    """A price typed by a person: digits, maybe with dots (``150.000``); anything else is no
    filter."""
    digits = (raw or "").replace(".", "").replace(",", "").strip()
    return int(digits) if digits.isdigit() and len(digits) <= 10 else None


@router.get("/cari", response_class=Response)
async def search(
    request: Request,
    session: DbSession,
    storage: Storage,
    cache: Cache,
    versions: Versions,
    settings: AppSettings,
    language: PageLanguage,
    q: TextParam = None,
    category: Annotated[str | None, Query(max_length=80)] = None,
    region: Annotated[str | None, Query(max_length=13)] = None,
    min_price: TextParam = None,
    max_price: TextParam = None,
    sort: TextParam = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    """The API's product search as a page: filters, sorts and keyset pages ("more")."""
    chosen_sort = ProductSort(sort) if sort in set(ProductSort) else None
    query = ProductQuery(
        q=search_text(q),
        category=category or None,
        region=region or None,
        min_price=_price(min_price),
        max_price=_price(max_price),
        sort=chosen_sort,
        limit=service.PAGE_SIZE,
        cursor=cursor or None,
    )
    shown = {
        "q": query.q,
        "category": query.category,
        "region": query.region,
        "min_price": query.min_price,
        "max_price": query.max_price,
        "sort": chosen_sort.value if chosen_sort else None,
    }
    filled = {k: str(v) for k, v in shown.items() if v is not None}
    page = PageContext(settings, language, "/cari", filled)

    async def build() -> str:
        catalogue = await service.catalogue(session)
        error = None
        try:
            results = await service.search(session, storage, settings, query)
        except AppError as problem:  # an unknown category, an inverted range, a stale cursor
            results, error = None, problem.render_detail() or problem.render_title()
        return rendering.render(
            "search.html",
            page,
            results=results,
            catalogue=catalogue,
            form=shown,
            error=error,
            sorts=list(ProductSort),
        )

    version = await versions.get("catalog", lambda: service.catalog_version(session))
    key = {"lang": language, "query": query.cache_key()}
    rendered = await rendering.cached(cache, version, "search", key, build)
    return rendering.public_response(request, settings, storage, rendered, language)


@router.get("/produk/{slug}", response_class=Response)
async def product(
    slug: Slug,
    request: Request,
    session: DbSession,
    storage: Storage,
    cache: Cache,
    versions: Versions,
    settings: AppSettings,
    language: PageLanguage,
) -> Response:
    """Photos, variants with prices and stock, the seller (WhatsApp), compliance numbers,
    ratings when there are any, and everything a shared link needs (Open Graph, JSON-LD)."""
    page = PageContext(settings, language, f"/produk/{slug}")
    version = await versions.get("catalog", lambda: service.catalog_version(session))

    async def build() -> str:
        view = await service.product(session, storage, slug)
        own_url = page.canonical()
        subtitle = f"{format_rupiah(view.product.price)} · {view.seller.name}"
        og_image = await sharing.og_image_url(storage, view.product, subtitle)
        catalogue = await service.catalogue(session)
        message = page.t("storefront.whatsapp-message", title=view.product.title, url=own_url)
        return rendering.render(
            "product.html",
            page,
            view=view,
            product=view.product,
            catalogue=catalogue,
            og_image=og_image,
            json_ld=sharing.product_json_ld(view.product, own_url, og_image, view.seller.name),
            whatsapp=sharing.whatsapp_chat_link(view.seller.whatsapp, message),
            share=sharing.share_links(own_url, view.product.title),
            thumb_width=_thumbnail_width,
        )

    return await _cached_or_not_found(request, settings, storage, cache, version, page, build)


def _thumbnail_width(width: int, height: int, side: int = 400) -> int:
    """The stored thumbnail's width (it fits in ``side`` x ``side``), for ``srcset``."""
    longest = max(width, height)
    return width if longest <= side else max(1, round(width * side / longest))


@dataclass(frozen=True)
class Listing:
    """What every cached page of products needs besides its own filter."""

    request: Request
    session: AsyncSession
    storage: MediaStorage
    cache: ResponseCache
    versions: VersionMemo
    settings: Settings
    language: Language


async def listing(
    request: Request,
    session: DbSession,
    storage: Storage,
    cache: Cache,
    versions: Versions,
    settings: AppSettings,
    language: PageLanguage,
) -> Listing:
    return Listing(request, session, storage, cache, versions, settings, language)


ListingDeps = Annotated[Listing, Depends(listing)]
Cursor = Annotated[str | None, Query(max_length=500)]
# What a listing page shows about its subject: the products' filter and the template's context.
Subject = tuple[ProductQuery, dict[str, Any]]


@router.get("/toko/{slug}", response_class=Response)
async def seller(slug: Slug, listing: ListingDeps, cursor: Cursor = None) -> Response:
    """A verified seller: who they are, where, how to reach them, and their products."""

    async def subject(page: PageContext) -> Subject:
        found = await service.public_seller(listing.session, slug)
        message = page.t("storefront.whatsapp-seller", seller=found.name)
        whatsapp = sharing.whatsapp_chat_link(found.whatsapp, message)
        return ProductQuery(seller=str(found.id)), {"seller": found, "whatsapp": whatsapp}

    return await _products_page(listing, f"/toko/{slug}", cursor, "seller.html", subject)


@router.get("/wilayah/{code}", response_class=Response)
async def region(
    code: Annotated[str, Path(max_length=13)], listing: ListingDeps, cursor: Cursor = None
) -> Response:
    """The products of one regency or city."""

    async def subject(page: PageContext) -> Subject:
        found = await service.region(listing.session, code)
        return ProductQuery(region=found.code), {"region": found}

    return await _products_page(listing, f"/wilayah/{code}", cursor, "region.html", subject)


async def _products_page(
    listing: Listing,
    path: str,
    cursor: str | None,
    template: str,
    subject: Callable[[PageContext], Awaitable[Subject]],
) -> Response:
    """A subject (a seller, a region) and a page of its products, cached by catalog version;
    the not-found page when the subject is not public."""
    session, settings, storage = listing.session, listing.settings, listing.storage
    page = PageContext(settings, listing.language, path, {"cursor": cursor} if cursor else {})
    version = await listing.versions.get("catalog", lambda: service.catalog_version(session))

    async def build() -> str:
        products, context = await subject(page)
        query = replace(products, limit=service.PAGE_SIZE, cursor=cursor)
        return rendering.render(
            template,
            page,
            results=await _results_or_none(session, storage, settings, query),
            catalogue=await service.catalogue(session),
            **context,
        )

    return await _cached_or_not_found(
        listing.request, settings, storage, listing.cache, version, page, build
    )


async def _results_or_none(
    session: DbSession, storage: MediaStorage, settings: Settings, query: ProductQuery
) -> Page[ProductSummary] | None:
    try:
        return await service.search(session, storage, settings, query)
    except AppError:  # a stale or forged cursor: show the first page's link instead
        return None


async def _cached_or_not_found(
    request: Request,
    settings: Settings,
    storage: MediaStorage,
    cache: ResponseCache,
    version: str,
    page: PageContext,
    build: Callable[[], Awaitable[str]],
) -> Response:
    key = {"lang": page.language, "path": page.path, "query": page.query}
    try:
        rendered = await rendering.cached(cache, version, "page", key, build)
    except NotFound:
        return not_found(settings, storage, page.language)
    except AppError as error:
        if error.status_code != 404:
            raise
        return not_found(settings, storage, page.language)
    return rendering.public_response(request, settings, storage, rendered, page.language)


def not_found(settings: Settings, storage: MediaStorage, language: Language) -> Response:
    page = PageContext(settings, language, "/")
    html = rendering.render(
        "message.html",
        page,
        heading=page.t("storefront.not-found"),
        text=page.t("storefront.not-found.detail"),
        noindex=True,
    )
    return rendering.private_response(settings, storage, html, language, status_code=404)


@router.get("/favicon.ico", response_class=Response)
async def favicon() -> Response:
    """No icon (browsers ask for one on every first visit; an empty answer costs nothing)."""
    return Response(status_code=204, headers={"Cache-Control": "public, max-age=86400"})


@router.get("/robots.txt", response_class=PlainTextResponse)
async def robots(settings: AppSettings) -> PlainTextResponse:
    return PlainTextResponse(
        sitemap.robots(settings), headers={"Cache-Control": rendering.PUBLIC_CACHE_CONTROL}
    )


@router.get("/sitemap.xml", response_class=Response)
async def sitemap_index(session: DbSession, settings: AppSettings) -> Response:
    """Every public page; an index of parts past 50,000 addresses."""
    body = await sitemap.sitemap(session, settings)
    return Response(body, media_type=_XML, headers={"Cache-Control": "public, max-age=3600"})


@router.get("/sitemap-halaman.xml", response_class=Response)
async def sitemap_pages(session: DbSession, settings: AppSettings) -> Response:
    body = await sitemap.pages_part(session, settings)
    return Response(body, media_type=_XML, headers={"Cache-Control": "public, max-age=3600"})


@router.get("/sitemap-produk-{number}.xml", response_class=Response)
async def sitemap_products(
    number: Annotated[int, Path(ge=1, le=100_000)], session: DbSession, settings: AppSettings
) -> Response:
    body = await sitemap.products_part(session, settings, number)
    if body is None:
        raise NotFound()
    return Response(body, media_type=_XML, headers={"Cache-Control": "public, max-age=3600"})
