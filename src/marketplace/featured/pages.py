"""HTML for people: the featured page, the embeds (for iframes on other sites), the embed
loader script and oEmbed. No /api/v1 prefix: these addresses are pasted into web pages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from marketplace.catalog.dependencies import Cache, Storage
from marketplace.config import Settings
from marketplace.core.cache import ResponseCache
from marketplace.core.cached_replies import CachedReply, cached_page_response, remember_reply
from marketplace.core.content_policy import (
    LOADER_HEADERS,
    LOADER_SCRIPT,
    PAGE_CACHE_CONTROL,
    Theme,
    embed_policy,
)
from marketplace.core.dependencies import AppSettings
from marketplace.core.errors import problem_responses
from marketplace.core.http_caching import RenderedPage, etag_matches
from marketplace.core.i18n import Language
from marketplace.db.session import DbSession
from marketplace.featured import oembed, rendering
from marketplace.featured.rendering import PageRequest, View
from marketplace.featured.schemas import OEmbedRich
from marketplace.media.storage import MediaStorage

router = APIRouter(tags=["embeds"])

LanguageParam = Annotated[Language, Query(description="`id` (default) or `en`")]
ThemeParam = Annotated[Theme, Query()]
RegionParam = Annotated[str | None, Query(max_length=13, description="Kemendagri code")]
CategoryParam = Annotated[str | None, Query(max_length=80)]
ParentParam = Annotated[
    str | None,
    Query(max_length=300, description="The embedding page's origin (set by embed.js)"),
]
WidgetParam = Annotated[
    str | None,
    Query(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="The widget's id (set by embed.js)"),
]
HTML_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {}}, "description": "The page"},
    304: {"description": "The copy named in If-None-Match is still current"},
}


@router.get(
    "/featured", response_class=Response, responses={**HTML_RESPONSES, **problem_responses(422)}
)
async def featured_page(
    request: Request,
    session: DbSession,
    storage: Storage,
    cache: Cache,
    settings: AppSettings,
    lang: LanguageParam = Language.INDONESIAN,
    theme: ThemeParam = Theme.LIGHT,
    region: RegionParam = None,
    category: CategoryParam = None,
    limit: Annotated[int, Query(ge=1, le=48)] = 24,
) -> Response:
    """The featured products as a page of their own (framed by nobody but the listed origins)."""
    page = PageRequest(
        view=View.FEATURED_PAGE,
        language=lang,
        theme=theme,
        limit=limit,
        region=region,
        category=category,
    )
    return await _html(request, session, storage, cache, settings, page)


@router.get(
    "/embed/featured",
    response_class=Response,
    responses={**HTML_RESPONSES, **problem_responses(422)},
)
async def embed_featured(
    request: Request,
    session: DbSession,
    storage: Storage,
    cache: Cache,
    settings: AppSettings,
    lang: LanguageParam = Language.INDONESIAN,
    theme: ThemeParam = Theme.LIGHT,
    region: RegionParam = None,
    category: CategoryParam = None,
    limit: Annotated[int, Query(ge=1, le=24)] = 6,
    parent: ParentParam = None,
    widget: WidgetParam = None,
) -> Response:
    """Featured products for an iframe (embed.js makes one)."""
    allowed_parent = embed_policy(settings, storage).allowed_parent(parent)
    page = PageRequest(
        view=View.EMBED_FEATURED,
        language=lang,
        theme=theme,
        limit=limit,
        region=region,
        category=category,
        parent=allowed_parent,
        widget=widget if allowed_parent else None,
    )
    return await _html(request, session, storage, cache, settings, page)


@router.get(
    "/embed/products/{id_or_slug}",
    response_class=Response,
    responses={**HTML_RESPONSES, **problem_responses(404, 422)},
)
async def embed_product(
    id_or_slug: Annotated[str, Path(max_length=120)],
    request: Request,
    session: DbSession,
    storage: Storage,
    cache: Cache,
    settings: AppSettings,
    lang: LanguageParam = Language.INDONESIAN,
    theme: ThemeParam = Theme.LIGHT,
    parent: ParentParam = None,
    widget: WidgetParam = None,
) -> Response:
    """One product's card for an iframe; any product the public may see."""
    allowed_parent = embed_policy(settings, storage).allowed_parent(parent)
    page = PageRequest(
        view=View.EMBED_PRODUCT,
        language=lang,
        theme=theme,
        product=id_or_slug,
        parent=allowed_parent,
        widget=widget if allowed_parent else None,
    )
    return await _html(request, session, storage, cache, settings, page)


@router.get(
    "/embed.js",
    response_class=Response,
    responses={
        200: {"content": {"text/javascript": {}}, "description": "The embed loader"},
        304: {"description": "The copy named in If-None-Match is still current"},
    },
)
async def embed_loader(request: Request) -> Response:
    """Put a widget where this script's tag stands (see the comment at its top)."""
    if etag_matches(request.headers.get("if-none-match"), LOADER_HEADERS["ETag"]):
        return Response(status_code=304, headers=LOADER_HEADERS)
    return Response(LOADER_SCRIPT, media_type="text/javascript", headers=LOADER_HEADERS)


@router.get(
    "/oembed",
    response_model=OEmbedRich,
    response_model_exclude_none=True,
    responses=problem_responses(404, 422, 501),
)
async def oembed_product(
    response: Response,
    session: DbSession,
    storage: Storage,
    settings: AppSettings,
    url: Annotated[str, Query(max_length=2000, description="A product's page or embed address")],
    response_format: Annotated[str, Query(alias="format", max_length=10)] = "json",
    maxwidth: Annotated[int | None, Query(ge=1, le=10_000)] = None,
    maxheight: Annotated[int | None, Query(ge=1, le=10_000)] = None,
) -> OEmbedRich:
    """oEmbed 1.0 for a product's address: a ``rich`` response whose ``html`` is an iframe of
    its card. Only JSON (``format=xml`` is a 501)."""
    embed = await oembed.product_embed(
        session,
        storage,
        settings,
        url,
        response_format=response_format,
        max_width=maxwidth,
        max_height=maxheight,
    )
    response.headers["Cache-Control"] = PAGE_CACHE_CONTROL
    response.headers["Access-Control-Allow-Origin"] = "*"
    return embed


async def _html(
    request: Request,
    session: DbSession,
    storage: MediaStorage,
    cache: ResponseCache,
    settings: Settings,
    page: PageRequest,
) -> Response:
    """The page with its ETag and security headers, or a 304 when the caller's copy is current."""
    versions = request.app.state.version_memo
    rendered = await rendering.render_page(session, storage, cache, settings, page, versions)
    policy = embed_policy(settings, storage)
    headers = policy.page_headers(with_script=page.view is not View.FEATURED_PAGE)
    headers["Content-Language"] = page.language.value
    reply = CachedReply(
        version_name=rendering.VERSION_NAME,
        key_for=page.cache_key,
        page_from=_stored_page,
        media_type="text/html",
        headers=tuple(headers.items()),
        route=request.scope.get("route"),
    )
    remember_reply(request, reply)
    return cached_page_response(request, rendered, headers, reply.media_type)


def _stored_page(_key: str, raw: bytes) -> RenderedPage:
    return RenderedPage.decode(raw)
