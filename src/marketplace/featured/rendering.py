"""The featured page and the embeds as HTML: rendered with Jinja2 (autoescaped), cached by
(view, normalised query, data version), each body with its strong ETag."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.catalog.exceptions import ProductNotFound
from marketplace.config import Settings
from marketplace.core.cache import ResponseCache, VersionMemo
from marketplace.core.content_policy import RESIZE_SCRIPT, STYLES, Theme
from marketplace.core.http_caching import RenderedPage
from marketplace.core.i18n import Language, gettext_in, language_scope
from marketplace.core.templating import environment
from marketplace.db.base import utcnow
from marketplace.featured import service
from marketplace.featured.service import FeaturedQuery
from marketplace.media.storage import MediaStorage


class View(StrEnum):
    FEATURED_PAGE = "featured-page"
    EMBED_FEATURED = "embed-featured"
    EMBED_PRODUCT = "embed-product"


@dataclass(frozen=True)
class PageRequest:
    """Everything a page's bytes depend on besides the data: the cache key is made of it."""

    view: View
    language: Language = Language.INDONESIAN
    theme: Theme = Theme.LIGHT
    limit: int = 12
    region: str | None = None
    category: str | None = None
    product: str | None = None
    parent: str | None = None  # an allowed origin, already checked
    widget: str | None = None

    def cache_key(self, version: str) -> str:
        query = hashlib.sha256(orjson.dumps(asdict(self))).hexdigest()[:32]
        data = hashlib.sha256(version.encode()).hexdigest()[:16]
        return f"featured-html:{self.view}:{data}:{query}"


Render = Callable[[datetime], Awaitable[str]]
VERSION_NAME = "featured"  # what the version memo remembers these pages' version under


async def render_page(
    session: AsyncSession,
    storage: MediaStorage,
    cache: ResponseCache,
    settings: Settings,
    page: PageRequest,
    versions: VersionMemo | None = None,
) -> RenderedPage:
    """The page from the cache while nothing it shows has changed, else rendered and cached.
    404 (problem) for a product embed of a product the public may not see."""
    now = utcnow()

    def load() -> Awaitable[str]:
        return service.featured_version(session, now)

    version = await versions.get(VERSION_NAME, load) if versions else await load()
    key = page.cache_key(version)
    cached = await cache.get(key)
    if cached is not None:
        return RenderedPage.decode(cached)
    html = await _renderer(session, storage, settings, page)(now)
    rendered = RenderedPage.of(html.encode("utf-8"))
    await cache.set(key, rendered.encode())
    return rendered


def _renderer(
    session: AsyncSession, storage: MediaStorage, settings: Settings, page: PageRequest
) -> Render:
    language = page.language

    async def featured(now: datetime) -> str:
        query = FeaturedQuery(region=page.region, category=page.category, limit=page.limit)
        cards = await service.featured_cards(session, storage, settings, query, now)
        if page.view is View.FEATURED_PAGE:
            title = gettext_in(language, "Featured products of Bangka Belitung")
            return _render("featured/page.html", page, title, cards=cards)
        title = gettext_in(language, "Featured products")
        featured_url = _featured_page_url(settings, page)
        return _render("embed/featured.html", page, title, cards=cards, featured_url=featured_url)

    async def product(now: datetime) -> str:
        card = await service.product_card(session, storage, settings, page.product or "")
        if card is None:
            raise ProductNotFound()
        title = gettext_in(language, "Product: %(title)s", title=card.product.title)
        return _render("embed/product.html", page, title, item=card)

    return product if page.view is View.EMBED_PRODUCT else featured


def _render(template: str, page: PageRequest, title: str, **context: Any) -> str:
    language = page.language
    with language_scope(language):
        return _render_in_language(template, page, title, **context)


def _render_in_language(template: str, page: PageRequest, title: str, **context: Any) -> str:
    return (
        environment()
        .get_template(template)
        .render(
            lang=page.language.value,
            theme=page.theme.value,
            title=title,
            styles=STYLES,
            script=RESIZE_SCRIPT if page.view is not View.FEATURED_PAGE else None,
            parent=page.parent,
            widget=page.widget,
            **context,
        )
    )


def _featured_page_url(settings: Settings, page: PageRequest) -> str:
    suffix = "?lang=en" if page.language is Language.ENGLISH else ""
    return f"{settings.public_url}/featured{suffix}"
