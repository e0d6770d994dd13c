"""The destination decides the shipping price, so a given region code must agree with the
address; pickup orders tell the seller there is nothing to send; heavy orders fit."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.notifications.models import OutboxEmail
from tests.factories import (
    create_published_product,
    open_shop,
    order_body,
    order_line,
    place_order,
    placed_order,
    shipping_address,
    variant_body,
    variant_stock,
)


async def test_jakarta_address_with_pangkalpinangs_region_code_is_422_naming_both_fields(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # Issue 10: it paid Pangkalpinang's Rp 12.000 instead of Rp 30.000.
    shop = await open_shop(app, client, stock=10)
    jakarta = shipping_address(
        city="Jakarta Selatan", province="DKI Jakarta", postal_code="12190", region_code="19.71"
    )

    response = await place_order(
        client, order_body(order_line(shop.variant_id, 2), shipping_address=jakarta)
    )

    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["errors"]] == [
        ["body", "shipping_address", "region_code"],
        ["body", "shipping_address", "city"],
    ]
    assert await variant_stock(sessionmaker, shop.variant_id) == 10


async def test_region_code_of_another_regency_than_the_city_is_422(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    address = shipping_address(city="Tanjung Pandan", region_code="19.71")

    response = await place_order(
        client, order_body(order_line(shop.variant_id, 1), shipping_address=address)
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["type"] == "region_mismatch"


async def test_village_address_in_the_province_keeps_its_region_code(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    address = shipping_address(city="Desa Lalang", region_code="19.06")

    order = await placed_order(
        client, order_body(order_line(shop.variant_id, 1), shipping_address=address)
    )

    assert order["shipping_address"]["region_code"] == "19.06"


async def test_pickup_order_says_so_on_the_seller_order_and_in_the_sellers_email(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # Issue 10: the seller's e-mail still said "Kirim ke", the seller-order showed no method.
    shop = await open_shop(app, client)
    order = await placed_order(
        client,
        order_body(order_line(shop.variant_id, 1), payment_method="cod", shipping_method="pickup"),
    )

    listed = await client.get(
        f"/api/v1/sellers/{shop.seller_id}/orders", headers=shop.owner.headers
    )

    assert order["seller_orders"][0]["shipping_method"] == "pickup"
    assert [part["shipping_method"] for part in listed.json()["items"]] == ["pickup"]
    async with sessionmaker() as session:
        mail = await session.scalar(
            select(OutboxEmail).where(
                OutboxEmail.recipient == shop.owner.email,
                OutboxEmail.template == "seller_new_order",
            )
        )
    assert mail is not None
    assert "Kirim ke" not in mail.body_text
    assert "Ambil sendiri" in mail.body_text
    assert "Ambil sendiri" in mail.body_html


async def test_seller_order_heavier_than_two_to_the_31_grams_is_stored(
    app: FastAPI, client: AsyncClient
) -> None:
    # Issue 10: on PostgreSQL a seller-order over 2^31 grams overflowed an integer column.
    shop = await open_shop(app, client, stock=1000, weight_grams=100_000)
    lines = [order_line(shop.variant_id, 990)]
    for index in range(21):
        product = await create_published_product(
            client,
            shop.owner,
            shop.seller_id,
            title=f"Pasir Kuarsa Karung {index}",
            variants=[variant_body("1 ton", stock=1000, weight_grams=100_000)],
            max_quantity_per_order=1000,
        )
        lines.append(order_line(product["variants"][0]["id"], 990))

    order = await placed_order(client, order_body(*lines))

    assert order["seller_orders"][0]["weight_grams"] == 22 * 990 * 100_000
    assert order["seller_orders"][0]["weight_grams"] > 2**31
