"""Small typed helpers for the featured tests: products featured through the admin API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from httpx import AsyncClient, Response

from tests.factories import (
    Account,
    CatalogSetup,
    create_product,
    create_published_product,
    upload_image,
    variant_body,
)

ADMIN_FEATURED = "/api/v1/admin/featured"


def moment(**delta: float) -> str:
    """Now plus ``delta`` (``days=-1``, ``hours=2``) in RFC 3339 with an offset."""
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


async def feature(
    client: AsyncClient, admin: Account, product_id: str, **fields: Any
) -> dict[str, Any]:
    """POST /admin/featured; asserts 201."""
    response = await client.post(
        ADMIN_FEATURED, json={"product_id": product_id, **fields}, headers=admin.headers
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def patch_entry(
    client: AsyncClient, admin: Account, entry_id: str, **fields: Any
) -> Response:
    return await client.patch(f"{ADMIN_FEATURED}/{entry_id}", json=fields, headers=admin.headers)


async def admin_entries(client: AsyncClient, admin: Account) -> list[dict[str, Any]]:
    response = await client.get(ADMIN_FEATURED, params={"limit": 100}, headers=admin.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def featured_items(client: AsyncClient, **params: Any) -> list[dict[str, Any]]:
    """GET /api/v1/featured; asserts 200."""
    response = await client.get("/api/v1/featured", params=params)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def featured_titles(client: AsyncClient, **params: Any) -> list[str]:
    return [item["title"] for item in await featured_items(client, **params)]


async def listed_product(
    client: AsyncClient,
    setup: CatalogSetup,
    title: str,
    *,
    price: int = 25_000,
    stock: int = 10,
    published: bool = True,
    with_image: bool = False,
    category: str | None = None,
) -> dict[str, Any]:
    """A product of ``setup``'s seller (published unless told otherwise), optionally with a
    photo."""
    make = create_published_product if published else create_product
    product = await make(
        client,
        setup.owner,
        setup.seller_id,
        title=title,
        category=category or setup.category,
        variants=[variant_body(price=price, stock=stock)],
    )
    if with_image:
        response = await upload_image(client, setup.owner, product["id"])
        assert response.status_code == 201, response.text
    return product


async def featured_product(
    client: AsyncClient, setup: CatalogSetup, title: str, **entry: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A published product of ``setup``'s seller, featured with ``entry`` fields."""
    product = await listed_product(client, setup, title)
    return product, await feature(client, setup.admin, product["id"], **entry)
