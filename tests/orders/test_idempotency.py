"""The Idempotency-Key of POST /orders: a replay returns the stored response and orders
nothing new; the same key with another body is a 422; keys are scoped to the caller."""

from __future__ import annotations

import json

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.orders.models import Order
from marketplace.payments.models import Payment
from tests.factories import (
    count_rows,
    create_account,
    open_shop,
    order_body,
    order_line,
    place_order,
    variant_stock,
)

KEY = "8f5b8f0e-3c1e-4a57-9c2f-5d7d0e4b1a11"


async def test_replay_with_same_key_and_body_returns_the_same_order_and_takes_stock_once(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given a guest placed an order for 2 of 10
    shop = await open_shop(app, client, stock=10)
    body = order_body(order_line(shop.variant_id, 2))
    first = await place_order(client, body, key=KEY)
    assert first.status_code == 201, first.text

    # when the same request is sent again (a retry after a lost response)
    replay = await place_order(client, body, key=KEY)

    # then it answers the stored response, and no second order, payment or reservation exists
    assert replay.status_code == 201, replay.text
    assert replay.json() == first.json()
    assert replay.json()["status"] == "pending"
    assert await count_rows(sessionmaker, Order) == 1
    assert await count_rows(sessionmaker, Payment) == 1
    assert await variant_stock(sessionmaker, shop.variant_id) == 8


async def test_replay_with_keys_in_another_order_and_spacing_counts_as_the_same_body(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    shop = await open_shop(app, client, stock=10)
    body = order_body(order_line(shop.variant_id, 2))
    first = await place_order(client, body, key=KEY)
    assert first.status_code == 201, first.text
    reordered = json.dumps(dict(reversed(list(body.items()))), indent=4)

    replay = await client.post(
        "/api/v1/orders",
        content=reordered,
        headers={"Idempotency-Key": KEY, "Content-Type": "application/json"},
    )

    assert replay.status_code == 201, replay.text
    assert replay.json()["id"] == first.json()["id"]
    assert await count_rows(sessionmaker, Order) == 1


async def test_replay_after_the_order_was_cancelled_still_answers_the_stored_response(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given a guest order that the guest then cancelled
    shop = await open_shop(app, client, stock=10)
    body = order_body(order_line(shop.variant_id, 2))
    first = (await place_order(client, body, key=KEY)).json()
    cancelled = await client.post(
        f"/api/v1/orders/{first['id']}/cancel", headers={"X-Order-Token": first["access_token"]}
    )
    assert cancelled.status_code == 200, cancelled.text

    # when the original request is retried
    replay = await place_order(client, body, key=KEY)

    # then the retry orders nothing again: the stock stays back at 10
    assert replay.status_code == 201
    assert replay.json()["id"] == first["id"]
    assert await count_rows(sessionmaker, Order) == 1
    assert await variant_stock(sessionmaker, shop.variant_id) == 10


async def test_same_key_with_another_body_is_422_key_reused_and_orders_nothing(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given a guest placed an order for 2 with a key
    shop = await open_shop(app, client, stock=10)
    first = await place_order(client, order_body(order_line(shop.variant_id, 2)), key=KEY)
    assert first.status_code == 201, first.text

    # when the same key comes with 3 instead of 2
    reused = await place_order(client, order_body(order_line(shop.variant_id, 3)), key=KEY)

    # then it is refused and nothing more is reserved
    assert reused.status_code == 422, reused.text
    assert reused.json()["type"].endswith("idempotency-key-reused")
    assert await count_rows(sessionmaker, Order) == 1
    assert await variant_stock(sessionmaker, shop.variant_id) == 8


async def test_same_key_from_two_signed_in_buyers_places_two_orders(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given two signed-in buyers whose apps happen to send the same key
    shop = await open_shop(app, client, stock=10)
    siti = await create_account(client)
    budi = await create_account(client)
    body = order_body(order_line(shop.variant_id, 2))

    # when both order with it, and Siti retries
    for_siti = await place_order(client, body, key=KEY, headers=siti.headers)
    for_budi = await place_order(client, body, key=KEY, headers=budi.headers)
    siti_retry = await place_order(client, body, key=KEY, headers=siti.headers)

    # then each gets an order of their own, and the retry is Siti's
    assert (for_siti.status_code, for_budi.status_code, siti_retry.status_code) == (201, 201, 201)
    assert for_siti.json()["id"] != for_budi.json()["id"]
    assert siti_retry.json()["id"] == for_siti.json()["id"]
    assert siti_retry.json().get("access_token") is None
    assert await count_rows(sessionmaker, Order) == 2
    assert await variant_stock(sessionmaker, shop.variant_id) == 6


async def test_same_key_from_a_guest_and_a_signed_in_buyer_places_two_orders(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    shop = await open_shop(app, client, stock=10)
    buyer = await create_account(client)
    body = order_body(order_line(shop.variant_id, 1))

    as_guest = await place_order(client, body, key=KEY)
    as_buyer = await place_order(client, body, key=KEY, headers=buyer.headers)

    assert (as_guest.status_code, as_buyer.status_code) == (201, 201)
    assert as_guest.json()["id"] != as_buyer.json()["id"]
    assert await count_rows(sessionmaker, Order) == 2


async def test_key_of_a_refused_order_can_be_used_again_once_the_cart_is_fixed(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given an order for 20 of 10 was refused for stock
    shop = await open_shop(app, client, stock=10)
    refused = await place_order(client, order_body(order_line(shop.variant_id, 20)), key=KEY)
    assert refused.status_code == 409, refused.text

    # when the buyer lowers the quantity and sends it with the same key
    placed = await place_order(client, order_body(order_line(shop.variant_id, 5)), key=KEY)

    # then nothing was remembered of the refusal: the fixed cart is ordered
    assert placed.status_code == 201, placed.text
    assert await variant_stock(sessionmaker, shop.variant_id) == 5
