"""Catalog through the public API: categories, products, variants, images."""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient, Response
from PIL import Image

from tests.factories.accounts import Account, create_account, create_admin
from tests.factories.sellers import create_seller, verify_seller


async def create_category(
    client: AsyncClient,
    admin: Account,
    *,
    slug: str = "rempah",
    name: str = "Rempah",
    parent: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"slug": slug, "name": name}
    if parent is not None:
        body["parent"] = parent
    response = await client.post("/api/v1/admin/categories", json=body, headers=admin.headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


@dataclass(frozen=True)
class CatalogSetup:
    """An admin, a seller's owner, their seller and a category to list products under."""

    admin: Account
    owner: Account
    seller: dict[str, Any]
    category: str

    @property
    def seller_id(self) -> str:
        seller_id: str = self.seller["id"]
        return seller_id


async def set_up_catalog(
    app: FastAPI,
    client: AsyncClient,
    *,
    verified: bool = True,
    region_code: str = "19.05",
    category: str = "rempah",
    admin: Account | None = None,
    seller_name: str = "KIM Lada Muntok",
) -> CatalogSetup:
    """A seller (verified unless told otherwise) and a category; pass ``admin`` to reuse one
    (the category is then expected to exist already)."""
    if admin is None:
        admin = await create_admin(app, client)
        await create_category(client, admin, slug=category, name=category.title())
    owner = await create_account(client)
    seller = await create_seller(client, owner, name=seller_name, region_code=region_code)
    if verified:
        seller = await verify_seller(client, admin, seller["id"])
    return CatalogSetup(admin=admin, owner=owner, seller=seller, category=category)


def variant_body(
    name: str = "100 g",
    *,
    price: int = 25_000,
    stock: int = 10,
    weight_grams: int = 120,
    sku: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "price": price,
        "stock": stock,
        "weight_grams": weight_grams,
    }
    if sku is not None:
        body["sku"] = sku
    return body


def product_body(
    *,
    title: str = "Lada Putih Muntok",
    description: str = "Lada putih asli dari Muntok, dijemur tradisional.",
    category: str = "rempah",
    variants: list[dict[str, Any]] | None = None,
    attributes: dict[str, Any] | None = None,
    max_quantity_per_order: int | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": title,
        "description": description,
        "category": category,
        "variants": variants if variants is not None else [variant_body()],
    }
    if attributes is not None:
        body["attributes"] = attributes
    if max_quantity_per_order is not None:
        body["max_quantity_per_order"] = max_quantity_per_order
    return body


async def create_product(
    client: AsyncClient, member: Account, seller_id: str, **fields: Any
) -> dict[str, Any]:
    """A draft through the API; ``fields`` go to ``product_body``."""
    response = await client.post(
        f"/api/v1/sellers/{seller_id}/products", json=product_body(**fields), headers=member.headers
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def publish_product(client: AsyncClient, member: Account, product_id: str) -> dict[str, Any]:
    response = await client.post(f"/api/v1/products/{product_id}/publish", headers=member.headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def create_published_product(
    client: AsyncClient, member: Account, seller_id: str, **fields: Any
) -> dict[str, Any]:
    product = await create_product(client, member, seller_id, **fields)
    return await publish_product(client, member, product["id"])


async def list_products(client: AsyncClient, **params: Any) -> dict[str, Any]:
    """GET /products with ``params``; asserts 200."""
    response = await client.get("/api/v1/products", params=params)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def listed_slugs(client: AsyncClient, **params: Any) -> list[str]:
    return [item["slug"] for item in (await list_products(client, **params))["items"]]


def image_bytes(
    image_format: str = "JPEG",
    width: int = 80,
    height: int = 40,
    color: tuple[int, int, int] = (200, 40, 40),
) -> bytes:
    """A plain picture encoded as ``image_format`` (JPEG, PNG or WEBP)."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format=image_format)
    return buffer.getvalue()


def png_declaring_pixels(width: int, height: int) -> bytes:
    """A 1-bit PNG header claiming ``width`` x ``height`` pixels with no pixel data: a
    decompression bomb's calling card, a few dozen bytes long."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


IMAGE_CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


async def upload_image(
    client: AsyncClient,
    member: Account,
    product_id: str,
    data: bytes | None = None,
    *,
    filename: str = "foto.jpg",
    content_type: str = "image/jpeg",
) -> Response:
    """POST /products/{id}/images with ``data`` (a small JPEG by default); not asserted."""
    return await client.post(
        f"/api/v1/products/{product_id}/images",
        files={"file": (filename, data if data is not None else image_bytes(), content_type)},
        headers=member.headers,
    )
