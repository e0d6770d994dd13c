"""Product photos through the API with the local media backend: upload, serve, order, delete,
and refused uploads that leave nothing behind."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.catalog.models import ProductImage
from marketplace.config import Settings
from marketplace.media.storage import IMMUTABLE_CACHE_CONTROL
from tests.conftest import make_settings
from tests.factories import (
    CatalogSetup,
    count_rows,
    create_account,
    create_product,
    create_published_product,
    http_client,
    image_bytes,
    png_declaring_pixels,
    running_app,
    set_up_catalog,
    upload_image,
)

TEN_MEGABYTES = 10 * 1024 * 1024


@pytest.fixture
def media_root(tmp_path: Path) -> Path:
    return tmp_path / "media"


@pytest.fixture
async def media_app(app: FastAPI, settings: Settings, media_root: Path) -> AsyncIterator[FastAPI]:
    """The app with a media folder of this test alone (``app`` is requested so its tables are
    emptied afterwards)."""
    async with running_app(make_settings(settings.database_url, media_root=media_root)) as built:
        yield built


@pytest.fixture
async def media_client(media_app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with http_client(media_app) as http:
        yield http


@pytest.fixture
def images_sessionmaker(media_app: FastAPI) -> async_sessionmaker[AsyncSession]:
    maker: async_sessionmaker[AsyncSession] = media_app.state.sessionmaker
    return maker


def stored_files(root: Path) -> list[str]:
    if not root.exists():
        return []
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def url_path(url: str) -> str:
    assert url.startswith("http://testserver/media/"), url
    return url.removeprefix("http://testserver")


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


async def shop_with_product(
    app: FastAPI, client: AsyncClient, *, published: bool = True
) -> tuple[CatalogSetup, dict[str, Any]]:
    shop = await set_up_catalog(app, client)
    make = create_published_product if published else create_product
    product = await make(client, shop.owner, shop.seller_id)
    return shop, product


@pytest.mark.parametrize(
    ("image_format", "filename", "content_type"),
    [
        ("JPEG", "lada.jpg", "image/jpeg"),
        ("PNG", "lada.png", "image/png"),
        ("WEBP", "lada.webp", "image/webp"),
    ],
)
async def test_upload_answers_201_with_urls_and_size(
    media_app: FastAPI,
    media_client: AsyncClient,
    media_root: Path,
    image_format: str,
    filename: str,
    content_type: str,
) -> None:
    # Given a product
    shop, product = await shop_with_product(media_app, media_client)

    # When the owner uploads a 120 x 80 photo
    response = await upload_image(
        media_client,
        shop.owner,
        product["id"],
        image_bytes(image_format, 120, 80),
        filename=filename,
        content_type=content_type,
    )

    # Then it is stored as WebP with a thumbnail, under the product's folder
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) >= {"id", "url", "thumbnail_url", "width", "height"}
    assert (body["width"], body["height"]) == (120, 80)
    prefix = f"http://testserver/media/products/{product['id']}/"
    assert body["url"].startswith(prefix)
    assert body["url"].endswith(".webp")
    assert body["thumbnail_url"].startswith(prefix)
    assert body["thumbnail_url"].endswith("_thumb.webp")
    assert len(stored_files(media_root)) == 2


async def test_uploaded_photo_is_served_as_immutable_webp(
    media_app: FastAPI, media_client: AsyncClient
) -> None:
    # Given an uploaded 1200 x 800 JPEG
    shop, product = await shop_with_product(media_app, media_client)
    uploaded = await upload_image(
        media_client, shop.owner, product["id"], image_bytes("JPEG", 1200, 800)
    )
    body = uploaded.json()

    # When a browser fetches the photo and its thumbnail
    photo = await media_client.get(url_path(body["url"]))
    thumbnail = await media_client.get(url_path(body["thumbnail_url"]))

    # Then both are WebP, cacheable for a year, the photo at full size, the thumbnail at most 400 px
    for response in (photo, thumbnail):
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/webp"
        assert response.headers["cache-control"] == IMMUTABLE_CACHE_CONTROL
    assert decode(photo.content).format == "WEBP"
    assert decode(photo.content).size == (1200, 800)
    assert decode(thumbnail.content).size == (400, 267)


async def test_huge_photo_is_scaled_down_to_2000_px(
    media_app: FastAPI, media_client: AsyncClient
) -> None:
    # Given a product
    shop, product = await shop_with_product(media_app, media_client)

    # When a 3000 x 1500 photo is uploaded
    response = await upload_image(
        media_client, shop.owner, product["id"], image_bytes("PNG", 3000, 1500), filename="a.png"
    )

    # Then it is stored at 2000 x 1000, its thumbnail at 400 x 200
    assert (response.json()["width"], response.json()["height"]) == (2000, 1000)
    thumbnail = await media_client.get(url_path(response.json()["thumbnail_url"]))
    assert decode(thumbnail.content).size == (400, 200)


async def test_detail_lists_photos_in_upload_order_and_summary_shows_the_first(
    media_app: FastAPI, media_client: AsyncClient
) -> None:
    # Given a published product and three photos uploaded one after another
    shop, product = await shop_with_product(media_app, media_client)
    uploaded = []
    for width in (100, 110, 120):
        response = await upload_image(
            media_client, shop.owner, product["id"], image_bytes("JPEG", width, 60)
        )
        uploaded.append(response.json())

    # When the public opens the product and the list
    detail = (await media_client.get(f"/api/v1/products/{product['slug']}")).json()
    summary = (await media_client.get("/api/v1/products")).json()["items"][0]

    # Then the detail lists them in order and both show the first as the product's image
    assert [image["id"] for image in detail["images"]] == [image["id"] for image in uploaded]
    assert [image["width"] for image in detail["images"]] == [100, 110, 120]
    assert [image["position"] for image in detail["images"]] == [0, 1, 2]
    first = {"url": uploaded[0]["url"], "thumbnail_url": uploaded[0]["thumbnail_url"]}
    assert detail["image"] == first
    assert summary["image"] == first


async def test_deleting_a_photo_removes_its_row_and_files(
    media_app: FastAPI,
    media_client: AsyncClient,
    media_root: Path,
    images_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # Given two photos, the first being the product's image in the list
    shop, product = await shop_with_product(media_app, media_client)
    first = (await upload_image(media_client, shop.owner, product["id"])).json()
    second = (await upload_image(media_client, shop.owner, product["id"])).json()
    assert (await media_client.get("/api/v1/products")).json()["items"][0]["image"]["url"] == (
        first["url"]
    )

    # When the owner deletes the first
    response = await media_client.delete(
        f"/api/v1/products/{product['id']}/images/{first['id']}", headers=shop.owner.headers
    )

    # Then it is gone from the database, the folder and the web; the second takes its place
    assert response.status_code == 204
    assert response.content == b""
    assert await count_rows(images_sessionmaker, ProductImage) == 1
    assert len(stored_files(media_root)) == 2
    assert (await media_client.get(url_path(first["url"]))).status_code == 404
    assert (await media_client.get(url_path(first["thumbnail_url"]))).status_code == 404
    assert (await media_client.get(url_path(second["url"]))).status_code == 200
    detail = (await media_client.get(f"/api/v1/products/{product['id']}")).json()
    assert [image["id"] for image in detail["images"]] == [second["id"]]
    listed = (await media_client.get("/api/v1/products")).json()["items"][0]
    assert listed["image"]["url"] == second["url"]


async def test_deleting_an_unknown_photo_is_404(
    media_app: FastAPI, media_client: AsyncClient
) -> None:
    # Given a product with one photo
    shop, product = await shop_with_product(media_app, media_client)
    await upload_image(media_client, shop.owner, product["id"])

    # When unknown or malformed photo ids are deleted
    responses = [
        await media_client.delete(
            f"/api/v1/products/{product['id']}/images/{image_id}", headers=shop.owner.headers
        )
        for image_id in ("01950000-0000-7000-8000-000000000000", "bukan-uuid")
    ]

    # Then each is not found
    assert [r.status_code for r in responses] == [404, 404]
    assert responses[0].json()["type"] == "/problems/image-not-found"


async def test_deleting_another_products_photo_through_this_product_is_404(
    media_app: FastAPI,
    media_client: AsyncClient,
    media_root: Path,
    images_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # Given two products of one seller, the second with a photo
    shop, product = await shop_with_product(media_app, media_client)
    other = await create_product(media_client, shop.owner, shop.seller_id, title="Madu Hutan")
    photo = (await upload_image(media_client, shop.owner, other["id"])).json()

    # When that photo is deleted through the first product
    response = await media_client.delete(
        f"/api/v1/products/{product['id']}/images/{photo['id']}", headers=shop.owner.headers
    )

    # Then it is not found, and the photo and its files stay
    assert response.status_code == 404
    assert await count_rows(images_sessionmaker, ProductImage) == 1
    assert len(stored_files(media_root)) == 2


async def test_text_file_named_jpg_is_415_and_leaves_no_row_or_file(
    media_app: FastAPI,
    media_client: AsyncClient,
    media_root: Path,
    images_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # Given a product
    shop, product = await shop_with_product(media_app, media_client)

    # When a text file is uploaded as "foto.jpg" with an image/jpeg header
    response = await upload_image(
        media_client,
        shop.owner,
        product["id"],
        b"Ini bukan gambar, hanya teks biasa.\n" * 10,
        filename="foto.jpg",
        content_type="image/jpeg",
    )

    # Then it is refused as the wrong media type, leaving nothing behind
    assert response.status_code == 415, response.text
    assert response.json()["type"] == "/problems/unsupported-image-type"
    assert await count_rows(images_sessionmaker, ProductImage) == 0
    assert stored_files(media_root) == []


async def test_upload_over_10_megabytes_is_413_and_leaves_nothing(
    media_app: FastAPI,
    media_client: AsyncClient,
    media_root: Path,
    images_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # Given a product
    shop, product = await shop_with_product(media_app, media_client)

    # When a "JPEG" one byte over 10 MB is uploaded
    too_big = b"\xff\xd8\xff" + bytes(TEN_MEGABYTES - 2)
    response = await upload_image(media_client, shop.owner, product["id"], too_big)

    # Then it is too large, and nothing was stored
    assert response.status_code == 413, response.text
    assert response.json()["type"] == "/problems/image-too-large"
    assert await count_rows(images_sessionmaker, ProductImage) == 0
    assert stored_files(media_root) == []


async def test_decompression_bomb_is_422_and_leaves_nothing(
    media_app: FastAPI,
    media_client: AsyncClient,
    media_root: Path,
    images_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # Given a product
    shop, product = await shop_with_product(media_app, media_client)

    # When a tiny PNG declaring 30000 x 30000 pixels is uploaded
    bomb = png_declaring_pixels(30_000, 30_000)
    response = await upload_image(
        media_client, shop.owner, product["id"], bomb, filename="bom.png", content_type="image/png"
    )

    # Then it is refused before decoding, and nothing was stored
    assert len(bomb) < 200
    assert response.status_code == 422, response.text
    assert response.json()["type"] == "/problems/image-too-many-pixels"
    assert await count_rows(images_sessionmaker, ProductImage) == 0
    assert stored_files(media_root) == []


async def test_truncated_jpeg_is_422_broken_image(
    media_app: FastAPI, media_client: AsyncClient, media_root: Path
) -> None:
    # Given a product
    shop, product = await shop_with_product(media_app, media_client)

    # When only the first 40 bytes of a JPEG arrive
    response = await upload_image(
        media_client, shop.owner, product["id"], image_bytes("JPEG", 200, 200)[:40]
    )

    # Then it is a broken image, and nothing was stored
    assert response.status_code == 422, response.text
    assert response.json()["type"] == "/problems/broken-image"
    assert stored_files(media_root) == []


async def test_eleventh_photo_is_409_too_many_images(
    media_app: FastAPI,
    media_client: AsyncClient,
    media_root: Path,
    images_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # Given a product with ten photos
    shop, product = await shop_with_product(media_app, media_client)
    for _ in range(10):
        assert (await upload_image(media_client, shop.owner, product["id"])).status_code == 201

    # When an eleventh is uploaded
    response = await upload_image(media_client, shop.owner, product["id"])

    # Then it is refused, and the ten stay (each with its thumbnail)
    assert response.status_code == 409, response.text
    assert response.json()["type"] == "/problems/too-many-images"
    assert await count_rows(images_sessionmaker, ProductImage) == 10
    assert len(stored_files(media_root)) == 20


async def test_photo_can_be_added_again_after_deleting_one_of_ten(
    media_app: FastAPI, media_client: AsyncClient
) -> None:
    # Given a product with ten photos
    shop, product = await shop_with_product(media_app, media_client)
    photos = [
        (await upload_image(media_client, shop.owner, product["id"])).json() for _ in range(10)
    ]

    # When one is deleted and another uploaded
    await media_client.delete(
        f"/api/v1/products/{product['id']}/images/{photos[3]['id']}", headers=shop.owner.headers
    )
    response = await upload_image(media_client, shop.owner, product["id"])

    # Then it is accepted and goes last
    assert response.status_code == 201, response.text
    assert response.json()["position"] == 10


async def test_stranger_upload_is_403_on_a_public_product_and_404_on_a_draft(
    media_app: FastAPI, media_client: AsyncClient, media_root: Path
) -> None:
    # Given a published product, a draft and a stranger
    shop, product = await shop_with_product(media_app, media_client)
    draft = await create_product(media_client, shop.owner, shop.seller_id, title="Draf")
    stranger = await create_account(media_client)

    # When the stranger, an admin and an anonymous caller upload photos
    on_public = await upload_image(media_client, stranger, product["id"])
    on_draft = await upload_image(media_client, stranger, draft["id"])
    by_admin = await upload_image(media_client, shop.admin, product["id"])
    anonymous = await media_client.post(
        f"/api/v1/products/{product['id']}/images",
        files={"file": ("a.jpg", image_bytes(), "image/jpeg")},
    )

    # Then all are refused and nothing is stored
    assert (on_public.status_code, on_draft.status_code) == (403, 404)
    assert by_admin.status_code == 403
    assert anonymous.status_code == 401
    assert stored_files(media_root) == []


async def test_stranger_cannot_delete_a_photo(
    media_app: FastAPI, media_client: AsyncClient, media_root: Path
) -> None:
    # Given a published product with a photo, and a stranger
    shop, product = await shop_with_product(media_app, media_client)
    photo = (await upload_image(media_client, shop.owner, product["id"])).json()
    stranger = await create_account(media_client)

    # When the stranger deletes it
    response = await media_client.delete(
        f"/api/v1/products/{product['id']}/images/{photo['id']}", headers=stranger.headers
    )

    # Then it is forbidden and the photo stays
    assert response.status_code == 403
    assert len(stored_files(media_root)) == 2
    assert (await media_client.get(url_path(photo["url"]))).status_code == 200


async def test_upload_without_a_file_field_is_422(
    media_app: FastAPI, media_client: AsyncClient
) -> None:
    # Given a product
    shop, product = await shop_with_product(media_app, media_client)

    # When the multipart body has no "file"
    response = await media_client.post(
        f"/api/v1/products/{product['id']}/images",
        files={"photo": ("a.jpg", image_bytes(), "image/jpeg")},
        headers=shop.owner.headers,
    )

    # Then it is a validation error naming the field
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["errors"]] == [["body", "file"]]
