"""POST /sellers/{id}/variants/bulk: many stock and price changes, all or none."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import (
    CatalogSetup,
    add_member,
    create_account,
    create_product,
    create_verified_seller,
    set_up_catalog,
    variant_body,
)


async def variant_values(
    client: AsyncClient, shop: CatalogSetup, product_id: str
) -> list[tuple[int, int]]:
    detail = await client.get(f"/api/v1/products/{product_id}", headers=shop.owner.headers)
    return [(variant["price"], variant["stock"]) for variant in detail.json()["variants"]]


async def two_products(client: AsyncClient, shop: CatalogSetup) -> list[dict[str, Any]]:
    pepper = await create_product(
        client,
        shop.owner,
        shop.seller_id,
        title="Lada Putih",
        variants=[
            variant_body("100 g", price=25_000, stock=5),
            variant_body("250 g", price=55_000),
        ],
    )
    honey = await create_product(
        client,
        shop.owner,
        shop.seller_id,
        title="Madu Pelawan",
        variants=[variant_body("250 ml", price=90_000, stock=3)],
    )
    return [pepper, honey]


async def bulk(
    client: AsyncClient, shop: CatalogSetup, changes: list[dict[str, Any]], headers: Any = None
) -> Any:
    return await client.post(
        f"/api/v1/sellers/{shop.seller_id}/variants/bulk",
        json={"changes": changes},
        headers=headers if headers is not None else shop.owner.headers,
    )


async def test_bulk_update_applies_every_change_and_recomputes_prices(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given two products with three variants
    shop = await set_up_catalog(app, client)
    pepper, honey = await two_products(client, shop)
    small, large = (v["id"] for v in pepper["variants"])
    honey_id = honey["variants"][0]["id"]

    # When the owner changes stock and prices of all three in one request
    response = await bulk(
        client,
        shop,
        [
            {"variant_id": large, "price": 20_000},
            {"variant_id": small, "stock": 0},
            {"variant_id": honey_id, "price": 95_000, "stock": 7},
        ],
    )

    # Then all three apply, in request order, and each product's price follows
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["updated"] == 3
    assert [(v["id"], v["price"], v["stock"]) for v in body["variants"]] == [
        (large, 20_000, 10),
        (small, 25_000, 0),
        (honey_id, 95_000, 7),
    ]
    assert await variant_values(client, shop, pepper["id"]) == [(25_000, 0), (20_000, 10)]
    assert await variant_values(client, shop, honey["id"]) == [(95_000, 7)]
    pepper_detail = await client.get(f"/api/v1/products/{pepper['id']}", headers=shop.owner.headers)
    assert pepper_detail.json()["price"] == 20_000


async def test_bulk_update_with_one_unknown_variant_applies_none(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given two products
    shop = await set_up_catalog(app, client)
    pepper, honey = await two_products(client, shop)

    # When one of three changes names a variant that does not exist
    response = await bulk(
        client,
        shop,
        [
            {"variant_id": pepper["variants"][0]["id"], "stock": 99},
            {"variant_id": "01950000-0000-7000-8000-000000000000", "stock": 1},
            {"variant_id": honey["variants"][0]["id"], "price": 1},
        ],
    )

    # Then it is a 404 and no value changed
    assert response.status_code == 404, response.text
    assert response.json()["type"] == "/problems/variant-not-found"
    assert await variant_values(client, shop, pepper["id"]) == [(25_000, 5), (55_000, 10)]
    assert await variant_values(client, shop, honey["id"]) == [(90_000, 3)]


async def test_bulk_update_with_a_variant_of_another_seller_applies_none(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a product here and one at another seller
    shop = await set_up_catalog(app, client)
    pepper, _ = await two_products(client, shop)
    other_owner = await create_account(client)
    other_seller = await create_verified_seller(client, other_owner, shop.admin, name="Toko Lain")
    foreign = await create_product(
        client, other_owner, other_seller["id"], variants=[variant_body(price=40_000, stock=4)]
    )

    # When the owner includes the other seller's variant
    response = await bulk(
        client,
        shop,
        [
            {"variant_id": pepper["variants"][0]["id"], "price": 1_000},
            {"variant_id": foreign["variants"][0]["id"], "price": 1_000, "stock": 0},
        ],
    )

    # Then it is a 404 (not theirs to see), and neither variant changed
    assert response.status_code == 404, response.text
    assert await variant_values(client, shop, pepper["id"]) == [(25_000, 5), (55_000, 10)]
    foreign_detail = await client.get(
        f"/api/v1/products/{foreign['id']}", headers=other_owner.headers
    )
    assert [(v["price"], v["stock"]) for v in foreign_detail.json()["variants"]] == [(40_000, 4)]


async def test_bulk_update_with_duplicate_ids_is_422_and_applies_none(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a product
    shop = await set_up_catalog(app, client)
    pepper, _ = await two_products(client, shop)
    variant_id = pepper["variants"][0]["id"]

    # When the same variant appears twice
    response = await bulk(
        client,
        shop,
        [{"variant_id": variant_id, "stock": 1}, {"variant_id": variant_id, "stock": 2}],
    )

    # Then it is a 422 naming the changes, and the stock is as it was
    assert response.status_code == 422, response.text
    assert [error["loc"] for error in response.json()["errors"]] == [["body", "changes"]]
    assert await variant_values(client, shop, pepper["id"]) == [(25_000, 5), (55_000, 10)]


async def test_bulk_update_with_a_negative_stock_is_422_and_applies_none(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a product
    shop = await set_up_catalog(app, client)
    pepper, _ = await two_products(client, shop)
    small, large = (v["id"] for v in pepper["variants"])

    # When one change is valid and another has a negative stock
    response = await bulk(
        client, shop, [{"variant_id": small, "stock": 1}, {"variant_id": large, "stock": -3}]
    )

    # Then nothing applies
    assert response.status_code == 422, response.text
    assert await variant_values(client, shop, pepper["id"]) == [(25_000, 5), (55_000, 10)]


async def test_bulk_update_with_no_changes_is_422(app: FastAPI, client: AsyncClient) -> None:
    # Given a verified seller
    shop = await set_up_catalog(app, client)

    # When the change list is empty
    response = await bulk(client, shop, [])

    # Then it is refused
    assert response.status_code == 422


async def test_bulk_update_by_staff_works_and_by_stranger_is_403(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a product, a staff member and a stranger
    shop = await set_up_catalog(app, client)
    pepper, _ = await two_products(client, shop)
    staff = await create_account(client)
    await add_member(client, shop.owner, shop.seller_id, staff.email)
    stranger = await create_account(client)
    change = [{"variant_id": pepper["variants"][0]["id"], "stock": 42}]

    # When the stranger, then the staff member, send the same change
    by_stranger = await bulk(client, shop, change, headers=stranger.headers)
    by_staff = await bulk(client, shop, change, headers=staff.headers)

    # Then only the staff member's applies
    assert by_stranger.status_code == 403
    assert by_staff.status_code == 200, by_staff.text
    assert await variant_values(client, shop, pepper["id"]) == [(25_000, 42), (55_000, 10)]
