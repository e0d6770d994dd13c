"""The admin desk finds any order: by its number, the buyer's e-mail or phone (as people
type them), a tracking number, or by filters, newest first in keyset pages; and lists
payments with their order numbers, open transfers first."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.db.base import utcnow
from marketplace.orders.models import Order
from tests.factories import (
    Account,
    confirm_payment,
    open_shop,
    order_body,
    order_line,
    placed_order,
    ship_seller_order,
)


async def desk_orders(client: AsyncClient, admin: Account, **params: Any) -> list[str]:
    response = await client.get("/api/v1/admin/orders", params=params, headers=admin.headers)
    assert response.status_code == 200, response.text
    return [item["number"] for item in response.json()["items"]]


def buyer(email: str, phone: str) -> dict[str, str]:
    return {"name": "Siti Aminah", "email": email, "phone": phone}


async def test_desk_finds_an_order_by_number_email_phone_or_tracking_number(
    app: FastAPI, client: AsyncClient
) -> None:
    # given three orders of different buyers, one of them shipped
    shop = await open_shop(app, client, stock=20)
    line = order_line(shop.variant_id, 1)
    budi = await placed_order(client, order_body(line))
    siti = await placed_order(
        client, order_body(line, buyer=buyer("Siti.Aminah@Contoh.id", "+62 813-1111-2222"))
    )
    andi = await placed_order(
        client, order_body(line, payment_method="cod", buyer=buyer("andi@contoh.id", "0857000111"))
    )
    [andi_part] = andi["seller_orders"]
    shipped = await ship_seller_order(client, shop.owner, andi_part["id"], tracking_number="JP12")
    assert shipped.status_code == 200

    # then each identifier finds its order, however it is typed
    admin = shop.admin
    assert await desk_orders(client, admin, q=siti["number"].lower()) == [siti["number"]]
    assert await desk_orders(client, admin, q="siti.aminah@contoh.id") == [siti["number"]]
    assert await desk_orders(client, admin, q="Siti.Aminah@Contoh.id") == [siti["number"]]
    assert await desk_orders(client, admin, q="0813 1111 2222") == [siti["number"]]
    assert await desk_orders(client, admin, q="JP12") == [andi["number"]]
    assert await desk_orders(client, admin, q="budi@contoh.id") == [budi["number"]]
    assert await desk_orders(client, admin, q="BB000000-XXXXXX") == []
    # and the one-order look-up takes a number or an id
    by_number = await client.get(f"/api/v1/admin/orders/{budi['number']}", headers=admin.headers)
    by_id = await client.get(f"/api/v1/admin/orders/{budi['id']}", headers=admin.headers)
    assert by_number.json()["id"] == by_id.json()["id"] == budi["id"]
    assert by_number.json()["payment"]["unique_code"] == budi["payment"]["unique_code"]
    missing = await client.get("/api/v1/admin/orders/BB000000-XXXXXX", headers=admin.headers)
    assert missing.status_code == 404
    assert missing.json()["type"].endswith("order-not-found")


async def test_desk_filters_orders_and_pages_through_them_newest_first(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given five transfer orders (one paid), one cash order, and an order of another seller
    shop = await open_shop(app, client, stock=20)
    other = await open_shop(app, client, admin=shop.admin, seller_name="KUB Madu", title="Madu")
    transfers = [
        await placed_order(client, order_body(order_line(shop.variant_id, 1))) for _ in range(5)
    ]
    cod = await placed_order(
        client, order_body(order_line(shop.variant_id, 1), payment_method="cod")
    )
    honey = await placed_order(client, order_body(order_line(other.variant_id, 1)))
    paid = transfers[0]
    assert (await confirm_payment(client, shop.admin, paid["payment"]["id"])).status_code == 200
    admin = shop.admin

    # then each filter narrows the list
    newest_first = [o["number"] for o in reversed([*transfers, cod, honey])]
    assert await desk_orders(client, admin) == newest_first
    assert await desk_orders(client, admin, payment_method="cod") == [cod["number"]]
    assert await desk_orders(client, admin, seller=other.seller_id) == [honey["number"]]
    assert await desk_orders(client, admin, payment_status="paid", status="processing") == [
        cod["number"]
    ][:0] + [paid["number"]]
    pending = await desk_orders(client, admin, status="pending")
    assert pending == [o["number"] for o in reversed([*transfers[1:], honey])]
    # and a created_from / created_to window (an order moved a day back falls out of it)
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(Order)
            .where(Order.number == honey["number"])
            .values(created_at=utcnow() - timedelta(days=1))
        )
    since = (utcnow() - timedelta(hours=1)).isoformat()
    assert honey["number"] not in await desk_orders(client, admin, created_from=since)
    assert await desk_orders(client, admin, created_to=since) == [honey["number"]]

    # when paging two at a time
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, "status": "pending"}
        if cursor:
            params["cursor"] = cursor
        page = (
            await client.get("/api/v1/admin/orders", params=params, headers=admin.headers)
        ).json()
        seen += [item["number"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    # then every pending order appears once, in the same order
    assert seen == await desk_orders(client, admin, status="pending")
    assert len(seen) == 5


async def test_desk_rejects_bad_filters_with_precise_problems(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    admin = shop.admin

    for params, field in [
        ({"status": "lost"}, "status"),
        ({"payment_method": "cash"}, "payment_method"),
        ({"seller": "not-a-uuid"}, "seller"),
        ({"created_from": "yesterday"}, "created_from"),
        ({"limit": 0}, "limit"),
        ({"q": "x" * 255}, "q"),
        ({"cursor": "bogus"}, "cursor"),
    ]:
        response = await client.get("/api/v1/admin/orders", params=params, headers=admin.headers)
        assert response.status_code == 422, (params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [error["loc"][-1] for error in response.json()["errors"]] == [field]


async def test_payments_list_shows_open_transfers_first_with_their_order_numbers(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a paid transfer, a cash order, then an open transfer, then another paid transfer
    shop = await open_shop(app, client, stock=20)
    line = order_line(shop.variant_id, 1)
    first = await placed_order(client, order_body(line))
    await confirm_payment(client, shop.admin, first["payment"]["id"])
    cod = await placed_order(client, order_body(line, payment_method="cod"))
    open_one = await placed_order(client, order_body(line))
    last = await placed_order(client, order_body(line))
    await confirm_payment(client, shop.admin, last["payment"]["id"])

    # when the admin lists payments two at a time
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (
            await client.get("/api/v1/admin/payments", params=params, headers=shop.admin.headers)
        ).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    # then the open transfer comes first, then the rest newest first, each with its number
    assert [(p["order_number"], p["status"]) for p in items] == [
        (open_one["number"], "pending"),
        (last["number"], "paid"),
        (cod["number"], "pending"),
        (first["number"], "paid"),
    ]
    assert items[0]["amount"] == open_one["payment"]["amount"]
    assert items[0]["unique_code"] == open_one["payment"]["unique_code"]
    # and the filters narrow it
    cash = await client.get(
        "/api/v1/admin/payments", params={"method": "cod"}, headers=shop.admin.headers
    )
    assert [p["order_number"] for p in cash.json()["items"]] == [cod["number"]]
    paid = await client.get(
        "/api/v1/admin/payments", params={"status": "paid"}, headers=shop.admin.headers
    )
    assert [p["order_number"] for p in paid.json()["items"]] == [last["number"], first["number"]]
