"""``/sitemap.xml`` and ``/robots.txt``: every public page for search engines. Past
``URLS_PER_SITEMAP`` addresses (the protocol's limit) the sitemap becomes an index of parts."""

from __future__ import annotations

import math
from datetime import datetime
from xml.sax.saxutils import escape

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.catalog import service as catalog_service
from marketplace.config import Settings
from marketplace.core.pagination import CursorCodec
from marketplace.sellers import service as sellers_service
from marketplace.sellers.models import SellerStatus

URLS_PER_SITEMAP = 50_000
_SELLER_PAGE = 100
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NAMESPACE = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def robots(settings: Settings) -> str:
    return (
        "User-agent: *\n"
        "Allow: /\n"
        "Disallow: /keranjang\nDisallow: /checkout\nDisallow: /pesanan/\nDisallow: /masuk\n"
        "Disallow: /api/\n"
        f"Sitemap: {settings.public_url}/sitemap.xml\n"
    )


def _urlset(entries: list[tuple[str, datetime | None]]) -> str:
    rows = []
    for address, changed in entries:
        modified = f"<lastmod>{changed.date().isoformat()}</lastmod>" if changed else ""
        rows.append(f"<url><loc>{escape(address)}</loc>{modified}</url>")
    return f"{_HEAD}<urlset {_NAMESPACE}>\n" + "\n".join(rows) + "\n</urlset>\n"


async def _page_entries(
    session: AsyncSession, settings: Settings
) -> list[tuple[str, datetime | None]]:
    """Home, search, the regions and every verified seller's page."""
    base = settings.public_url
    entries: list[tuple[str, datetime | None]] = [(f"{base}/", None), (f"{base}/cari", None)]
    for region in await catalog_service.list_regions(session):
        entries.append((f"{base}/wilayah/{region.code}", None))
    codec = CursorCodec(settings.secret_key.get_secret_value(), purpose="sitemap-sellers")
    cursor: str | None = None
    while True:
        sellers, cursor = await sellers_service.list_sellers(
            session,
            codec,
            statuses=(SellerStatus.VERIFIED,),
            region_code=None,
            query=None,
            limit=_SELLER_PAGE,
            cursor=cursor,
        )
        entries += [(f"{base}/toko/{seller.slug}", seller.updated_at) for seller in sellers]
        if cursor is None:
            return entries


async def _product_entries(
    session: AsyncSession, settings: Settings, part: int
) -> list[tuple[str, datetime | None]]:
    rows = await catalog_service.public_product_addresses(
        session, offset=part * URLS_PER_SITEMAP, limit=URLS_PER_SITEMAP
    )
    return [(f"{settings.public_url}/produk/{slug}", changed) for slug, changed in rows]


async def sitemap(session: AsyncSession, settings: Settings) -> str:
    """One urlset while everything fits, else an index of the pages part and product parts."""
    pages = await _page_entries(session, settings)
    products = await catalog_service.count_public_products(session)
    if len(pages) + products <= URLS_PER_SITEMAP:
        return _urlset(pages + await _product_entries(session, settings, 0))
    base = settings.public_url
    parts = [f"{base}/sitemap-halaman.xml"] + [
        f"{base}/sitemap-produk-{number}.xml"
        for number in range(1, math.ceil(products / URLS_PER_SITEMAP) + 1)
    ]
    rows = "\n".join(f"<sitemap><loc>{escape(part)}</loc></sitemap>" for part in parts)
    return f"{_HEAD}<sitemapindex {_NAMESPACE}>\n{rows}\n</sitemapindex>\n"


async def pages_part(session: AsyncSession, settings: Settings) -> str:
    return _urlset(await _page_entries(session, settings))


async def products_part(session: AsyncSession, settings: Settings, number: int) -> str | None:
    """Part ``number`` (from 1) of the product addresses; None past the last."""
    if number < 1:
        return None
    entries = await _product_entries(session, settings, number - 1)
    return _urlset(entries) if entries else None
