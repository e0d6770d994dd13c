"""Checkout abuse: cash on delivery only for confirmed buyers under a total, a per-product
quantity cap, order limits per address and e-mail, unshipped COD parts cancelled, and buyer
text clipped in the e-mails strangers receive."""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.db.base import utcnow
from marketplace.db.session import begin_write_transaction
from marketplace.notifications.models import OutboxEmail
from marketplace.orders.models import SellerOrder
from marketplace.orders.tasks import cancel_unshipped_cash_on_delivery
from tests.conftest import make_settings
from tests.factories import (
    GUEST_BUYER,
    create_account,
    create_published_product,
    guest_headers,
    http_client,
    open_shop,
    order_body,
    order_line,
    place_order,
    placed_order,
    running_app,
    variant_body,
    variant_stock,
)


async def test_guest_cash_on_delivery_for_the_whole_stock_is_refused_and_reserves_nothing(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # Issue 10: an unauthenticated COD order for a product's whole stock succeeded, no expiry.
    shop = await open_shop(app, client, stock=10)

    response = await client.post(
        "/api/v1/orders",
        json=order_body(order_line(shop.variant_id, 10), payment_method="cod"),
        headers={"Idempotency-Key": "tamu-cod-semua-stok"},
    )

    assert response.status_code == 422
    assert await variant_stock(sessionmaker, shop.variant_id) == 10


async def test_cash_on_delivery_needs_a_signed_in_buyer_with_a_confirmed_address(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    shop = await open_shop(app, client, stock=10)
    unconfirmed = await create_account(client, verified=False)
    confirmed = await create_account(client)
    body = order_body(order_line(shop.variant_id, 2), payment_method="cod")

    as_guest = await client.post(
        "/api/v1/orders", json=body, headers={"Idempotency-Key": "tamu-cod-1"}
    )
    as_unconfirmed = await place_order(client, body, headers=unconfirmed.headers)
    as_confirmed = await place_order(client, body, headers=confirmed.headers)

    for refused in (as_guest, as_unconfirmed):
        assert refused.status_code == 422
        [error] = refused.json()["errors"]
        assert (error["loc"], error["type"]) == (
            ["body", "payment_method"],
            "cod_needs_verified_buyer",
        )
    assert as_confirmed.status_code == 201
    assert await variant_stock(sessionmaker, shop.variant_id) == 8


async def test_cash_on_delivery_above_the_maximum_total_is_refused(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given Rp 55.000 packs and the default COD maximum of Rp 2.000.000
    shop = await open_shop(app, client, stock=100)
    buyer = await create_account(client)

    over = await place_order(
        client,
        order_body(order_line(shop.variant_id, 37), payment_method="cod"),
        headers=buyer.headers,
    )
    under = await place_order(
        client,
        order_body(order_line(shop.variant_id, 30), payment_method="cod"),
        headers=buyer.headers,
    )

    assert over.status_code == 422
    assert over.json()["errors"][0]["type"] == "cod_total_too_high"
    assert "Rp 2.000.000" in over.json()["detail"]
    assert under.status_code == 201
    assert under.json()["total"] == 30 * 55_000 + under.json()["shipping_total"]
    assert await variant_stock(sessionmaker, shop.variant_id) == 70


async def test_quantity_over_the_products_cap_is_422_naming_each_line_of_it(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given a product of two variants with the default cap of 10 per order
    shop = await open_shop(app, client, stock=50)
    product = await create_published_product(
        client,
        shop.owner,
        shop.seller_id,
        title="Madu Pelawan",
        variants=[variant_body("250 g", stock=50), variant_body("500 g", stock=50)],
    )
    assert product["max_quantity_per_order"] == 10
    small, large = (variant["id"] for variant in product["variants"])

    over = await place_order(
        client,
        order_body(order_line(small, 6), order_line(large, 5), order_line(shop.variant_id, 1)),
    )
    at_cap = await place_order(client, order_body(order_line(small, 6), order_line(large, 4)))

    assert over.status_code == 422
    assert [error["loc"] for error in over.json()["errors"]] == [
        ["body", "items", 0, "quantity"],
        ["body", "items", 1, "quantity"],
    ]
    assert over.json()["errors"][0]["type"] == "quantity_over_cap"
    assert at_cap.status_code == 201
    assert await variant_stock(sessionmaker, small) == 44


async def test_seller_sets_the_cap_of_a_product(app: FastAPI, client: AsyncClient) -> None:
    shop = await open_shop(app, client, stock=50, max_quantity_per_order=10)

    changed = await client.patch(
        f"/api/v1/products/{shop.product_id}",
        json={"max_quantity_per_order": 2},
        headers=shop.owner.headers,
    )
    refused = await place_order(client, order_body(order_line(shop.variant_id, 3)))
    too_big = await client.patch(
        f"/api/v1/products/{shop.product_id}",
        json={"max_quantity_per_order": 0},
        headers=shop.owner.headers,
    )

    assert changed.status_code == 200
    assert changed.json()["max_quantity_per_order"] == 2
    assert refused.status_code == 422
    assert too_big.status_code == 422


async def test_orders_are_limited_per_address_and_per_buyer_email(
    migrated_database: str, app: FastAPI
) -> None:
    settings = make_settings(
        migrated_database, orders_per_address="3/hour", orders_per_buyer_email="2/hour"
    )
    async with running_app(settings) as instance:
        async with http_client(instance, address="198.51.100.5") as first:
            shop = await open_shop(instance, first, stock=50)
            same_address = [
                (
                    await place_order(
                        first,
                        order_body(
                            order_line(shop.variant_id, 1),
                            buyer={**GUEST_BUYER, "email": f"pembeli{index}@contoh.id"},
                        ),
                    )
                ).status_code
                for index in range(4)
            ]
        async with http_client(instance, address="203.0.113.8") as second:
            same_email = [
                (await place_order(second, order_body(order_line(shop.variant_id, 1)))).status_code
                for _ in range(3)
            ]

    assert same_address == [201, 201, 201, 429]
    assert same_email == [201, 201, 429]


async def test_unshipped_cash_on_delivery_part_is_cancelled_after_three_days_and_returns_stock(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given two COD orders of 3 from 10: one placed four days ago, one two days ago
    shop = await open_shop(app, client, stock=10)
    old = await placed_order(
        client, order_body(order_line(shop.variant_id, 3), payment_method="cod")
    )
    recent = await placed_order(
        client, order_body(order_line(shop.variant_id, 3), payment_method="cod")
    )
    for order, age in ((old, timedelta(days=4)), (recent, timedelta(days=2))):
        async with sessionmaker() as session:
            await begin_write_transaction(session)
            await session.execute(
                update(SellerOrder)
                .where(SellerOrder.order_id == uuid.UUID(order["id"]))
                .values(created_at=utcnow() - age)
            )
            await session.commit()

    # when the sweep runs (twice: the second finds nothing left to do)
    cancelled = await cancel_unshipped_cash_on_delivery(sessionmaker, app.state.gateways)
    again = await cancel_unshipped_cash_on_delivery(sessionmaker, app.state.gateways)

    # then only the old part is cancelled, with its order, and its 3 units are back
    assert (cancelled, again) == (1, 0)
    seen_old = (await client.get(f"/api/v1/orders/{old['id']}", headers=guest_headers(old))).json()
    seen_recent = (
        await client.get(f"/api/v1/orders/{recent['id']}", headers=guest_headers(recent))
    ).json()
    assert seen_old["status"] == "cancelled"
    assert seen_old["seller_orders"][0]["status"] == "cancelled"
    assert seen_recent["status"] == "processing"
    assert seen_recent["seller_orders"][0]["status"] == "to_ship"
    assert await variant_stock(sessionmaker, shop.variant_id) == 7


async def test_buyer_text_in_the_order_email_is_escaped_and_clipped(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # Issue 10: the order e-mail carried attacker text to any address.
    shop = await open_shop(app, client)
    bait = '<a href="https://phish.example/">Klaim hadiah</a>\nHubungi 0812 ' + "x" * 300
    await placed_order(
        client,
        order_body(
            order_line(shop.variant_id, 1),
            buyer={**GUEST_BUYER, "name": bait[:120], "email": "korban@contoh.id"},
        ),
    )

    async with sessionmaker() as session:
        mail = await session.scalar(
            select(OutboxEmail).where(OutboxEmail.recipient == "korban@contoh.id")
        )
    assert mail is not None
    assert '<a href="https://phish.example/">' not in mail.body_html
    assert "&lt;a href=" in mail.body_html
    greeting = next(line for line in mail.body_text.splitlines() if "Halo" in line)
    assert "\n" not in greeting
    assert "Hubungi 0812" in greeting
    assert "x" * 80 not in greeting
    assert "…" in greeting
