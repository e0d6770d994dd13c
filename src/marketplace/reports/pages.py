"""``/embed/stats``: the economic impact widget for the government site, under the embed
rules of ``/embed/featured`` (ETag and 304, Cache-Control, CSP with frame-ancestors from
``MARKETPLACE_EMBED_ALLOWED_ORIGINS``), with no script at all."""

from __future__ import annotations

import base64
import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from marketplace.catalog.dependencies import Cache, Storage, Versions
from marketplace.core.content_policy import PAGE_CACHE_CONTROL, Theme, embed_policy
from marketplace.core.dependencies import AppSettings
from marketplace.core.errors import problem_responses
from marketplace.core.http_caching import etag_matches
from marketplace.core.i18n import Language
from marketplace.db.session import DbSession
from marketplace.reports import widget
from marketplace.reports.widget import StatsPage

router = APIRouter(tags=["embeds"])
STYLES_SOURCE = (
    "'sha256-" + base64.b64encode(hashlib.sha256(widget.STYLES.encode()).digest()).decode() + "'"
)
HTML_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {}}, "description": "The widget"},
    304: {"description": "The copy named in If-None-Match is still current"},
}


def stats_headers(frame_ancestors: tuple[str, ...]) -> dict[str, str]:
    """Nothing may load but the page's own stylesheet; framing only by the listed origins."""
    ancestors = " ".join(frame_ancestors) or "'none'"
    policy = "; ".join(
        [
            "default-src 'none'",
            f"style-src {STYLES_SOURCE}",
            f"frame-ancestors {ancestors}",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Cache-Control": PAGE_CACHE_CONTROL,
    }


@router.get(
    "/embed/stats", response_class=Response, responses={**HTML_RESPONSES, **problem_responses(422)}
)
async def embed_stats(
    request: Request,
    session: DbSession,
    cache: Cache,
    versions: Versions,
    storage: Storage,
    settings: AppSettings,
    lang: Annotated[Language, Query(description="`id` (default) or `en`")] = Language.INDONESIAN,
    theme: Annotated[Theme, Query()] = Theme.LIGHT,
    months: Annotated[int, Query(ge=1, le=24, description="Months up to this one")] = 12,
) -> Response:
    """The marketplace's sales for the public: totals, bars by regency and a line by month,
    drawn on the server (SVG); groups with fewer than five buyers withheld."""
    page = StatsPage(language=lang, theme=theme, months=months)
    rendered = await widget.render_stats(session, cache, versions, page)
    headers = stats_headers(embed_policy(settings, storage).frame_ancestors)
    headers["ETag"] = rendered.etag
    headers["Content-Language"] = lang.value
    if etag_matches(request.headers.get("if-none-match"), rendered.etag):
        return Response(status_code=304, headers=headers)
    return Response(rendered.body, media_type="text/html", headers=headers)
