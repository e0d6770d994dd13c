"""Simultaneous requests on the catalog: every rule still holds when requests race."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.catalog.models import ProductImage
from tests.factories import (
    count_rows,
    create_product,
    image_bytes,
    product_body,
    set_up_catalog,
    upload_image,
    variant_body,
)


async def test_five_simultaneous_products_with_one_title_get_five_slugs(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a verified seller
    shop = await set_up_catalog(app, client)

    # When five products titled "Madu Pelawan" are created at the same moment
    responses = await asyncio.gather(
        *(
            client.post(
                f"/api/v1/sellers/{shop.seller_id}/products",
                json=product_body(title="Madu Pelawan"),
                headers=shop.owner.headers,
            )
            for _ in range(5)
        )
    )

    # Then all are created, each with its own slug
    assert [r.status_code for r in responses] == [201] * 5
    assert sorted(r.json()["slug"] for r in responses) == [
        "madu-pelawan",
        "madu-pelawan-2",
        "madu-pelawan-3",
        "madu-pelawan-4",
        "madu-pelawan-5",
    ]


async def test_two_simultaneous_products_with_one_sku_create_one(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a verified seller
    shop = await set_up_catalog(app, client)

    # When two products using SKU "MADU-250" are created at the same moment
    responses = await asyncio.gather(
        *(
            client.post(
                f"/api/v1/sellers/{shop.seller_id}/products",
                json=product_body(title=title, variants=[variant_body(sku="MADU-250")]),
                headers=shop.owner.headers,
            )
            for title in ("Madu Satu", "Madu Dua")
        )
    )

    # Then one is created and the other is told the SKU is taken
    assert sorted(r.status_code for r in responses) == [201, 409]
    refused = next(r for r in responses if r.status_code == 409)
    assert refused.json()["type"] == "/problems/sku-taken"


async def test_simultaneous_uploads_never_pass_ten_photos(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # Given a product with eight photos
    shop = await set_up_catalog(app, client)
    product = await create_product(client, shop.owner, shop.seller_id)
    for _ in range(8):
        assert (await upload_image(client, shop.owner, product["id"])).status_code == 201

    # When four more are uploaded at the same moment
    responses = await asyncio.gather(
        *(
            upload_image(client, shop.owner, product["id"], image_bytes("JPEG", 400, 300))
            for _ in range(4)
        )
    )

    # Then two are accepted, two refused, and the product has ten photos at ten positions
    assert sorted(r.status_code for r in responses) == [201, 201, 409, 409]
    assert await count_rows(sessionmaker, ProductImage) == 10
    detail = await client.get(f"/api/v1/products/{product['id']}", headers=shop.owner.headers)
    assert [image["position"] for image in detail.json()["images"]] == list(range(10))


async def test_simultaneous_price_changes_leave_the_product_at_its_true_lowest_price(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a product with variants A and B
    shop = await set_up_catalog(app, client)
    product = await create_product(
        client,
        shop.owner,
        shop.seller_id,
        variants=[variant_body("A", price=25_000), variant_body("B", price=55_000)],
    )
    url = f"/api/v1/products/{product['id']}"
    variant_a, variant_b = (f"{url}/variants/{v['id']}" for v in product["variants"])
    prices_seen = []
    for round_number in range(8):
        low, high = 20_000 + round_number, 60_000 + round_number
        # When A rises above B while B drops below A's old price, at the same moment
        # (alternating which request starts first)
        changes = [(variant_a, high), (variant_b, low)]
        if round_number % 2:
            changes.reverse()
        responses = await asyncio.gather(
            *(
                client.patch(target, json={"price": price}, headers=shop.owner.headers)
                for target, price in changes
            )
        )
        assert [r.status_code for r in responses] == [200, 200]
        detail = (await client.get(url, headers=shop.owner.headers)).json()
        prices_seen.append((detail["price"], min(v["price"] for v in detail["variants"])))
        # (reset for the next round: A cheap, B dear)
        await client.patch(variant_a, json={"price": 25_000}, headers=shop.owner.headers)
        await client.patch(variant_b, json={"price": 55_000}, headers=shop.owner.headers)

    # Then after every round the product price is its lowest variant price
    assert all(shown == lowest for shown, lowest in prices_seen), prices_seen


async def test_bulk_and_single_price_changes_at_once_keep_the_lowest_price_right(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a product with variants A and B
    shop = await set_up_catalog(app, client)
    product = await create_product(
        client,
        shop.owner,
        shop.seller_id,
        variants=[variant_body("A", price=25_000), variant_body("B", price=55_000)],
    )
    url = f"/api/v1/products/{product['id']}"
    variant_a_id, variant_b_id = (v["id"] for v in product["variants"])
    prices_seen = []
    for round_number in range(6):
        # When a bulk update raises A while a single PATCH lowers B, at the same moment
        bulk = client.post(
            f"/api/v1/sellers/{shop.seller_id}/variants/bulk",
            json={"changes": [{"variant_id": variant_a_id, "price": 70_000 + round_number}]},
            headers=shop.owner.headers,
        )
        single = client.patch(
            f"{url}/variants/{variant_b_id}",
            json={"price": 30_000 + round_number},
            headers=shop.owner.headers,
        )
        responses = await asyncio.gather(bulk, single)
        assert [r.status_code for r in responses] == [200, 200]
        detail = (await client.get(url, headers=shop.owner.headers)).json()
        prices_seen.append((detail["price"], min(v["price"] for v in detail["variants"])))
        await client.patch(
            f"{url}/variants/{variant_a_id}", json={"price": 25_000}, headers=shop.owner.headers
        )
        await client.patch(
            f"{url}/variants/{variant_b_id}", json={"price": 55_000}, headers=shop.owner.headers
        )

    # Then the product price is always its lowest variant price
    assert all(shown == lowest for shown, lowest in prices_seen), prices_seen
