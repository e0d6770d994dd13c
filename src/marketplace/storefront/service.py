"""What each storefront page shows, gathered from the catalog, sellers and featured services
(the rules stay there: only published products of verified sellers are ever public)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.catalog import browsing
from marketplace.catalog import service as catalog_service
from marketplace.catalog.browsing import ProductQuery
from marketplace.catalog.exceptions import ProductNotFound
from marketplace.catalog.listings import resolve_product_access
from marketplace.catalog.models import Region
from marketplace.catalog.product_queries import ProductSort
from marketplace.catalog.schemas import CategoryRead, ProductDetail, ProductSummary
from marketplace.config import Settings
from marketplace.core.errors import NotFound
from marketplace.core.i18n import Language
from marketplace.core.pagination import CursorCodec
from marketplace.core.schemas import Page
from marketplace.featured import service as featured_service
from marketplace.featured.service import FeaturedQuery, ProductCard
from marketplace.media.storage import MediaStorage
from marketplace.sellers import service as sellers_service
from marketplace.sellers.models import Seller, SellerStatus

HOME_FEATURED = 8
HOME_NEWEST = 8
PAGE_SIZE = 24


@dataclass(frozen=True)
class Catalogue:
    """The lists every browsing page may offer: categories and the province's regions."""

    categories: list[CategoryRead]
    regions: list[Region]

    def category_name(self, slug: str, language: Language) -> str:
        for category in self.categories:
            if category.slug == slug:
                return (category.name_en or category.name) if language == "en" else category.name
        return slug

    def region_name(self, code: str) -> str:
        return next((region.name for region in self.regions if region.code == code), code)


@dataclass(frozen=True)
class Home:
    featured: list[ProductCard]
    newest: list[ProductSummary]


@dataclass(frozen=True)
class ProductView:
    product: ProductDetail
    seller: Seller


def products_codec(settings: Settings, sort: ProductSort) -> CursorCodec:
    """The same cursors as ``GET /api/v1/products``: a page of one is a page of the other."""
    return CursorCodec(settings.secret_key.get_secret_value(), purpose=f"products:{sort}")


async def catalogue(session: AsyncSession) -> Catalogue:
    categories = await catalog_service.list_categories(session)
    return Catalogue(categories=categories, regions=await catalog_service.list_regions(session))


async def catalog_version(session: AsyncSession, now: datetime | None = None) -> str:
    """The version public pages are cached under; with ``now``, the featured list's too."""
    if now is not None:
        return await featured_service.featured_version(session, now)
    return await catalog_service.catalog_version(session)


async def home(
    session: AsyncSession, storage: MediaStorage, settings: Settings, now: datetime
) -> Home:
    featured = await featured_service.featured_cards(
        session, storage, settings, FeaturedQuery(limit=HOME_FEATURED), now
    )
    newest = await search(session, storage, settings, ProductQuery(limit=HOME_NEWEST))
    return Home(featured=featured, newest=newest.items)


async def search(
    session: AsyncSession, storage: MediaStorage, settings: Settings, query: ProductQuery
) -> Page[ProductSummary]:
    """The API's product list, with its filters, sorts and keyset cursors."""
    codec = products_codec(settings, query.effective_sort)
    return await browsing.list_public_products(session, codec, storage, query)


async def product(session: AsyncSession, storage: MediaStorage, slug: str) -> ProductView:
    """A product the public may see (404 for drafts, archived ones, unverified sellers)."""
    access = await resolve_product_access(session, None, slug)
    if not access.publicly_visible:
        raise ProductNotFound()
    detail = await browsing.product_detail(session, storage, access)
    return ProductView(product=detail, seller=access.seller)


async def public_seller(session: AsyncSession, slug: str) -> Seller:
    seller = await sellers_service.get_seller_by_slug(session, slug) if "\x00" not in slug else None
    if seller is None or seller.status is not SellerStatus.VERIFIED:
        raise NotFound()
    return seller


async def region(session: AsyncSession, code: str) -> Region:
    found = next((r for r in await catalog_service.list_regions(session) if r.code == code), None)
    if found is None:
        raise NotFound()
    return found
