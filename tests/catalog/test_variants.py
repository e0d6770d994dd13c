"""Editing one variant: price, stock and name, with the product's price following."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import (
    CatalogSetup,
    create_account,
    create_product,
    create_published_product,
    set_up_catalog,
    variant_body,
)


async def two_size_product(client: AsyncClient, shop: CatalogSetup) -> dict[str, Any]:
    return await create_published_product(
        client,
        shop.owner,
        shop.seller_id,
        variants=[
            variant_body("100 g", price=25_000, stock=5, sku="LPM-100"),
            variant_body("250 g", price=55_000, stock=2, sku="LPM-250"),
        ],
    )


async def test_patch_variant_updates_price_stock_and_name(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a product with a 100 g variant at Rp 25.000
    shop = await set_up_catalog(app, client)
    product = await two_size_product(client, shop)
    variant_id = product["variants"][0]["id"]

    # When the owner changes its price, stock and name
    response = await client.patch(
        f"/api/v1/products/{product['id']}/variants/{variant_id}",
        json={"price": 27_500, "stock": 12, "name": "100 gram"},
        headers=shop.owner.headers,
    )

    # Then the variant shows the new values and the detail page agrees
    assert response.status_code == 200, response.text
    assert response.json() == {
        "id": variant_id,
        "name": "100 gram",
        "sku": "LPM-100",
        "price": 27_500,
        "currency": "IDR",
        "stock": 12,
        "weight_grams": 120,
    }
    detail = (await client.get(f"/api/v1/products/{product['id']}")).json()
    assert detail["variants"][0]["price"] == 27_500
    assert detail["price"] == 27_500


async def test_lowering_the_dearer_variant_below_the_cheapest_makes_it_the_product_price(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given variants at Rp 25.000 and Rp 55.000
    shop = await set_up_catalog(app, client)
    product = await two_size_product(client, shop)
    dearer_id = product["variants"][1]["id"]

    # When the dearer one drops to Rp 20.000
    await client.patch(
        f"/api/v1/products/{product['id']}/variants/{dearer_id}",
        json={"price": 20_000},
        headers=shop.owner.headers,
    )

    # Then the product price is Rp 20.000, in the detail and in the list
    assert (await client.get(f"/api/v1/products/{product['id']}")).json()["price"] == 20_000
    listed = (await client.get("/api/v1/products")).json()["items"]
    assert [item["price"] for item in listed] == [20_000]


async def test_raising_the_cheapest_variant_moves_the_product_price_up(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given variants at Rp 25.000 and Rp 55.000
    shop = await set_up_catalog(app, client)
    product = await two_size_product(client, shop)
    cheapest_id = product["variants"][0]["id"]

    # When the cheapest one rises to Rp 60.000
    await client.patch(
        f"/api/v1/products/{product['id']}/variants/{cheapest_id}",
        json={"price": 60_000},
        headers=shop.owner.headers,
    )

    # Then the product price is the other variant's Rp 55.000
    assert (await client.get(f"/api/v1/products/{product['id']}")).json()["price"] == 55_000


async def test_stock_to_zero_on_every_variant_makes_the_product_out_of_stock(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given two variants in stock
    shop = await set_up_catalog(app, client)
    product = await two_size_product(client, shop)

    # When both are set to stock 0
    for variant in product["variants"]:
        await client.patch(
            f"/api/v1/products/{product['id']}/variants/{variant['id']}",
            json={"stock": 0},
            headers=shop.owner.headers,
        )

    # Then the product is not in stock, in the detail and in the list
    assert (await client.get(f"/api/v1/products/{product['id']}")).json()["in_stock"] is False
    assert [
        item["in_stock"] for item in (await client.get("/api/v1/products")).json()["items"]
    ] == [False]


async def test_variant_of_another_product_is_404_and_unchanged(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given two products of the same seller
    shop = await set_up_catalog(app, client)
    product = await two_size_product(client, shop)
    other = await create_product(client, shop.owner, shop.seller_id, title="Madu Hutan")
    foreign_variant_id = other["variants"][0]["id"]

    # When a variant of the second is patched through the first
    response = await client.patch(
        f"/api/v1/products/{product['id']}/variants/{foreign_variant_id}",
        json={"price": 1},
        headers=shop.owner.headers,
    )

    # Then it is not found and its price is unchanged
    assert response.status_code == 404, response.text
    assert response.json()["type"] == "/problems/variant-not-found"
    detail = await client.get(f"/api/v1/products/{other['id']}", headers=shop.owner.headers)
    assert detail.json()["variants"][0]["price"] == 25_000


async def test_unknown_or_malformed_variant_id_is_404(app: FastAPI, client: AsyncClient) -> None:
    # Given a product
    shop = await set_up_catalog(app, client)
    product = await two_size_product(client, shop)

    # When variants that do not exist are patched
    responses = [
        await client.patch(
            f"/api/v1/products/{product['id']}/variants/{variant_id}",
            json={"stock": 1},
            headers=shop.owner.headers,
        )
        for variant_id in ("01950000-0000-7000-8000-000000000000", "bukan-uuid")
    ]

    # Then both are 404
    assert [r.status_code for r in responses] == [404, 404]


async def test_patch_variant_with_invalid_values_is_422_and_changes_nothing(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a product
    shop = await set_up_catalog(app, client)
    product = await two_size_product(client, shop)
    variant_id = product["variants"][0]["id"]

    # When the price is negative, a float, null, or the stock negative
    statuses = [
        (
            await client.patch(
                f"/api/v1/products/{product['id']}/variants/{variant_id}",
                json=body,
                headers=shop.owner.headers,
            )
        ).status_code
        for body in ({"price": -5}, {"price": 1.5}, {"price": None}, {"stock": -1}, {"name": ""})
    ]

    # Then each is refused and the variant is as it was
    assert statuses == [422] * 5
    detail = (await client.get(f"/api/v1/products/{product['id']}")).json()
    assert (detail["variants"][0]["price"], detail["variants"][0]["stock"]) == (25_000, 5)


async def test_patch_variant_sku_to_one_the_seller_uses_is_409(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given variants LPM-100 and LPM-250
    shop = await set_up_catalog(app, client)
    product = await two_size_product(client, shop)

    # When the first is given the second's SKU
    response = await client.patch(
        f"/api/v1/products/{product['id']}/variants/{product['variants'][0]['id']}",
        json={"sku": "LPM-250"},
        headers=shop.owner.headers,
    )

    # Then it is a conflict
    assert response.status_code == 409, response.text
    assert response.json()["type"] == "/problems/sku-taken"


async def test_stranger_and_admin_cannot_patch_a_variant(app: FastAPI, client: AsyncClient) -> None:
    # Given a published product and a stranger
    shop = await set_up_catalog(app, client)
    product = await two_size_product(client, shop)
    stranger = await create_account(client)
    url = f"/api/v1/products/{product['id']}/variants/{product['variants'][0]['id']}"

    # When the stranger, an admin and an anonymous caller patch a variant
    by_stranger = await client.patch(url, json={"price": 1}, headers=stranger.headers)
    by_admin = await client.patch(url, json={"price": 1}, headers=shop.admin.headers)
    anonymous = await client.patch(url, json={"price": 1})

    # Then they are refused (variants are members' business) and the price is unchanged
    assert (by_stranger.status_code, by_admin.status_code, anonymous.status_code) == (
        403,
        403,
        401,
    )
    assert (await client.get(f"/api/v1/products/{product['id']}")).json()["price"] == 25_000


async def test_adding_a_variant_appends_it_and_the_product_price_follows(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a published product with variants at Rp 25.000 and Rp 55.000
    shop = await set_up_catalog(app, client)
    product = await two_size_product(client, shop)

    # When the owner adds a cheaper 50 g variant
    response = await client.post(
        f"/api/v1/products/{product['id']}/variants",
        json=variant_body("50 g", price=14_000, stock=8, weight_grams=60, sku="LPM-050"),
        headers=shop.owner.headers,
    )

    # Then the product comes back with it last, still published, priced from Rp 14.000
    assert response.status_code == 201, response.text
    body = response.json()
    assert [v["name"] for v in body["variants"]] == ["100 g", "250 g", "50 g"]
    added = body["variants"][2]
    assert (added["sku"], added["price"], added["stock"], added["weight_grams"]) == (
        "LPM-050",
        14_000,
        8,
        60,
    )
    assert (body["status"], body["price"]) == ("published", 14_000)
    public = (await client.get(f"/api/v1/products/{product['id']}")).json()
    assert len(public["variants"]) == 3
    assert public["price"] == 14_000


async def test_adding_a_variant_with_bad_input_is_422_and_changes_nothing(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a product with two variants
    shop = await set_up_catalog(app, client)
    product = await two_size_product(client, shop)
    url = f"/api/v1/products/{product['id']}/variants"

    # When variants with a negative or float price, no weight, an empty name or a bad SKU come
    bodies = [
        variant_body("50 g", price=-1),
        {**variant_body("50 g"), "price": 1.5},
        {"name": "50 g", "price": 14_000, "stock": 1},
        variant_body("", price=14_000),
        variant_body("50 g", sku="bukan sku!"),
        variant_body("50 g", weight_grams=0),
    ]
    statuses = [
        (await client.post(url, json=body, headers=shop.owner.headers)).status_code
        for body in bodies
    ]

    # Then each is refused and the product still has its two variants
    assert statuses == [422] * len(bodies)
    detail = (await client.get(f"/api/v1/products/{product['id']}")).json()
    assert [v["name"] for v in detail["variants"]] == ["100 g", "250 g"]
    assert detail["price"] == 25_000


async def test_adding_a_variant_to_another_sellers_product_is_404_or_403(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a draft and a published product of one seller, and another seller's owner
    shop = await set_up_catalog(app, client)
    draft = await create_product(client, shop.owner, shop.seller_id, title="Madu Hutan")
    published = await two_size_product(client, shop)
    other = await set_up_catalog(app, client, admin=shop.admin, seller_name="Toko Timah")

    # When the other owner adds variants to them, and to a product that does not exist
    responses = [
        await client.post(
            f"/api/v1/products/{product_id}/variants",
            json=variant_body("1 kg", price=90_000),
            headers=other.owner.headers,
        )
        for product_id in (draft["id"], "01950000-0000-7000-8000-000000000000", published["id"])
    ]

    # Then the draft and the unknown one are not found and the public one is forbidden (as for
    # a variant edit), and no variant was added
    assert [r.status_code for r in responses] == [404, 404, 403]
    assert responses[0].json()["type"] == "/problems/product-not-found"
    for product_id in (draft["id"], published["id"]):
        detail = await client.get(f"/api/v1/products/{product_id}", headers=shop.owner.headers)
        assert "1 kg" not in [v["name"] for v in detail.json()["variants"]]


async def test_adding_a_variant_with_a_sku_the_seller_uses_is_409(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given variants LPM-100 and LPM-250 and another product with SKU MDH-1
    shop = await set_up_catalog(app, client)
    product = await two_size_product(client, shop)
    await create_product(
        client, shop.owner, shop.seller_id, title="Madu Hutan", variants=[variant_body(sku="MDH-1")]
    )

    # When a variant is added with either product's SKU
    responses = [
        await client.post(
            f"/api/v1/products/{product['id']}/variants",
            json=variant_body("1 kg", price=90_000, sku=sku),
            headers=shop.owner.headers,
        )
        for sku in ("LPM-250", "MDH-1")
    ]

    # Then each is a conflict and the product keeps its two variants
    assert [r.status_code for r in responses] == [409, 409]
    assert {r.json()["type"] for r in responses} == {"/problems/sku-taken"}
    detail = (await client.get(f"/api/v1/products/{product['id']}")).json()
    assert len(detail["variants"]) == 2


async def test_a_product_holds_at_most_fifty_variants(app: FastAPI, client: AsyncClient) -> None:
    # Given a product created with the most variants allowed
    shop = await set_up_catalog(app, client)
    product = await create_product(
        client,
        shop.owner,
        shop.seller_id,
        variants=[variant_body(f"{size} g") for size in range(1, 51)],
    )

    # When one more is added
    response = await client.post(
        f"/api/v1/products/{product['id']}/variants",
        json=variant_body("1 kg"),
        headers=shop.owner.headers,
    )

    # Then it is a conflict naming the limit
    assert response.status_code == 409, response.text
    assert response.json()["type"] == "/problems/too-many-variants"
    assert "50" in response.json()["detail"]
