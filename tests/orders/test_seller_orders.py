"""The seller's side of orders: cancelling its own part (its stock returns, the rest of the
order goes on) and listing its seller-orders by status."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.factories import (
    PANGKALPINANG_ADDRESS,
    Account,
    add_member,
    confirm_payment,
    create_account,
    guest_headers,
    open_shop,
    order_body,
    order_line,
    place_two_seller_order,
    placed_order,
    read_guest_order,
    ship_seller_order,
    variant_stock,
)


async def deliver(client: AsyncClient, part_id: str, headers: dict[str, str]) -> Response:
    return await client.post(f"/api/v1/seller-orders/{part_id}/deliver", headers=headers)


# --- Sellers cancel their part ---------------------------------------------------------------


async def cancel_part(client: AsyncClient, member: Account, part_id: str) -> Response:
    return await client.post(f"/api/v1/seller-orders/{part_id}/cancel", headers=member.headers)


async def test_seller_cancels_its_part_its_stock_returns_and_the_other_part_continues(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given a cash on delivery order of 2 pepper and 1 honey
    world = await place_two_seller_order(app, client)

    # when the honey seller cancels its part (the honey spoiled)
    response = await cancel_part(client, world.honey.owner, world.part_of(world.honey))

    # then the honey is back in stock, the pepper part is still to ship, and the order goes on
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"
    assert await variant_stock(sessionmaker, world.honey.variant_id) == 5
    assert await variant_stock(sessionmaker, world.pepper.variant_id) == 8
    order = await read_guest_order(client, world.order)
    assert order["status"] == "processing"
    statuses = {part["seller"]["name"]: part["status"] for part in order["seller_orders"]}
    assert statuses == {"KIM Lada Muntok": "to_ship", "KUB Madu Pelawan": "cancelled"}

    # and when the pepper is delivered, the order completes
    pepper_part = world.part_of(world.pepper)
    assert (await ship_seller_order(client, world.pepper.owner, pepper_part)).status_code == 200
    assert (await deliver(client, pepper_part, guest_headers(world.order))).status_code == 200
    assert (await read_guest_order(client, world.order))["status"] == "completed"


async def test_part_cancelled_before_payment_is_not_charged_to_the_buyer(
    app: FastAPI, client: AsyncClient
) -> None:
    # given an unpaid bank transfer order of pepper (122.000) and honey (132.000)
    world = await place_two_seller_order(app, client, payment_method="bank_transfer")
    cancelled = await cancel_part(client, world.honey.owner, world.part_of(world.honey))
    assert cancelled.status_code == 200

    # when the transfer of the amount shown arrives and the admin confirms it
    confirmed = await confirm_payment(client, world.pepper.admin, world.order["payment"]["id"])
    assert confirmed.status_code == 200

    # then the buyer pays only for the pepper: asked 122.000, or refunded the honey's 132.000
    order = await read_guest_order(client, world.order)
    assert order["payment"]["amount"] == 122_000 + order["payment"]["unique_code"]
    assert order["total"] == 122_000
    assert order["payment_status"] == "paid"
    assert order["payment"]["status"] == "paid"


async def test_seller_cancelling_the_only_part_cancels_the_order(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    shop = await open_shop(app, client, stock=10)
    order = await placed_order(
        client, order_body(order_line(shop.variant_id, 4), payment_method="cod")
    )

    response = await cancel_part(client, shop.owner, order["seller_orders"][0]["id"])

    assert response.status_code == 200, response.text
    final = await read_guest_order(client, order)
    assert final["status"] == "cancelled"
    assert final["payment"]["status"] == "cancelled"
    assert await variant_stock(sessionmaker, shop.variant_id) == 10


async def test_seller_cannot_cancel_a_shipped_part_nor_another_sellers_part(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    world = await place_two_seller_order(app, client)
    pepper_part = world.part_of(world.pepper)
    assert (await ship_seller_order(client, world.pepper.owner, pepper_part)).status_code == 200

    after_shipping = await cancel_part(client, world.pepper.owner, pepper_part)
    by_other_seller = await cancel_part(client, world.pepper.owner, world.part_of(world.honey))

    assert after_shipping.status_code == 409
    assert by_other_seller.status_code == 404
    assert await variant_stock(sessionmaker, world.pepper.variant_id) == 8
    assert await variant_stock(sessionmaker, world.honey.variant_id) == 4


async def test_buyer_cannot_cancel_a_seller_order_only_the_whole_order(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    buyer = await create_account(client)
    order = await placed_order(
        client,
        order_body(order_line(shop.variant_id, 1), payment_method="cod"),
        headers=buyer.headers,
    )

    response = await cancel_part(client, buyer, order["seller_orders"][0]["id"])

    assert response.status_code == 403, response.text


# --- The seller's list -----------------------------------------------------------------------


async def test_seller_lists_its_seller_orders_by_status_page_by_page(
    app: FastAPI, client: AsyncClient
) -> None:
    # given pepper is in three cash on delivery orders (one with honey) and one unpaid transfer
    world = await place_two_seller_order(app, client)
    pepper = world.pepper
    for _ in range(2):
        await placed_order(
            client, order_body(order_line(pepper.variant_id, 1), payment_method="cod")
        )
    unpaid = await placed_order(client, order_body(order_line(pepper.variant_id, 1)))
    url = f"/api/v1/sellers/{pepper.seller_id}/orders"

    # when the owner lists what is to ship, two at a time
    first = await client.get(
        url, params={"status": "to_ship", "limit": 2}, headers=pepper.owner.headers
    )
    assert first.status_code == 200, first.text
    second = await client.get(
        url,
        params={"status": "to_ship", "limit": 2, "cursor": first.json()["next_cursor"]},
        headers=pepper.owner.headers,
    )
    pending = await client.get(url, params={"status": "pending"}, headers=pepper.owner.headers)
    everything = await client.get(url, headers=pepper.owner.headers)

    # then three parts are to ship, newest first, each showing only the pepper lines
    to_ship = first.json()["items"] + second.json()["items"]
    assert len(first.json()["items"]) == 2
    assert second.json()["next_cursor"] is None
    assert len(to_ship) == 3
    assert all(part["seller"]["id"] == pepper.seller_id for part in to_ship)
    assert all(part["status"] == "to_ship" for part in to_ship)
    assert to_ship[-1]["order_number"] == world.order["number"]
    assert [item["title"] for item in to_ship[-1]["items"]] == ["Lada Putih Muntok - 250 g"]
    assert [part["order_number"] for part in pending.json()["items"]] == [unpaid["number"]]
    assert len(everything.json()["items"]) == 4
    # and each part carries where to send it: the order's address (the phone normalised)
    sent_to = to_ship[-1]["shipping_address"]
    assert sent_to == {
        **PANGKALPINANG_ADDRESS,
        "phone": "+6281234567890",
        "region_code": "19.71",
    }


async def test_seller_order_list_is_for_members_and_admins(
    app: FastAPI, client: AsyncClient
) -> None:
    world = await place_two_seller_order(app, client)
    pepper = world.pepper
    staff = await create_account(client)
    await add_member(client, pepper.owner, pepper.seller_id, staff.email)
    stranger = await create_account(client)
    url = f"/api/v1/sellers/{pepper.seller_id}/orders"

    as_staff = await client.get(url, headers=staff.headers)
    as_admin = await client.get(url, headers=pepper.admin.headers)
    as_other_seller = await client.get(url, headers=world.honey.owner.headers)
    as_stranger = await client.get(url, headers=stranger.headers)
    anonymous = await client.get(url)
    unknown_status = await client.get(url, params={"status": "lost"}, headers=staff.headers)

    assert (as_staff.status_code, as_admin.status_code) == (200, 200)
    assert len(as_staff.json()["items"]) == 1
    assert (as_other_seller.status_code, as_stranger.status_code) == (403, 403)
    assert anonymous.status_code == 401
    assert unknown_status.status_code == 422
