"""Proofs of transfer: the buyer uploads a receipt photo (bearer or X-Order-Token); it is
re-encoded like product photos, size-limited, kept out of the public media folder, and only
admins see it, through links that expire (signed by the app locally, presigned on S3)."""

from __future__ import annotations

import io
import json
import os
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import httpx
import pytest
from botocore.exceptions import ClientError
from fastapi import FastAPI
from httpx import AsyncClient, Response
from moto.server import ThreadedMotoServer
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.config import Settings
from marketplace.media.storage import private_storage_from_settings
from marketplace.payments.models import PaymentProof
from marketplace.payments.proofs import local_link
from tests.conftest import make_settings
from tests.factories import (
    confirm_payment,
    count_rows,
    create_account,
    guest_headers,
    http_client,
    image_bytes,
    open_shop,
    order_body,
    order_line,
    placed_order,
    running_app,
)

S3_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "NO_PROXY": "127.0.0.1,localhost",
}


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (300, 500), (10, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "Kamera HP Budi"  # Make
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


async def upload(
    client: AsyncClient, order: dict[str, Any], data: bytes, headers: dict[str, str]
) -> Response:
    return await client.post(
        f"/api/v1/orders/{order['id']}/payments/{order['payment']['id']}/proof",
        files={"file": ("struk.jpg", data, "image/jpeg")},
        headers=headers,
    )


async def test_guest_uploads_a_receipt_that_only_admins_see_through_an_expiring_link(
    app: FastAPI, client: AsyncClient, settings: Settings
) -> None:
    # given a guest's transfer order
    shop = await open_shop(app, client)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 1)))

    # when the guest uploads a photo of the receipt carrying EXIF metadata
    uploaded = await upload(client, order, jpeg_with_exif(), guest_headers(order))

    # then it is stored re-encoded (WebP, no metadata), in the private folder only
    assert uploaded.status_code == 201, uploaded.text
    assert (uploaded.json()["width"], uploaded.json()["height"]) == (300, 500)
    stored = list(settings.private_media_root.rglob(f"{order['payment']['id']}/*.webp"))
    assert len(stored) == 1
    assert not list(settings.media_root.rglob("*payment-proofs*"))
    key = stored[0].relative_to(settings.private_media_root).as_posix()
    assert (await client.get(f"/media/{key}")).status_code == 404
    with Image.open(stored[0]) as picture:
        assert picture.format == "WEBP"
        assert not picture.getexif()
    # and the admin gets a link that works now
    [proof] = (
        await client.get(
            f"/api/v1/admin/payments/{order['payment']['id']}/proofs", headers=shop.admin.headers
        )
    ).json()
    link = urlsplit(proof["url"])
    served = await client.get(f"{link.path}?{link.query}")
    assert served.status_code == 200
    assert served.headers["cache-control"] == "private, no-store"
    assert served.content == stored[0].read_bytes()
    # but not once its expiry is changed, its signature forged, or without a signature
    query = parse_qs(link.query)
    later = int(query["expires"][0]) + 3600
    tampered = await client.get(
        link.path, params={"expires": later, "signature": query["signature"][0]}
    )
    forged = await client.get(link.path, params={"expires": later, "signature": "0" * 64})
    bare = await client.get(link.path)
    assert (tampered.status_code, forged.status_code, bare.status_code) == (404, 404, 422)


async def test_an_expired_link_no_longer_serves_the_proof(
    app: FastAPI, client: AsyncClient, settings: Settings
) -> None:
    shop = await open_shop(app, client)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    proof_id = (await upload(client, order, image_bytes(), guest_headers(order))).json()["id"]

    link = urlsplit(local_link(settings, uuid.UUID(proof_id), int(time.time()) - 1))

    assert (await client.get(f"{link.path}?{link.query}")).status_code == 404


@pytest.mark.parametrize(
    ("data", "status", "problem"),
    [
        (b"%PDF-1.7 bukan gambar" * 10, 415, "unsupported-image-type"),
        (b"\xff\xd8\xff" + b"rusak" * 50, 422, "broken-image"),
    ],
)
async def test_a_file_that_is_no_photo_is_refused_and_nothing_stored(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    data: bytes,
    status: int,
    problem: str,
) -> None:
    shop = await open_shop(app, client)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 1)))

    response = await upload(client, order, data, guest_headers(order))

    assert response.status_code == status, response.text
    assert response.json()["type"].endswith(problem)
    assert await count_rows(sessionmaker, PaymentProof) == 0


@pytest.fixture
async def small_proofs_app(migrated_database: str, app: FastAPI) -> AsyncIterator[FastAPI]:
    settings = make_settings(migrated_database, payment_proof_max_bytes=2048)
    async with running_app(settings) as application:
        yield application


