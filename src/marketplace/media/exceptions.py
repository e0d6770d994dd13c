"""Errors of the media domain: uploads the API refuses, each with its own problem slug."""

from __future__ import annotations

from marketplace.core.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType

_BYTES_PER_MEGABYTE = 1024 * 1024
_PIXELS_PER_MEGAPIXEL = 1_000_000


class ImageTooLarge(PayloadTooLarge):
    """The upload has more bytes than the limit (413)."""

    problem = "image-too-large"

    def __init__(self, *, max_bytes: int) -> None:
        super().__init__(
            params={"max_megabytes": f"{max_bytes / _BYTES_PER_MEGABYTE:g}"},
            extra={"max_bytes": max_bytes},
        )


class UnsupportedImageType(UnsupportedMediaType):
    """The bytes are not a JPEG, PNG or WebP image, whatever the name or header claims (415)."""

    problem = "unsupported-image-type"

    def __init__(self) -> None:
        super().__init__(extra={"accepted_types": ["image/jpeg", "image/png", "image/webp"]})


class BrokenImage(InvalidInput):
    """The bytes start like an accepted image but cannot be decoded: damaged or truncated (422)."""

    problem = "broken-image"


class TooManyPixels(InvalidInput):
    """The image declares more pixels than the limit: a likely decompression bomb (422)."""

    problem = "image-too-many-pixels"

    def __init__(self, *, max_pixels: int) -> None:
        super().__init__(
            params={"max_megapixels": f"{max_pixels / _PIXELS_PER_MEGAPIXEL:g}"},
            extra={"max_pixels": max_pixels},
        )
