"""Who sees which order: the buyer (bearer token or the guest's X-Order-Token) and admins;
everyone else gets a 404 that does not tell whether the order exists."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.factories import (
    Account,
    Shop,
    create_account,
    open_shop,
    order_body,
    order_line,
    placed_order,
    variant_stock,
)


async def _order_of(client: AsyncClient, shop: Shop, buyer: Account | None) -> dict[str, Any]:
    headers = buyer.headers if buyer is not None else None
    return await placed_order(client, order_body(order_line(shop.variant_id, 1)), headers=headers)


async def test_another_signed_in_user_can_neither_read_nor_cancel_an_order(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given Siti's order of 1 of 10
    shop = await open_shop(app, client, stock=10)
    siti = await create_account(client)
    budi = await create_account(client)
    order = await _order_of(client, shop, siti)

    # when Budi reads and cancels it
    read = await client.get(f"/api/v1/orders/{order['id']}", headers=budi.headers)
    cancel = await client.post(f"/api/v1/orders/{order['id']}/cancel", headers=budi.headers)

    # then both are 404 and the order still holds its stock
    assert (read.status_code, cancel.status_code) == (404, 404)
    assert read.json()["type"].endswith("order-not-found")
    assert await variant_stock(sessionmaker, shop.variant_id) == 9
    still = await client.get(f"/api/v1/orders/{order['id']}", headers=siti.headers)
    assert still.json()["status"] == "pending"


async def test_guest_order_is_404_without_or_with_a_wrong_token(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a guest order
    shop = await open_shop(app, client)
    order = await _order_of(client, shop, None)
    stranger = await create_account(client)
    url = f"/api/v1/orders/{order['id']}"

    # when it is read without the token, with another token, or by a signed-in stranger
    answers = [
        await client.get(url),
        await client.get(url, headers={"X-Order-Token": "0" * 64}),
        await client.get(url, headers={"X-Order-Token": order["access_token"][:-1] + "x"}),
        await client.get(url, headers=stranger.headers),
        await client.post(f"{url}/cancel", headers={"X-Order-Token": "0" * 64}),
    ]

    # then every answer is 404
    assert [answer.status_code for answer in answers] == [404] * 5


async def test_token_of_one_guest_order_does_not_open_another(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    first = await _order_of(client, shop, None)
    second = await _order_of(client, shop, None)

    response = await client.get(
        f"/api/v1/orders/{second['id']}", headers={"X-Order-Token": first["access_token"]}
    )

    assert response.status_code == 404


async def test_unknown_and_malformed_order_ids_are_404(app: FastAPI, client: AsyncClient) -> None:
    buyer = await create_account(client)

    unknown = await client.get(
        "/api/v1/orders/01a21abd-4720-7b56-aef0-3a8584a1bd36", headers=buyer.headers
    )
    malformed = await client.get("/api/v1/orders/BB261127-ACDEFG", headers=buyer.headers)

    assert (unknown.status_code, malformed.status_code) == (404, 404)


async def test_admin_reads_any_order(app: FastAPI, client: AsyncClient) -> None:
    shop = await open_shop(app, client)
    guest_order = await _order_of(client, shop, None)
    buyer_order = await _order_of(client, shop, await create_account(client))

    for order in (guest_order, buyer_order):
        seen = await client.get(f"/api/v1/orders/{order['id']}", headers=shop.admin.headers)
        assert seen.status_code == 200, seen.text
        assert seen.json()["number"] == order["number"]


async def test_my_orders_lists_only_the_callers_orders_newest_first_page_by_page(
    app: FastAPI, client: AsyncClient
) -> None:
    # given Siti placed three orders, Budi one, and a guest one
    shop = await open_shop(app, client, stock=20)
    siti = await create_account(client)
    budi = await create_account(client)
    sitis = [await _order_of(client, shop, siti) for _ in range(3)]
    await _order_of(client, shop, budi)
    await _order_of(client, shop, None)

    # when Siti lists her orders two at a time
    first = await client.get("/api/v1/orders", params={"limit": 2}, headers=siti.headers)
    assert first.status_code == 200, first.text
    cursor = first.json()["next_cursor"]
    assert cursor is not None
    second = await client.get(
        "/api/v1/orders", params={"limit": 2, "cursor": cursor}, headers=siti.headers
    )

    # then she sees exactly her three, newest first, and the last page has no cursor
    listed = first.json()["items"] + second.json()["items"]
    assert [item["id"] for item in listed] == [order["id"] for order in reversed(sitis)]
    assert second.json()["next_cursor"] is None
    assert listed[0] == {
        "id": sitis[2]["id"],
        "number": sitis[2]["number"],
        "status": "pending",
        "payment_status": "unpaid",
        "total": 67_000,
        "currency": "IDR",
        "created_at": listed[0]["created_at"],
    }


async def test_my_orders_needs_a_signed_in_user_and_a_valid_cursor(
    app: FastAPI, client: AsyncClient
) -> None:
    buyer = await create_account(client)

    anonymous = await client.get("/api/v1/orders")
    forged = await client.get(
        "/api/v1/orders", params={"cursor": "not-a-cursor"}, headers=buyer.headers
    )
    too_many = await client.get("/api/v1/orders", params={"limit": 101}, headers=buyer.headers)

    assert anonymous.status_code == 401
    assert forged.status_code == 422
    assert too_many.status_code == 422
