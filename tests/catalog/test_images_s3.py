"""Product photos through the API with the S3 backend, against moto's S3 server on loopback."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import boto3
import httpx
import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from moto.server import ThreadedMotoServer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.catalog.models import ProductImage
from marketplace.config import Settings
from marketplace.media.storage import IMMUTABLE_CACHE_CONTROL
from tests.conftest import make_settings
from tests.factories import (
    count_rows,
    create_published_product,
    http_client,
    image_bytes,
    running_app,
    set_up_catalog,
    upload_image,
)

S3_REGION = "us-east-1"
S3_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": S3_REGION,
    "NO_PROXY": "127.0.0.1,localhost",
}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 on 127.0.0.1 at a free port, answering real HTTP requests."""
    with pytest.MonkeyPatch.context() as environment:
        for name, value in S3_ENVIRONMENT.items():
            environment.setenv(name, value)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        try:
            yield f"http://{host}:{port}"
        finally:
            server.stop()


def s3_client(endpoint: str) -> Any:
    return boto3.client("s3", endpoint_url=endpoint, region_name=S3_REGION)


@pytest.fixture
def bucket(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """An empty bucket that anyone may read from, as public photo URLs need."""
    for name, value in S3_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    name = f"foto-{uuid.uuid4().hex[:12]}"
    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket=name)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{name}/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))
    return name


@pytest.fixture
async def s3_app(
    app: FastAPI, settings: Settings, s3_endpoint: str, bucket: str
) -> AsyncIterator[FastAPI]:
    """The app storing media in ``bucket`` (``app`` is requested so its tables are emptied)."""
    s3_settings = make_settings(
        settings.database_url, media_backend="s3", s3_bucket=bucket, s3_endpoint_url=s3_endpoint
    )
    async with running_app(s3_settings) as built:
        yield built


@pytest.fixture
async def s3_http(s3_app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with http_client(s3_app) as http:
        yield http


def bucket_keys(endpoint: str, bucket: str) -> list[str]:
    listing = s3_client(endpoint).list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


async def fetch(url: str) -> httpx.Response:
    async with httpx.AsyncClient(trust_env=False) as http:
        return await http.get(url)


async def test_photo_goes_to_the_bucket_is_served_from_its_url_and_deleted_with_it(
    s3_app: FastAPI, s3_http: AsyncClient, s3_endpoint: str, bucket: str
) -> None:
    # Given a published product of an app storing photos in S3
    shop = await set_up_catalog(s3_app, s3_http)
    product = await create_published_product(s3_http, shop.owner, shop.seller_id)

    # When the owner uploads a 300 x 200 PNG
    response = await upload_image(
        s3_http,
        shop.owner,
        product["id"],
        image_bytes("PNG", 300, 200),
        filename="lada.png",
        content_type="image/png",
    )

    # Then the photo and its thumbnail are objects in the bucket, served from the public URLs
    assert response.status_code == 201, response.text
    photo = response.json()
    prefix = f"{s3_endpoint}/{bucket}/products/{product['id']}/"
    assert photo["url"].startswith(prefix)
    assert photo["thumbnail_url"].startswith(prefix)
    photo_key = photo["url"].removeprefix(f"{s3_endpoint}/{bucket}/")
    thumbnail_key = photo["thumbnail_url"].removeprefix(f"{s3_endpoint}/{bucket}/")
    assert bucket_keys(s3_endpoint, bucket) == sorted([photo_key, thumbnail_key])
    served = await fetch(photo["url"])
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/webp"
    assert served.headers["cache-control"] == IMMUTABLE_CACHE_CONTROL
    assert served.content[:4] == b"RIFF"
    assert served.content[8:12] == b"WEBP"
    stored = s3_client(s3_endpoint).get_object(Bucket=bucket, Key=photo_key)["Body"].read()
    assert served.content == stored
    assert (await fetch(photo["thumbnail_url"])).status_code == 200
    listed = (await s3_http.get("/api/v1/products")).json()["items"][0]["image"]
    assert listed == {"url": photo["url"], "thumbnail_url": photo["thumbnail_url"]}

    # When the owner deletes the photo
    deleted = await s3_http.delete(
        f"/api/v1/products/{product['id']}/images/{photo['id']}", headers=shop.owner.headers
    )

    # Then both objects are gone from the bucket and the URL no longer serves
    assert deleted.status_code == 204
    assert bucket_keys(s3_endpoint, bucket) == []
    assert (await fetch(photo["url"])).status_code in {403, 404}


async def test_refused_upload_leaves_no_object_in_the_bucket(
    s3_app: FastAPI, s3_http: AsyncClient, s3_endpoint: str, bucket: str
) -> None:
    # Given a product of an app storing photos in S3
    shop = await set_up_catalog(s3_app, s3_http)
    product = await create_published_product(s3_http, shop.owner, shop.seller_id)
    sessionmaker: async_sessionmaker[AsyncSession] = s3_app.state.sessionmaker

    # When a text file pretending to be a JPEG is uploaded
    response = await upload_image(
        s3_http, shop.owner, product["id"], b"bukan gambar\n" * 20, filename="foto.jpg"
    )

    # Then it is refused, and neither a row nor an object exists
    assert response.status_code == 415, response.text
    assert bucket_keys(s3_endpoint, bucket) == []
    assert await count_rows(sessionmaker, ProductImage) == 0


async def test_eleventh_photo_refused_leaves_exactly_the_ten_in_the_bucket(
    s3_app: FastAPI, s3_http: AsyncClient, s3_endpoint: str, bucket: str
) -> None:
    # Given a product with ten photos in S3
    shop = await set_up_catalog(s3_app, s3_http)
    product = await create_published_product(s3_http, shop.owner, shop.seller_id)
    for _ in range(10):
        assert (await upload_image(s3_http, shop.owner, product["id"])).status_code == 201

    # When an eleventh is uploaded
    response = await upload_image(s3_http, shop.owner, product["id"])

    # Then it is refused and the bucket holds the ten photos and their thumbnails
    assert response.status_code == 409
    assert len(bucket_keys(s3_endpoint, bucket)) == 20


async def test_s3_app_does_not_serve_a_local_media_route(
    s3_app: FastAPI, s3_http: AsyncClient
) -> None:
    # Given an app storing photos in S3
    # When a local media path is requested
    response = await s3_http.get("/media/products/x/y.webp")

    # Then there is no such route
    assert response.status_code == 404
