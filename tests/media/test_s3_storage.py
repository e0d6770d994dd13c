from __future__ import annotations

import json
import uuid
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from marketplace.media.storage import IMMUTABLE_CACHE_CONTROL, S3Storage, StorageError
from tests.media.conftest import S3_REGION, s3_admin_client

KEY = "products/5c3e/9f8e7d.webp"
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 pretend"


def make_storage(endpoint_url: str, bucket: str, public_base_url: str | None = None) -> S3Storage:
    return S3Storage(bucket, endpoint_url, S3_REGION, public_base_url, presigned_url_seconds=900)


async def fetch(url: str) -> httpx.Response:
    async with httpx.AsyncClient(trust_env=False) as http:
        return await http.get(url)


async def test_put_object_is_fetched_back_from_its_public_url(
    s3_endpoint_url: str, s3_bucket: str
) -> None:
    storage = make_storage(s3_endpoint_url, s3_bucket)

    await storage.put(KEY, WEBP, "image/webp")
    response = await fetch(storage.public_url(KEY))

    assert storage.public_url(KEY) == f"{s3_endpoint_url}/{s3_bucket}/{KEY}"
    assert response.status_code == 200
    assert response.content == WEBP
    assert response.headers["content-type"] == "image/webp"
    assert response.headers["cache-control"] == IMMUTABLE_CACHE_CONTROL
    assert await storage.exists(KEY) is True


async def test_stored_object_has_content_type_and_cache_header(
    s3_endpoint_url: str, s3_bucket: str
) -> None:
    storage = make_storage(s3_endpoint_url, s3_bucket)

    await storage.put(KEY, WEBP, "image/webp")

    head = s3_admin_client(s3_endpoint_url).head_object(Bucket=s3_bucket, Key=KEY)
    assert head["ContentType"] == "image/webp"
    assert head["CacheControl"] == IMMUTABLE_CACHE_CONTROL
    assert head["ContentLength"] == len(WEBP)


async def test_delete_removes_the_object(s3_endpoint_url: str, s3_bucket: str) -> None:
    storage = make_storage(s3_endpoint_url, s3_bucket)
    await storage.put(KEY, WEBP, "image/webp")

    await storage.delete(KEY)

    assert await storage.exists(KEY) is False
    assert (await fetch(storage.public_url(KEY))).status_code == 404
    listing = s3_admin_client(s3_endpoint_url).list_objects_v2(Bucket=s3_bucket)
    assert listing["KeyCount"] == 0


async def test_deleting_a_missing_object_is_fine(s3_endpoint_url: str, s3_bucket: str) -> None:
    storage = make_storage(s3_endpoint_url, s3_bucket)

    await storage.delete("products/none/missing.webp")

    assert await storage.exists("products/none/missing.webp") is False


async def test_presigned_url_names_the_object_and_its_lifetime(
    s3_endpoint_url: str, s3_bucket: str
) -> None:
    storage = make_storage(s3_endpoint_url, s3_bucket)
    await storage.put(KEY, WEBP, "image/webp")

    default_url = await storage.presigned_url(KEY)
    short_url = await storage.presigned_url(KEY, expires_in=60)

    parts = urlsplit(default_url)
    query = parse_qs(parts.query)
    assert f"{parts.scheme}://{parts.netloc}" == s3_endpoint_url
    assert parts.path == f"/{s3_bucket}/{KEY}"
    assert query["X-Amz-Expires"] == ["900"]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-Credential"][0].startswith("testing/")
    assert f"/{S3_REGION}/s3/aws4_request" in query["X-Amz-Credential"][0]
    assert len(query["X-Amz-Signature"][0]) == 64
    assert parse_qs(urlsplit(short_url).query)["X-Amz-Expires"] == ["60"]
    # moto checks neither signature nor expiry, so this only shows the URL reaches the object.
    assert (await fetch(short_url)).content == WEBP


@pytest.mark.parametrize("seconds", [0, -5, 7 * 24 * 3600 + 1])
async def test_presigned_url_lifetime_outside_what_s3_allows_is_refused(
    s3_endpoint_url: str, s3_bucket: str, seconds: int
) -> None:
    storage = make_storage(s3_endpoint_url, s3_bucket)

    with pytest.raises(ValueError, match="expires_in"):
        await storage.presigned_url(KEY, expires_in=seconds)


def test_public_url_uses_the_public_base_when_set(s3_endpoint_url: str) -> None:
    storage = make_storage(s3_endpoint_url, "gambar", "https://cdn.pasar.example/")

    assert storage.public_url(KEY) == f"https://cdn.pasar.example/gambar/{KEY}"


async def test_put_into_a_missing_bucket_raises_storage_error(s3_endpoint_url: str) -> None:
    storage = make_storage(s3_endpoint_url, "bucket-that-does-not-exist")

    with pytest.raises(StorageError, match="NoSuchBucket"):
        await storage.put(KEY, WEBP, "image/webp")


async def test_unreachable_endpoint_raises_storage_error() -> None:
    storage = S3Storage("gambar", "http://127.0.0.1:9", S3_REGION)  # the discard port: closed

    with pytest.raises(StorageError):
        await storage.exists(KEY)


async def test_prepare_creates_a_missing_bucket_readable_by_anyone_and_can_repeat(
    s3_endpoint_url: str,
) -> None:
    # given a bucket name nobody created yet
    name = f"media-init-{uuid.uuid4().hex[:8]}"
    storage = make_storage(s3_endpoint_url, name)

    # when media init runs twice (a compose one-shot restarted)
    said = await storage.prepare()
    await storage.prepare()

    # then the bucket exists with a public GetObject policy, and a stored photo is public
    policy = json.loads(s3_admin_client(s3_endpoint_url).get_bucket_policy(Bucket=name)["Policy"])
    assert policy["Statement"][0]["Action"] == "s3:GetObject"
    assert policy["Statement"][0]["Resource"] == f"arn:aws:s3:::{name}/*"
    assert said == f"bucket {name} ready, objects readable by anyone"
    await storage.put(KEY, WEBP, "image/webp")
    assert (await fetch(storage.public_url(KEY))).status_code == 200
