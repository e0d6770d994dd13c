"""What keeps the embeds safe on other sites: a Content-Security-Policy that allows only the
page's own inline stylesheet and resize script (by hash), images from the media origin, and
framing by the origins in ``MARKETPLACE_EMBED_ALLOWED_ORIGINS``; and the parent origin an embed
may talk to. Used by every page made to sit in an iframe elsewhere (featured embeds, the
statistics widget)."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from urllib.parse import urlsplit

from markupsafe import Markup

from marketplace.config import Settings
from marketplace.core.templating import templates_dir
from marketplace.media.storage import MediaStorage

PAGE_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=300"
LOADER_CACHE_CONTROL = "public, max-age=300, stale-while-revalidate=3600"
ANY_ORIGIN = "*"
_ORIGIN = re.compile(r"^https?://(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:]+\])(?::\d{1,5})?$")
logger = logging.getLogger("marketplace.embeds")


class Theme(StrEnum):
    """The two looks an embed comes in."""

    LIGHT = "light"
    DARK = "dark"


def _asset(name: str) -> str:
    return (templates_dir() / "embed" / name).read_text(encoding="utf-8")


def _hash_source(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


# Read and hashed once, when the app starts: the pages inline exactly these bytes.
STYLES = Markup(_asset("styles.css"))
RESIZE_SCRIPT = Markup(_asset("resize.js"))
LOADER_SCRIPT = _asset("embed.js").encode("utf-8")
STYLES_SOURCE = _hash_source(STYLES)
RESIZE_SCRIPT_SOURCE = _hash_source(RESIZE_SCRIPT)


def normalize_origin(value: str) -> str | None:
    """``scheme://host[:port]`` in lower case, or None when ``value`` is not such an origin."""
    candidate = value.strip().rstrip("/").lower()
    return candidate if _ORIGIN.match(candidate) else None


@dataclass(frozen=True)
class EmbedPolicy:
    frame_ancestors: tuple[str, ...]
    image_origin: str

    def allowed_parent(self, origin: str | None) -> str | None:
        """The origin an embed may post its height to: a listed one (any, with ``*``)."""
        normalized = normalize_origin(origin) if origin else None
        if normalized is None:
            return None
        if ANY_ORIGIN in self.frame_ancestors or normalized in self.frame_ancestors:
            return normalized
        return None

    def page_headers(self, *, with_script: bool) -> dict[str, str]:
        directives = [
            "default-src 'none'",
            f"img-src {self.image_origin}",
            f"style-src {STYLES_SOURCE}",
        ]
        if with_script:
            directives.append(f"script-src {RESIZE_SCRIPT_SOURCE}")
        ancestors = " ".join(self.frame_ancestors) or "'none'"
        directives += [f"frame-ancestors {ancestors}", "base-uri 'none'", "form-action 'none'"]
        return {
            "Content-Security-Policy": "; ".join(directives),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "strict-origin-when-cross-origin",
            "Cache-Control": PAGE_CACHE_CONTROL,
        }


def embed_policy(settings: Settings, storage: MediaStorage) -> EmbedPolicy:
    origins = tuple(settings.embed_allowed_origins)
    media = urlsplit(storage.public_url("products/probe.webp"))
    return _policy(origins, f"{media.scheme}://{media.netloc}")


@lru_cache(maxsize=16)
def _policy(configured: tuple[str, ...], image_origin: str) -> EmbedPolicy:
    allowed: list[str] = []
    for value in configured:
        normalized = ANY_ORIGIN if value.strip() == ANY_ORIGIN else normalize_origin(value)
        if normalized is None:
            # An entry like "https://a.go.id; script-src *" must not reach the header.
            logger.warning("ignoring MARKETPLACE_EMBED_ALLOWED_ORIGINS entry %r", value)
            continue
        if normalized not in allowed:
            allowed.append(normalized)
    return EmbedPolicy(frame_ancestors=tuple(allowed), image_origin=image_origin)


LOADER_ETAG = f'"{hashlib.sha256(LOADER_SCRIPT).hexdigest()[:32]}"'
LOADER_HEADERS = {
    "ETag": LOADER_ETAG,
    "Cache-Control": LOADER_CACHE_CONTROL,
    "X-Content-Type-Options": "nosniff",
    # Host pages that isolate themselves (COEP require-corp) may still load the script.
    "Cross-Origin-Resource-Policy": "cross-origin",
}
