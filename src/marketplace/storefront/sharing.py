"""What a shared product link shows in chat apps and search engines: a 1200 x 630 preview image
made once from the first photo (kept in media storage), JSON-LD ``Product``, share links."""

from __future__ import annotations

import hashlib
import io
import json
import re
import textwrap
from typing import Any
from urllib.parse import quote

import anyio.to_thread
from markupsafe import Markup

from marketplace.catalog.schemas import ImageRead, ProductDetail
from marketplace.media.storage import MediaStorage, StorageError

OG_WIDTH, OG_HEIGHT = 1200, 630
_OG_QUALITY = 85
_NON_DIGITS = re.compile(r"\D")


def _stored_key(storage: MediaStorage, url: str) -> str | None:
    """The storage key behind one of its public URLs."""
    probe = storage.public_url("x.webp")
    prefix = probe[: -len("x.webp")]
    return url[len(prefix) :] if url.startswith(prefix) else None


def og_image_key(image: ImageRead) -> str:
    """One preview per photo: a new first photo makes a new key (old previews are never
    served stale from a CDN)."""
    return f"og/{image.id}.jpg"


# Pillow is imported where a preview is drawn (rarely: each is stored once), not with the pages.


def _cover(raw: bytes) -> bytes:
    from PIL import Image, ImageOps  # noqa: PLC0415

    with Image.open(io.BytesIO(raw)) as opened:
        picture = ImageOps.fit(
            opened.convert("RGB"), (OG_WIDTH, OG_HEIGHT), Image.Resampling.LANCZOS
        )
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=_OG_QUALITY, optimize=True)
    return buffer.getvalue()


def _lettered(title: str, subtitle: str) -> bytes:
    """A preview for a product without photos: its name and price on the site's blue."""
    from PIL import Image, ImageDraw, ImageFont  # noqa: PLC0415

    picture = Image.new("RGB", (OG_WIDTH, OG_HEIGHT), (10, 88, 168))
    draw = ImageDraw.Draw(picture)
    heading = ImageFont.load_default(size=72)
    small = ImageFont.load_default(size=44)
    lines = textwrap.wrap(title, width=28)[:3]
    top = 120
    for line in lines:
        draw.text((80, top), line, font=heading, fill=(255, 255, 255))
        top += 92
    draw.text((80, top + 30), subtitle, font=small, fill=(230, 238, 248))
    draw.text((80, OG_HEIGHT - 110), "Pasar Babel", font=small, fill=(255, 255, 255))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=_OG_QUALITY, optimize=True)
    return buffer.getvalue()


async def og_image_url(storage: MediaStorage, product: ProductDetail, subtitle: str) -> str | None:
    """The preview's absolute URL, made once and kept in media storage: from the first photo,
    else lettered with the name and ``subtitle``. None only when storage fails (the page
    still renders)."""
    try:
        if product.images:
            return await _photo_preview(storage, product.images[0])
        text = f"{product.title}\n{subtitle}".encode()
        key = f"og/text-{product.id}-{hashlib.sha256(text).hexdigest()[:16]}.jpg"
        if not await storage.exists(key):
            data = await anyio.to_thread.run_sync(_lettered, product.title, subtitle)
            await storage.put(key, data, "image/jpeg")
        return storage.public_url(key)
    except (StorageError, OSError, ValueError):
        return None


async def _photo_preview(storage: MediaStorage, first: ImageRead) -> str | None:
    key = og_image_key(first)
    if not await storage.exists(key):
        source = _stored_key(storage, first.url)
        raw = await storage.get(source) if source else None
        if raw is None:
            return None
        data = await anyio.to_thread.run_sync(_cover, raw)
        await storage.put(key, data, "image/jpeg")
    return storage.public_url(key)


def product_json_ld(
    product: ProductDetail, page_url: str, image_url: str | None, seller_name: str
) -> Markup:
    """``Product`` with an ``Offer`` (or ``AggregateOffer``) in IDR, ``AggregateRating`` when
    the product carries ratings; escaped so no text can close the script element."""
    prices = [variant.price for variant in product.variants] or [product.price]
    availability = "InStock" if product.in_stock else "OutOfStock"
    offer: dict[str, Any] = {
        "@type": "Offer" if len(set(prices)) == 1 else "AggregateOffer",
        "priceCurrency": "IDR",
        "availability": f"https://schema.org/{availability}",
        "url": page_url,
        "seller": {"@type": "Organization", "name": seller_name},
    }
    if offer["@type"] == "Offer":
        offer["price"] = prices[0]
    else:
        offer.update(lowPrice=min(prices), highPrice=max(prices), offerCount=len(prices))
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.title,
        "description": product.description[:500],
        "url": page_url,
        "offers": offer,
    }
    if image_url:
        data["image"] = [image_url]
    rating = getattr(product, "rating", None)
    count = getattr(rating, "count", 0) if rating is not None else 0
    if rating is not None and count:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": getattr(rating, "average", None),
            "reviewCount": count,
        }
    text = json.dumps(data, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def whatsapp_chat_link(number: str | None, message: str) -> str | None:
    """``https://wa.me/62…?text=…``: the seller's WhatsApp with a message prefilled."""
    digits = _NON_DIGITS.sub("", number or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    if len(digits) < 9:
        return None
    return f"https://wa.me/{digits}?text={quote(message, safe='')}"


def share_links(page_url: str, title: str) -> dict[str, str]:
    """Where the "Bagikan" button falls back to without the Web Share API."""
    return {
        "whatsapp": f"https://wa.me/?text={quote(f'{title} {page_url}', safe='')}",
        "facebook": f"https://www.facebook.com/sharer/sharer.php?u={quote(page_url, safe='')}",
    }
