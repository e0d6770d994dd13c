from __future__ import annotations

import io

import pytest
from PIL import Image, ImageCms

from marketplace.core.errors import AppError
from marketplace.core.i18n import Language, current_language
from marketplace.media.exceptions import (
    BrokenImage,
    ImageTooLarge,
    TooManyPixels,
    UnsupportedImageType,
)
from marketplace.media.images import ProcessedImage, process_image, process_image_async
from tests.media.samples import (
    BLUE,
    GREEN,
    RED,
    animated_webp_bytes,
    encode,
    jpeg_bytes,
    png_bytes,
    png_declaring,
    red_left_blue_right,
    webp_bytes,
    webp_chunk_kinds,
)

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000


def process(raw: bytes, **limits: int) -> ProcessedImage:
    limits.setdefault("max_bytes", MAX_BYTES)
    limits.setdefault("max_pixels", MAX_PIXELS)
    return process_image(raw, **limits)


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def colour_at(image: Image.Image, x: int, y: int) -> tuple[int, ...]:
    value = image.getpixel((x, y))
    assert isinstance(value, tuple)
    return value


def assert_close(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 24) -> None:
    assert all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True)), actual


def test_jpeg_with_exif_orientation_6_comes_out_upright_without_exif() -> None:
    raw = jpeg_bytes(80, 40, orientation=6)  # stored sideways: red left, blue right

    result = process(raw)

    assert (result.width, result.height) == (40, 80)
    stored = decode(result.data)
    assert stored.format == "WEBP"
    assert_close(colour_at(stored.convert("RGB"), 20, 5), RED)  # the left edge is now the top
    assert_close(colour_at(stored.convert("RGB"), 20, 75), BLUE)
    assert len(stored.getexif()) == 0
    assert "exif" not in stored.info
    assert result.source_format == "JPEG"


def test_output_carries_no_exif_icc_or_xmp_chunk() -> None:
    image = red_left_blue_right()
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    exif = Image.Exif()
    exif[0x010F] = "Kamera Rahasia"  # camera make
    raw = encode(image, "JPEG", exif=exif.tobytes(), icc_profile=srgb)

    result = process(raw)

    for data in (result.data, result.thumbnail):
        assert data[:4] == b"RIFF"
        assert data[8:12] == b"WEBP"
        assert not {b"EXIF", b"ICCP", b"XMP "} & set(webp_chunk_kinds(data))
        assert b"Kamera Rahasia" not in data
    assert_close(colour_at(decode(result.data).convert("RGB"), 5, 5), RED)


def test_damaged_colour_profile_is_ignored_rather_than_refusing_the_image() -> None:
    raw = encode(red_left_blue_right(), "JPEG", icc_profile=b"not a colour profile")

    result = process(raw)

    assert_close(colour_at(decode(result.data).convert("RGB"), 5, 5), RED)
    assert b"ICCP" not in webp_chunk_kinds(result.data)


def test_png_with_alpha_keeps_its_transparency() -> None:
    raw = png_bytes(80, 40, transparent_right_half=True)

    result = process(raw)

    stored = decode(result.data)
    assert stored.mode == "RGBA"
    assert_close(colour_at(stored, 10, 20), (*RED, 255))
    assert colour_at(stored, 70, 20)[3] == 0
    assert decode(result.thumbnail).mode == "RGBA"
    assert result.source_format == "PNG"


def test_opaque_jpeg_is_stored_without_alpha() -> None:
    result = process(jpeg_bytes())

    assert decode(result.data).mode == "RGB"


def test_webp_upload_is_re_encoded_as_webp() -> None:
    result = process(webp_bytes(80, 40))

    assert (result.width, result.height) == (80, 40)
    assert result.data[:4] == b"RIFF"
    assert result.data[8:12] == b"WEBP"
    assert result.source_format == "WEBP"
    assert_close(colour_at(decode(result.data).convert("RGB"), 70, 20), BLUE)


def test_png_bytes_uploaded_as_foto_jpg_are_judged_as_png() -> None:
    # Only the bytes reach process_image; the name "foto.jpg" and "image/jpeg" cannot count.
    raw = png_bytes(transparent_right_half=True)

    result = process(raw)

    assert result.source_format == "PNG"
    assert decode(result.data).mode == "RGBA"


def test_animated_webp_keeps_only_its_first_frame() -> None:
    result = process(animated_webp_bytes((60, 30)))

    stored = decode(result.data)
    assert getattr(stored, "n_frames", 1) == 1
    assert (stored.width, stored.height) == (60, 30)
    assert_close(colour_at(stored.convert("RGB"), 30, 15), GREEN)


def test_cmyk_jpeg_is_stored_as_rgb() -> None:
    raw = encode(Image.new("CMYK", (30, 30), (0, 255, 255, 0)), "JPEG")

    result = process(raw)

    stored = decode(result.data)
    assert stored.mode == "RGB"
    assert_close(colour_at(stored, 15, 15), RED)


def test_sixteen_bit_greyscale_png_keeps_its_grey() -> None:
    raw = encode(Image.new("I;16", (20, 20), 32896), "PNG")  # 50% grey on 16 bits

    result = process(raw)

    assert_close(colour_at(decode(result.data).convert("RGB"), 10, 10), (128, 128, 128), 4)


def test_large_image_is_downscaled_and_thumbnailed_keeping_proportions() -> None:
    raw = jpeg_bytes(3000, 1500)

    result = process(raw)

    assert (result.width, result.height) == (2000, 1000)
    assert (result.thumbnail_width, result.thumbnail_height) == (400, 200)
    assert decode(result.thumbnail).size == (400, 200)
    assert decode(result.data).size == (2000, 1000)


