"""Uploaded bytes to stored pictures: check the type and size, strip metadata, re-encode as WebP."""

from __future__ import annotations

import io
import os
import struct
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import anyio
import anyio.to_thread

if TYPE_CHECKING:
    from PIL import Image, ImageFile

# Pillow is imported where pictures are decoded (an upload's worker thread), not with this
# module: every worker imports the routes that upload, few ever receive a picture.

from marketplace.media.exceptions import (
    BrokenImage,
    ImageTooLarge,
    TooManyPixels,
    UnsupportedImageType,
)

WEBP_CONTENT_TYPE = "image/webp"

_JPEG_SIGNATURE = b"\xff\xd8\xff"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# What Pillow raises on damaged or truncated files while parsing headers or decoding pixels.
_DECODING_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error)
# Decoding holds a full bitmap in memory (up to max_pixels x 4 bytes), so only a few at a time.
_IMAGE_WORKERS = anyio.CapacityLimiter(max(2, min(4, os.cpu_count() or 1)))


@dataclass(frozen=True)
class ProcessedImage:
    """A picture ready to store: WebP bytes of the image and of its thumbnail, with their sizes."""

    data: bytes
    width: int
    height: int
    thumbnail: bytes
    thumbnail_width: int
    thumbnail_height: int
    source_format: str


def sniff_format(raw: bytes) -> str | None:
    """The accepted format the leading bytes announce (Pillow's name), or None."""
    if raw.startswith(_JPEG_SIGNATURE):
        return "JPEG"
    if raw.startswith(_PNG_SIGNATURE):
        return "PNG"
    if len(raw) >= 12 and raw[:4] == b"RIFF" and raw[8:12] == b"WEBP":
        return "WEBP"
    return None


def process_image(
    raw: bytes,
    *,
    max_bytes: int,
    max_pixels: int,
    max_side: int = 2000,
    thumbnail_side: int = 400,
    quality: int = 82,
) -> ProcessedImage:
    """Validate an upload and re-encode it as a metadata-free WebP image plus a thumbnail.

    Raises ImageTooLarge (413), UnsupportedImageType (415), TooManyPixels or BrokenImage (422).
    Blocks for as long as decoding takes: call ``process_image_async`` from async code.
    """
    if len(raw) > max_bytes:
        raise ImageTooLarge(max_bytes=max_bytes)
    source_format = sniff_format(raw)
    if source_format is None:
        raise UnsupportedImageType()
    from PIL import Image  # noqa: PLC0415

    image = _decode_upright(raw, source_format, max_pixels=max_pixels, max_side=max_side)
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    thumbnail = image.copy()
    thumbnail.thumbnail((thumbnail_side, thumbnail_side), Image.Resampling.LANCZOS)
    return ProcessedImage(
        data=_encode_webp(image, quality),
        width=image.width,
        height=image.height,
        thumbnail=_encode_webp(thumbnail, quality),
        thumbnail_width=thumbnail.width,
        thumbnail_height=thumbnail.height,
        source_format=source_format,
    )


async def process_image_async(
    raw: bytes,
    *,
    max_bytes: int,
    max_pixels: int,
    max_side: int = 2000,
    thumbnail_side: int = 400,
    quality: int = 82,
) -> ProcessedImage:
    """``process_image`` in a worker thread, so the event loop keeps serving other requests."""
    work = partial(
        process_image,
        raw,
        max_bytes=max_bytes,
        max_pixels=max_pixels,
        max_side=max_side,
        thumbnail_side=thumbnail_side,
        quality=quality,
    )
    return await anyio.to_thread.run_sync(work, limiter=_IMAGE_WORKERS)


def _decode_upright(
    raw: bytes, source_format: str, *, max_pixels: int, max_side: int
) -> Image.Image:
    """The first frame, decoded, turned as its EXIF orientation says, in sRGB (RGB or RGBA)."""
    from PIL import ImageOps  # noqa: PLC0415

    with _open_checked(raw, source_format, max_pixels) as opened:
        # JPEG can decode at 1/2 to 1/8 scale, which saves most of the memory and time.
        opened.draft(None, (max_side, max_side))
        icc_profile = opened.info.get("icc_profile")
        try:
            opened.load()
            upright = ImageOps.exif_transpose(opened)
        except _DECODING_ERRORS as error:
            raise BrokenImage() from error
    return _to_srgb(upright, icc_profile if isinstance(icc_profile, bytes) else None)


def _open_checked(raw: bytes, source_format: str, max_pixels: int) -> ImageFile.ImageFile:
    """The image opened lazily (header only), refused if it declares more than max_pixels."""
    from PIL import Image  # noqa: PLC0415

    try:
        image = Image.open(io.BytesIO(raw), formats=[source_format])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise TooManyPixels(max_pixels=max_pixels) from error
    except _DECODING_ERRORS as error:
        raise BrokenImage() from error
    width, height = image.size
    if width * height > max_pixels:
        image.close()
        raise TooManyPixels(max_pixels=max_pixels)
    return image


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """RGB, or RGBA when the image has transparency; colours mapped to sRGB when profiled."""
    from PIL import ImageCms  # noqa: PLC0415

    target_mode = "RGBA" if image.has_transparency_data else "RGB"
    if image.mode.startswith("I"):
        # 16-bit greyscale PNG: a plain convert() would clip every value above 255 to white.
        image = image.convert("I").point(lambda value: value * (1 / 257)).convert("L")
    # The profile is dropped on save, so wide-gamut (e.g. Display P3) colours are mapped now.
    if icc_profile and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            converted = ImageCms.profileToProfile(
                image,
                io.BytesIO(icc_profile),
                # A profile per call: LittleCMS caches tags inside it, which threads may not share.
                ImageCms.createProfile("sRGB"),
                outputMode=target_mode,
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            converted = None
        if converted is not None:
            return converted
    return image if image.mode == target_mode else image.convert(target_mode)


def _encode_webp(image: Image.Image, quality: int) -> bytes:
    """Lossy WebP with no EXIF, ICC or XMP chunk."""
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=quality, exif=b"", icc_profile=b"", xmp=b"")
    return buffer.getvalue()