async def test_a_photo_above_the_size_limit_is_refused_with_413(
    small_proofs_app: FastAPI, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with http_client(small_proofs_app) as client:
        shop = await open_shop(small_proofs_app, client)
        order = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
        noise = Image.frombytes("RGB", (120, 120), os.urandom(120 * 120 * 3))
        buffer = io.BytesIO()
        noise.save(buffer, format="PNG")
        big = buffer.getvalue()
        assert len(big) > 2048

        response = await upload(client, order, big, guest_headers(order))

    assert response.status_code == 413, response.text
    assert await count_rows(sessionmaker, PaymentProof) == 0


async def test_nobody_but_the_buyer_uploads_and_no_proof_for_a_confirmed_payment(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    other = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    stranger = await create_account(client)

    # another guest's token, a stranger, an admin, nobody: 404 (the order is not theirs)
    assert (await upload(client, order, image_bytes(), guest_headers(other))).status_code == 404
    assert (await upload(client, order, image_bytes(), stranger.headers)).status_code == 404
    assert (await upload(client, order, image_bytes(), shop.admin.headers)).status_code == 404
    assert (await upload(client, order, image_bytes(), {})).status_code == 404
    # another order's payment under this order: 404
    mixed = await client.post(
        f"/api/v1/orders/{order['id']}/payments/{other['payment']['id']}/proof",
        files={"file": ("struk.jpg", image_bytes(), "image/jpeg")},
        headers=guest_headers(order),
    )
    assert mixed.status_code == 404
    # once the transfer is confirmed, no more proofs: 409
    assert (await confirm_payment(client, shop.admin, order["payment"]["id"])).status_code == 200
    late = await upload(client, order, image_bytes(), guest_headers(order))
    assert late.status_code == 409
    assert late.json()["type"].endswith("proof-not-accepted")


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
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
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")


@pytest.fixture
async def s3_app(
    app: FastAPI, settings: Settings, s3_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[FastAPI]:
    """Photos in a public bucket, proofs in a private one."""
    for name, value in S3_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    public, private = f"foto-{uuid.uuid4().hex[:10]}", f"bukti-{uuid.uuid4().hex[:10]}"
    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket=public)
    client.create_bucket(Bucket=private)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{public}/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=public, Policy=json.dumps(policy))
    s3_settings = make_settings(
        settings.database_url,
        media_backend="s3",
        s3_bucket=public,
        s3_private_bucket=private,
        s3_endpoint_url=s3_endpoint,
        payment_proof_link_seconds=120,
    )
    async with running_app(s3_settings) as built:
        built.state.test_buckets = (public, private)
        yield built


async def test_on_s3_the_proof_is_in_the_private_bucket_behind_a_presigned_link(
    s3_app: FastAPI, s3_endpoint: str
) -> None:
    public, private = s3_app.state.test_buckets
    async with http_client(s3_app) as client:
        shop = await open_shop(s3_app, client)
        order = await placed_order(client, order_body(order_line(shop.variant_id, 1)))

        uploaded = await upload(client, order, jpeg_with_exif(), guest_headers(order))
        assert uploaded.status_code == 201, uploaded.text
        [proof] = (
            await client.get(
                f"/api/v1/admin/payments/{order['payment']['id']}/proofs",
                headers=shop.admin.headers,
            )
        ).json()

    listing = s3_client(s3_endpoint).list_objects_v2(Bucket=private)
    [key] = [item["Key"] for item in listing["Contents"]]
    assert key.startswith(f"private/payment-proofs/{order['payment']['id']}/")
    assert "Contents" not in s3_client(s3_endpoint).list_objects_v2(Bucket=public)
    stored = s3_client(s3_endpoint).get_object(Bucket=private, Key=key)
    assert stored["CacheControl"] == "private, no-store"
    query = parse_qs(urlsplit(proof["url"]).query)
    assert query["X-Amz-Expires"] == ["120"]
    assert "X-Amz-Signature" in query
    async with httpx.AsyncClient(trust_env=False) as http:
        served = await http.get(proof["url"])
    assert served.status_code == 200
    assert served.content == stored["Body"].read()
    assert served.content[8:12] == b"WEBP"


async def test_the_proofs_bucket_defaults_to_a_private_bucket_of_its_own(
    s3_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given S3 media in a bucket that `media init` makes public, and no private bucket named
    for name, value in S3_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    media = f"foto-{uuid.uuid4().hex[:10]}"
    settings = make_settings(
        "sqlite:///unused.db", media_backend="s3", s3_bucket=media, s3_endpoint_url=s3_endpoint
    )

    # when the proofs' storage is prepared (as `marketplace media init` does)
    said = await private_storage_from_settings(settings).prepare()

    # then it is "<media>-private", created without any public policy
    assert said.startswith(f"bucket {media}-private ready, private")
    with pytest.raises(ClientError, match="NoSuchBucketPolicy"):
        s3_client(s3_endpoint).get_bucket_policy(Bucket=f"{media}-private")