def test_portrait_thumbnail_fits_in_400_pixels() -> None:
    result = process(png_bytes(600, 1200))

    assert (result.width, result.height) == (600, 1200)
    assert (result.thumbnail_width, result.thumbnail_height) == (200, 400)


def test_small_image_is_not_enlarged() -> None:
    result = process(webp_bytes(120, 60))

    assert (result.thumbnail_width, result.thumbnail_height) == (120, 60)


def test_custom_sides_and_quality_are_honoured() -> None:
    raw = jpeg_bytes(1000, 500, noisy=True)

    small = process_image(
        raw, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, max_side=500, thumbnail_side=100
    )
    rough = process_image(raw, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, quality=20)
    fine = process_image(raw, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, quality=95)

    assert (small.width, small.height) == (500, 250)
    assert (small.thumbnail_width, small.thumbnail_height) == (100, 50)
    assert len(rough.data) < len(fine.data)


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(encode(red_left_blue_right(), "GIF"), id="gif"),
        pytest.param(encode(red_left_blue_right(), "BMP"), id="bmp"),
        pytest.param(encode(red_left_blue_right(), "TIFF"), id="tiff"),
        pytest.param(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", id="pdf"),
        pytest.param(b"<svg xmlns='http://www.w3.org/2000/svg'/>", id="svg"),
        pytest.param(b"Halo, ini bukan gambar.", id="text"),
        pytest.param(b"RIFF\x24\x00\x00\x00WAVEfmt ", id="wav-riff"),
        pytest.param(b"", id="empty"),
    ],
)
def test_anything_but_jpeg_png_or_webp_is_unsupported(raw: bytes) -> None:
    with pytest.raises(UnsupportedImageType) as raised:
        process(raw)

    assert raised.value.status_code == 415


def test_truncated_jpeg_is_a_broken_image() -> None:
    raw = jpeg_bytes(300, 300, noisy=True)

    with pytest.raises(BrokenImage) as raised:
        process(raw[: len(raw) // 2])

    assert raised.value.status_code == 422


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, id="png-signature-then-garbage"),
        pytest.param(b"\xff\xd8\xff\xe0" + b"\x00" * 64, id="jpeg-signature-then-garbage"),
        pytest.param(b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 8, id="webp-signature-empty"),
        pytest.param(png_declaring(100, 100, with_pixels=False), id="png-without-pixels"),
    ],
)
def test_right_signature_with_undecodable_content_is_a_broken_image(raw: bytes) -> None:
    with pytest.raises(BrokenImage):
        process(raw)


def test_png_declaring_30000_by_30000_pixels_is_refused_as_too_many_pixels() -> None:
    raw = png_declaring(30_000, 30_000)  # 900 megapixels in about 110 kB

    with pytest.raises(TooManyPixels) as raised:
        process(raw)

    assert len(raw) < 200_000
    assert raised.value.status_code == 422


def test_pixel_limit_is_checked_before_any_pixel_is_decoded() -> None:
    # No pixel data at all: decoding would fail as BrokenImage, so TooManyPixels proves the
    # header alone was judged.
    raw = png_declaring(8_000, 8_000, with_pixels=False)  # 64 megapixels

    with pytest.raises(TooManyPixels):
        process(raw, max_pixels=MAX_PIXELS)


def test_image_at_the_pixel_limit_is_accepted() -> None:
    result = process(png_bytes(100, 50), max_pixels=5_000)

    assert (result.width, result.height) == (100, 50)


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_pillow_decompression_bomb_warning_raised_as_error_becomes_too_many_pixels() -> None:
    raw = png_declaring(10_000, 10_000, with_pixels=False)  # above Pillow's own warning size

    with pytest.raises(TooManyPixels):
        process(raw, max_pixels=150_000_000)


def test_upload_over_max_bytes_is_too_large_before_anything_else() -> None:
    raw = b"not even an image" * 100

    with pytest.raises(ImageTooLarge) as raised:
        process(raw, max_bytes=1024)

    assert raised.value.status_code == 413


def test_upload_of_exactly_max_bytes_is_accepted() -> None:
    raw = png_bytes()

    result = process(raw, max_bytes=len(raw))

    assert result.width == 80


@pytest.mark.parametrize(
    ("error", "status", "problem", "english_detail"),
    [
        (
            ImageTooLarge(max_bytes=10 * 1024 * 1024),
            413,
            "image-too-large",
            "An image file may be at most 10 MB.",
        ),
        (
            UnsupportedImageType(),
            415,
            "unsupported-image-type",
            "Upload a JPEG, PNG or WebP image.",
        ),
        (
            BrokenImage(),
            422,
            "broken-image",
            "The image file is damaged or incomplete. Try uploading it again.",
        ),
        (
            TooManyPixels(max_pixels=40_000_000),
            422,
            "image-too-many-pixels",
            "An image may have at most 40 megapixels.",
        ),
    ],
)
def test_errors_carry_status_problem_and_both_languages(
    error: AppError, status: int, problem: str, english_detail: str
) -> None:
    assert (error.status_code, error.problem) == (status, problem)
    assert error.render_title() != error.render_detail()  # Indonesian by default
    token = current_language.set(Language.ENGLISH)
    try:
        assert error.render_detail() == english_detail
    finally:
        current_language.reset(token)


async def test_async_processing_gives_the_same_result_off_the_event_loop() -> None:
    raw = jpeg_bytes(80, 40, orientation=6)

    result = await process_image_async(raw, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS)

    assert (result.width, result.height) == (40, 80)
    assert result == process(raw)


async def test_async_processing_raises_the_same_errors() -> None:
    with pytest.raises(UnsupportedImageType):
        await process_image_async(b"GIF89a", max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS)
