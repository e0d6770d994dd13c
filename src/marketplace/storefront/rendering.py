"""Storefront HTML: Jinja2 templates (autoescaped) with one inline stylesheet and small inline
scripts allowed by hash in a strict Content-Security-Policy; public pages cached by (page,
query, catalog version) with strong ETags, as the embeds are."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import orjson
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from marketplace.config import Settings
from marketplace.core.cache import ResponseCache
from marketplace.core.http_caching import RenderedPage, etag_matches
from marketplace.core.i18n import Language, translate_to
from marketplace.core.templating import environment, templates_dir
from marketplace.media.storage import MediaStorage

PUBLIC_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=300"
PRIVATE_CACHE_CONTROL = "private, no-store"


def _asset(name: str) -> str:
    return (templates_dir() / "storefront" / name).read_text(encoding="utf-8")


def _source(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


# Read and hashed once at start-up: pages inline exactly these bytes.
STYLES = Markup(_asset("styles.css"))
SHARE_SCRIPT = Markup(_asset("share.js"))
CARD_SCRIPT = Markup(_asset("card.js"))
STYLES_SOURCE = _source(STYLES)
SHARE_SCRIPT_SOURCE = _source(SHARE_SCRIPT)
CARD_SCRIPT_SOURCE = _source(CARD_SCRIPT)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_policy(settings: Settings, storage: MediaStorage, *, card: bool = False) -> str:
    """Only our stylesheet and scripts run; images from here and the media store; forms post
    only here. The card page also lets Stripe.js in (script, its frames, its API)."""
    media = _origin(storage.public_url("products/probe.webp"))
    scripts = [SHARE_SCRIPT_SOURCE]
    directives = [
        "default-src 'none'",
        f"img-src 'self' {media}",
        f"style-src {STYLES_SOURCE}",
    ]
    if card:
        stripe_js = _origin(settings.stripe_js_url)
        api = _origin(settings.stripe_api_base or "https://api.stripe.com")
        scripts += [CARD_SCRIPT_SOURCE, stripe_js]
        directives += [
            f"frame-src {stripe_js} https://hooks.stripe.com",
            f"connect-src {api} {stripe_js}",
        ]
    directives += [
        f"script-src {' '.join(scripts)}",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


@dataclass(frozen=True)
class PageContext:
    """What every page's template needs besides its own data."""

    settings: Settings
    language: Language
    path: str
    query: dict[str, str] = field(default_factory=dict)

    def t(self, key: str, **params: object) -> str:
        return translate_to(self.language, key, **params)

    def url(self, path: str, **params: object) -> str:
        """An address on this site in the page's language (``lang=en`` carried along)."""
        values = {k: str(v) for k, v in params.items() if v is not None and v != ""}
        if self.language is Language.ENGLISH:
            values["lang"] = "en"
        suffix = f"?{urlencode(values)}" if values else ""
        return f"{path}{suffix}"

    def absolute(self, path: str, **params: object) -> str:
        return f"{self.settings.public_url}{self.url(path, **params)}"

    def canonical(self) -> str:
        return self.absolute(self.path, **self.query)

    def other_language(self) -> str:
        """This page in the other language."""
        values = dict(self.query)
        if self.language is Language.INDONESIAN:
            values["lang"] = "en"
        suffix = f"?{urlencode(values)}" if values else ""
        return f"{self.path}{suffix}"


def render(template: str, page: PageContext, **context: Any) -> str:
    return (
        environment()
        .get_template(f"storefront/{template}")
        .render(
            t=page.t,
            url=page.url,
            absolute=page.absolute,
            page=page,
            lang=page.language.value,
            styles=STYLES,
            share_script=SHARE_SCRIPT,
            **context,
        )
    )


async def cached(
    cache: ResponseCache,
    version: str,
    name: str,
    key_parts: dict[str, Any],
    build: Callable[[], Awaitable[str]],
) -> RenderedPage:
    """The page from the cache while ``version`` (the catalog's) is unchanged, else built."""
    query = hashlib.sha256(orjson.dumps(key_parts, default=str)).hexdigest()[:32]
    data = hashlib.sha256(version.encode()).hexdigest()[:16]
    key = f"storefront-html:{name}:{data}:{query}"
    hit = await cache.get(key)
    if hit is not None:
        return RenderedPage.decode(hit)
    rendered = RenderedPage.of((await build()).encode("utf-8"))
    await cache.set(key, rendered.encode())
    return rendered


def public_response(
    request: Request,
    settings: Settings,
    storage: MediaStorage,
    rendered: RenderedPage,
    language: Language,
) -> Response:
    """A page everybody sees alike: ETag, 304 for a current copy, shared caching."""
    headers = security_headers(settings, storage)
    headers.update({"ETag": rendered.etag, "Cache-Control": PUBLIC_CACHE_CONTROL})
    headers["Content-Language"] = language.value
    if etag_matches(request.headers.get("if-none-match"), rendered.etag):
        return Response(status_code=304, headers=headers)
    return Response(rendered.body, media_type="text/html", headers=headers)


def private_response(
    settings: Settings,
    storage: MediaStorage,
    html: str,
    language: Language,
    *,
    status_code: int = 200,
    card: bool = False,
) -> Response:
    """A page for one visitor (cart, checkout, an order): never stored by caches, and sends
    no Referer (an order's address may carry its token)."""
    headers = security_headers(settings, storage, card=card)
    headers.update(
        {
            "Cache-Control": PRIVATE_CACHE_CONTROL,
            "Referrer-Policy": "no-referrer",
            "Content-Language": language.value,
        }
    )
    return Response(html, status_code=status_code, media_type="text/html", headers=headers)


def security_headers(
    settings: Settings, storage: MediaStorage, *, card: bool = False
) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_policy(settings, storage, card=card),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }
