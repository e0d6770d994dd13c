"""Where a featured card points (the storefront's product page) and reading such an address
back into a product (oEmbed)."""

from __future__ import annotations

import re
import uuid
from functools import lru_cache
from urllib.parse import quote, unquote, urlsplit

from marketplace.config import Settings

OWN_PRODUCT_PATH = re.compile(r"^/(?:produk|api/v1/products|embed/products)/(?P<ref>[^/]+)/?$")
_PLACEHOLDER = re.compile(r"\\\{(?:slug|id)\\\}")


def storefront_template(settings: Settings) -> str:
    """``MARKETPLACE_STOREFRONT_URL``, or the product's storefront page on this service."""
    return settings.storefront_url or f"{settings.public_url}/produk/{{slug}}"


def product_link(settings: Settings, slug: str, product_id: uuid.UUID) -> str:
    """The page a buyer lands on from a card. Plain replacement, not ``str.format``: the
    template comes from configuration and must not reach attributes of the values."""
    return (
        storefront_template(settings)
        .replace("{slug}", quote(slug, safe=""))
        .replace("{id}", str(product_id))
    )


def embed_product_url(settings: Settings, slug: str) -> str:
    return f"{settings.public_url}/embed/products/{quote(slug, safe='')}"


def product_reference(settings: Settings, url: str) -> str | None:
    """The id or slug a product address names: a storefront link, this service's product
    address or its embed address. None for anything else, another site's addresses included."""
    storefront = _template_pattern(storefront_template(settings)).match(url)
    if storefront:
        return unquote(storefront.group("ref"))
    parts = urlsplit(url)
    own = urlsplit(settings.public_url)
    if (parts.scheme, parts.netloc.lower()) != (own.scheme, own.netloc.lower()):
        return None
    path = parts.path.removeprefix(own.path.rstrip("/"))
    match = OWN_PRODUCT_PATH.match(path)
    return unquote(match.group("ref")) if match else None


@lru_cache(maxsize=8)
def _template_pattern(template: str) -> re.Pattern[str]:
    """``https://x/produk/{slug}`` as a pattern capturing the slug (or the id) as ``ref``; the
    query and fragment after it are ignored."""
    escaped = re.escape(template)
    first = True

    def group(match: re.Match[str]) -> str:
        nonlocal first
        captured = "?P<ref>" if first else "?:"
        first = False
        return f"({captured}[^/?#&]+)"

    pattern = _PLACEHOLDER.sub(group, escaped)
    return re.compile(f"^{pattern}(?:[?#&].*)?$")
