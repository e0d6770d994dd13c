"""Small typed makers of image files for the media tests."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

RED = (255, 0, 0)
BLUE = (0, 0, 255)
GREEN = (0, 255, 0)
EXIF_ORIENTATION_TAG = 0x0112


def encode(image: Image.Image, image_format: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **params)
    return buffer.getvalue()


def red_left_blue_right(width: int = 80, height: int = 40, mode: str = "RGB") -> Image.Image:
    """A picture whose left half is red and right half blue, so turns are visible."""
    image = Image.new(mode, (width, height), BLUE)
    image.paste(RED, (0, 0, width // 2, height))
    return image


def jpeg_bytes(
    width: int = 80, height: int = 40, *, orientation: int | None = None, noisy: bool = False
) -> bytes:
    image = red_left_blue_right(width, height)
    if noisy:
        image = Image.effect_noise((width, height), 80).convert("RGB")
    exif = Image.Exif()
    if orientation is not None:
        exif[EXIF_ORIENTATION_TAG] = orientation
    return encode(image, "JPEG", quality=95, exif=exif.tobytes())


def png_bytes(width: int = 80, height: int = 40, *, transparent_right_half: bool = False) -> bytes:
    image = red_left_blue_right(width, height, mode="RGBA")
    if transparent_right_half:
        image.paste((0, 0, 0, 0), (width // 2, 0, width, height))
    return encode(image, "PNG")


def webp_bytes(width: int = 80, height: int = 40) -> bytes:
    return encode(red_left_blue_right(width, height), "WEBP", quality=90)


def animated_webp_bytes(size: tuple[int, int] = (60, 30)) -> bytes:
    """Three frames: green, then red, then blue."""
    frames = [Image.new("RGB", size, color) for color in (GREEN, RED, BLUE)]
    return encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100)


def png_declaring(width: int, height: int, *, with_pixels: bool = True) -> bytes:
    """A black-and-white PNG of the given size, built by hand so no bitmap is ever allocated.

    Its pixel data compresses about a thousandfold; ``with_pixels=False`` leaves the data out,
    so only a decoder that never looks at pixels can get past it.
    """
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    pixels = _zero_rows(width, height) if with_pixels else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


def _zero_rows(width: int, height: int) -> bytes:
    compressor = zlib.compressobj(9)
    row = bytes(1 + (width + 7) // 8)  # filter byte, then one bit per pixel
    parts = [compressor.compress(row) for _ in range(height)]
    parts.append(compressor.flush())
    return b"".join(parts)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def webp_chunk_kinds(data: bytes) -> list[bytes]:
    """The four-character kinds of the chunks in a WebP (RIFF) file."""
    kinds, offset = [], 12
    while offset + 8 <= len(data):
        kind, size = (
            data[offset : offset + 4],
            struct.unpack("<I", data[offset + 4 : offset + 8])[0],
        )
        kinds.append(kind)
        offset += 8 + size + (size & 1)
    return kinds
