"""oEmbed 1.0 (https://oembed.com): a CMS given a product's address gets an iframe of its card."""

from __future__ import annotations

from markupsafe import escape
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.config import Settings
from marketplace.core.errors import InvalidInput
from marketplace.core.i18n import gettext
from marketplace.featured import service
from marketplace.featured.exceptions import OEmbedFormatNotImplemented, OEmbedUrlNotFound
from marketplace.featured.links import embed_product_url, product_reference
from marketplace.featured.schemas import OEmbedRich
from marketplace.media.storage import MediaStorage

# The card reads well from 240 px wide; its height at the default width with a square photo.
DEFAULT_WIDTH = 360
DEFAULT_HEIGHT = 540
CACHE_AGE_SECONDS = 3600


async def product_embed(
    session: AsyncSession,
    storage: MediaStorage,
    settings: Settings,
    url: str,
    *,
    response_format: str,
    max_width: int | None,
    max_height: int | None,
) -> OEmbedRich:
    """501 for any format but JSON; 404 for an address that names no public product of ours."""
    if response_format != "json":
        raise OEmbedFormatNotImplemented()
    try:
        reference = product_reference(settings, url)
    except ValueError as error:  # e.g. "http://[::1": an IPv6 host never closed
        raise InvalidInput.for_field(
            ["query", "url"], gettext("Invalid URL"), "invalid_url"
        ) from error
    card = await service.product_card(session, storage, settings, reference) if reference else None
    if card is None:
        raise OEmbedUrlNotFound()
    width = min(DEFAULT_WIDTH, max_width) if max_width else DEFAULT_WIDTH
    height = min(DEFAULT_HEIGHT, max_height) if max_height else DEFAULT_HEIGHT
    html = (
        f'<iframe src="{escape(embed_product_url(settings, card.product.slug))}"'
        f' title="{escape(card.product.title)}" width="{width}" height="{height}"'
        ' loading="lazy" style="border:0;max-width:100%"></iframe>'
    )
    thumbnail = card.thumbnail
    return OEmbedRich(
        title=card.product.title,
        author_name=card.product.seller.name,
        provider_name=gettext("Pasar Babel"),
        provider_url=settings.public_url,
        cache_age=CACHE_AGE_SECONDS,
        html=html,
        width=width,
        height=height,
        thumbnail_url=thumbnail.url if thumbnail else None,
        thumbnail_width=thumbnail.width if thumbnail else None,
        thumbnail_height=thumbnail.height if thumbnail else None,
    )
