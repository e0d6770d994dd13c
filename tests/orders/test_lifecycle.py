"""An order's life: paid (or cash on delivery) → to ship → shipped → delivered → completed, or
cancelled by its buyer. Every move is checked: an illegal one is a 409 and changes nothing."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.factories import (
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


async def cancel(client: AsyncClient, order: dict[str, Any]) -> Response:
    return await client.post(f"/api/v1/orders/{order['id']}/cancel", headers=guest_headers(order))


async def deliver(client: AsyncClient, part_id: str, headers: dict[str, str]) -> Response:
    return await client.post(f"/api/v1/seller-orders/{part_id}/deliver", headers=headers)


# --- Buyers cancel ---------------------------------------------------------------------------


async def test_buyer_cancels_a_pending_order_and_its_stock_and_payment_are_released(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given a guest's bank transfer order of 2 of 10
    shop = await open_shop(app, client, stock=10)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 2)))

    # when the guest cancels it
    response = await cancel(client, order)

    # then it is cancelled, the stock is back and the transfer is no longer expected
    assert response.status_code == 200, response.text
    cancelled = response.json()
    assert cancelled["status"] == "cancelled"
    assert cancelled["cancelled_at"] is not None
    assert cancelled["payment_status"] == "unpaid"
    assert cancelled["payment"]["status"] == "cancelled"
    assert [part["status"] for part in cancelled["seller_orders"]] == ["cancelled"]
    assert await variant_stock(sessionmaker, shop.variant_id) == 10


async def test_cancelling_twice_is_409_and_returns_the_stock_once(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    shop = await open_shop(app, client, stock=10)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 2)))
    assert (await cancel(client, order)).status_code == 200

    again = await cancel(client, order)

    assert again.status_code == 409, again.text
    assert again.json()["type"].endswith("order-status-conflict")
    assert await variant_stock(sessionmaker, shop.variant_id) == 10


async def test_signed_in_buyer_cancels_their_cash_on_delivery_order_before_it_ships(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    shop = await open_shop(app, client, stock=10)
    buyer = await create_account(client)
    order = await placed_order(
        client,
        order_body(order_line(shop.variant_id, 3), payment_method="cod"),
        headers=buyer.headers,
    )

    response = await client.post(f"/api/v1/orders/{order['id']}/cancel", headers=buyer.headers)

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"
    assert [part["status"] for part in response.json()["seller_orders"]] == ["cancelled"]
    assert await variant_stock(sessionmaker, shop.variant_id) == 10


async def test_cancel_after_one_seller_shipped_is_409_already_shipped_and_changes_nothing(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given a cash on delivery order whose pepper part has shipped
    world = await place_two_seller_order(app, client)
    shipped = await ship_seller_order(client, world.pepper.owner, world.part_of(world.pepper))
    assert shipped.status_code == 200, shipped.text

    # when the buyer cancels
    response = await cancel(client, world.order)

    # then it is refused, and the honey part is still to ship with its stock still held
    assert response.status_code == 409, response.text
    assert response.json()["type"].endswith("order-already-shipped")
    order = await read_guest_order(client, world.order)
    assert order["status"] == "processing"
    statuses = {part["seller"]["name"]: part["status"] for part in order["seller_orders"]}
    assert statuses == {"KIM Lada Muntok": "shipped", "KUB Madu Pelawan": "to_ship"}
    assert await variant_stock(sessionmaker, world.pepper.variant_id) == 8
    assert await variant_stock(sessionmaker, world.honey.variant_id) == 4


async def test_admin_cancels_a_buyers_order(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    shop = await open_shop(app, client, stock=10)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 2)))

    response = await client.post(f"/api/v1/orders/{order['id']}/cancel", headers=shop.admin.headers)

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"
    assert await variant_stock(sessionmaker, shop.variant_id) == 10


async def test_cancelling_a_paid_order_returns_stock_and_marks_the_payment_refunded(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given a bank transfer order the admin confirmed as paid
    shop = await open_shop(app, client, stock=10)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 2)))
    assert (await confirm_payment(client, shop.admin, order["payment"]["id"])).status_code == 200

    # when the buyer cancels before anything ships
    response = await cancel(client, order)

    # then the order is cancelled, refunded, and the stock is back
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"
    assert response.json()["payment_status"] == "refunded"
    assert await variant_stock(sessionmaker, shop.variant_id) == 10


# --- Payment ---------------------------------------------------------------------------------


async def test_admin_confirms_a_bank_transfer_and_the_order_is_paid_and_to_ship(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a pending bank transfer order across two sellers
    world = await place_two_seller_order(app, client, payment_method="bank_transfer")
    assert [part["status"] for part in world.order["seller_orders"]] == ["pending", "pending"]

    # when the admin confirms the transfer arrived
    response = await confirm_payment(client, world.pepper.admin, world.order["payment"]["id"])

    # then the payment is paid, and the order is processing with both parts to ship
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "paid"
    assert response.json()["amount"] == 254_000 + world.order["payment"]["unique_code"]
    order = await read_guest_order(client, world.order)
    assert (order["status"], order["payment_status"]) == ("processing", "paid")
    assert order["expires_at"] is None
    assert [part["status"] for part in order["seller_orders"]] == ["to_ship", "to_ship"]


async def test_confirming_a_transfer_twice_is_409(app: FastAPI, client: AsyncClient) -> None:
    shop = await open_shop(app, client)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    assert (await confirm_payment(client, shop.admin, order["payment"]["id"])).status_code == 200

    again = await confirm_payment(client, shop.admin, order["payment"]["id"])

    assert again.status_code == 409, again.text
    assert again.json()["type"].endswith("order-status-conflict")


async def test_confirming_a_cash_on_delivery_payment_is_409(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    order = await placed_order(
        client, order_body(order_line(shop.variant_id, 1), payment_method="cod")
    )

    response = await confirm_payment(client, shop.admin, order["payment"]["id"])

    assert response.status_code == 409, response.text
    assert (await read_guest_order(client, order))["payment_status"] == "unpaid"


async def test_transfer_confirmed_after_the_buyer_cancelled_never_revives_the_order(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given a bank transfer order the buyer cancelled
    shop = await open_shop(app, client, stock=10)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 2)))
    assert (await cancel(client, order)).status_code == 200

    # when the admin confirms its transfer anyway (the money came late)
    response = await confirm_payment(client, shop.admin, order["payment"]["id"])

    # then the order stays cancelled with its stock back on sale, and the money is not kept
    assert response.status_code in (200, 409), response.text
    final = await read_guest_order(client, order)
    assert final["status"] == "cancelled"
    assert final["payment_status"] != "paid"
    assert await variant_stock(sessionmaker, shop.variant_id) == 10


async def test_only_admins_confirm_payments_and_unknown_payments_are_404(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 1)))

    as_seller = await confirm_payment(client, shop.owner, order["payment"]["id"])
    unknown = await confirm_payment(client, shop.admin, "01a21abd-4720-7b56-aef0-3a8584a1bd36")

    assert (as_seller.status_code, unknown.status_code) == (403, 404)
    assert (await read_guest_order(client, order))["payment_status"] == "unpaid"


# --- Shipping and delivery -------------------------------------------------------------------


async def test_shipping_before_the_order_is_paid_is_409(app: FastAPI, client: AsyncClient) -> None:
    # given an unpaid bank transfer order: its seller-order is pending
    shop = await open_shop(app, client)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    part_id = order["seller_orders"][0]["id"]

    response = await ship_seller_order(client, shop.owner, part_id)

    assert response.status_code == 409, response.text
    assert response.json()["type"].endswith("order-status-conflict")
    assert (await read_guest_order(client, order))["seller_orders"][0]["status"] == "pending"


async def test_staff_member_ships_with_courier_and_tracking_and_the_buyer_sees_them(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a cash on delivery order and a staff member of the seller
    shop = await open_shop(app, client)
    staff = await create_account(client)
    await add_member(client, shop.owner, shop.seller_id, staff.email)
    order = await placed_order(
        client, order_body(order_line(shop.variant_id, 2), payment_method="cod")
    )
    part_id = order["seller_orders"][0]["id"]

    # when the staff member ships it with J&T
    response = await ship_seller_order(
        client, staff, part_id, courier="J&T Express", tracking_number="JP1234567890"
    )

    # then the part is shipped with that courier and number, which the buyer sees
    assert response.status_code == 200, response.text
    shipped = response.json()
    assert shipped["status"] == "shipped"
    assert (shipped["courier"], shipped["tracking_number"]) == ("J&T Express", "JP1234567890")
    assert shipped["shipped_at"] is not None
    assert shipped["order_number"] == order["number"]
    [part] = (await read_guest_order(client, order))["seller_orders"]
    assert (part["status"], part["tracking_number"]) == ("shipped", "JP1234567890")


async def test_shipping_twice_is_409_and_keeps_the_first_tracking_number(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    order = await placed_order(
        client, order_body(order_line(shop.variant_id, 1), payment_method="cod")
    )
    part_id = order["seller_orders"][0]["id"]
    assert (await ship_seller_order(client, shop.owner, part_id)).status_code == 200

    again = await ship_seller_order(client, shop.owner, part_id, tracking_number="JNE999")

    assert again.status_code == 409, again.text
    [part] = (await read_guest_order(client, order))["seller_orders"]
    assert part["tracking_number"] == "JNE0012345678"


async def test_shipping_needs_a_courier_and_a_tracking_number(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    order = await placed_order(
        client, order_body(order_line(shop.variant_id, 1), payment_method="cod")
    )
    url = f"/api/v1/seller-orders/{order['seller_orders'][0]['id']}/ship"

    no_tracking = await client.post(url, json={"courier": "JNE"}, headers=shop.owner.headers)
    blank_courier = await client.post(
        url, json={"courier": "  ", "tracking_number": "JNE1"}, headers=shop.owner.headers
    )

    assert no_tracking.status_code == 422
    assert ["body", "tracking_number"] in [e["loc"] for e in no_tracking.json()["errors"]]
    assert blank_courier.status_code == 422
    assert ["body", "courier"] in [e["loc"] for e in blank_courier.json()["errors"]]
    assert (await read_guest_order(client, order))["seller_orders"][0]["status"] == "to_ship"


async def test_delivering_before_shipping_is_409(app: FastAPI, client: AsyncClient) -> None:
    shop = await open_shop(app, client)
    order = await placed_order(
        client, order_body(order_line(shop.variant_id, 1), payment_method="cod")
    )

    response = await deliver(client, order["seller_orders"][0]["id"], shop.owner.headers)

    assert response.status_code == 409, response.text
    assert (await read_guest_order(client, order))["seller_orders"][0]["status"] == "to_ship"


async def test_buyer_confirms_receipt_and_a_single_seller_order_completes(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a paid order whose only part has shipped
    shop = await open_shop(app, client)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    assert (await confirm_payment(client, shop.admin, order["payment"]["id"])).status_code == 200
    part_id = order["seller_orders"][0]["id"]
    assert (await ship_seller_order(client, shop.owner, part_id)).status_code == 200

    # when the guest confirms receipt with the order token
    response = await deliver(client, part_id, guest_headers(order))

    # then the part is delivered and the order complete
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "delivered"
    assert response.json()["delivered_at"] is not None
    final = await read_guest_order(client, order)
    assert (final["status"], final["payment_status"]) == ("completed", "paid")
    assert final["completed_at"] is not None


async def test_order_completes_only_when_every_seller_order_is_delivered(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a paid order from two sellers, both shipped
    world = await place_two_seller_order(app, client, payment_method="bank_transfer")
    paid = await confirm_payment(client, world.pepper.admin, world.order["payment"]["id"])
    assert paid.status_code == 200
    pepper_part, honey_part = world.part_of(world.pepper), world.part_of(world.honey)
    assert (await ship_seller_order(client, world.pepper.owner, pepper_part)).status_code == 200
    assert (await ship_seller_order(client, world.honey.owner, honey_part)).status_code == 200

    # when the pepper seller marks its parcel delivered
    first = await deliver(client, pepper_part, world.pepper.owner.headers)

    # then the order is still processing
    assert first.status_code == 200, first.text
    assert (await read_guest_order(client, world.order))["status"] == "processing"

    # when the buyer confirms the honey too
    second = await deliver(client, honey_part, guest_headers(world.order))

    # then the order is complete
    assert second.status_code == 200, second.text
    final = await read_guest_order(client, world.order)
    assert final["status"] == "completed"
    assert [part["status"] for part in final["seller_orders"]] == ["delivered", "delivered"]


async def test_cash_on_delivery_order_delivered_by_every_seller_is_paid_and_completed(
    app: FastAPI, client: AsyncClient
) -> None:
    world = await place_two_seller_order(app, client, payment_method="cod")
    for shop in (world.pepper, world.honey):
        part_id = world.part_of(shop)
        assert (await ship_seller_order(client, shop.owner, part_id)).status_code == 200
        assert (await deliver(client, part_id, shop.owner.headers)).status_code == 200

    final = await read_guest_order(client, world.order)

    assert (final["status"], final["payment_status"]) == ("completed", "paid")
    assert (final["payment"]["method"], final["payment"]["status"]) == ("cod", "paid")


async def test_delivering_a_delivered_part_again_is_409_and_so_is_confirming_twice(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a cash on delivery part the seller has delivered (and collected the cash of)
    shop = await open_shop(app, client)
    order = await placed_order(
        client, order_body(order_line(shop.variant_id, 1), payment_method="cod")
    )
    part_id = order["seller_orders"][0]["id"]
    assert (await ship_seller_order(client, shop.owner, part_id)).status_code == 200
    assert (await deliver(client, part_id, shop.owner.headers)).status_code == 200

    # when the seller delivers it again, then it is a conflict
    assert (await deliver(client, part_id, shop.owner.headers)).status_code == 409

    # when the buyer confirms receipt, it is recorded once; a second confirmation is 409
    assert (await deliver(client, part_id, guest_headers(order))).status_code == 200
    again = await deliver(client, part_id, guest_headers(order))
    assert again.status_code == 409, again.text
    assert again.json()["type"].endswith("receipt-not-confirmable")
    assert (await read_guest_order(client, order))["status"] == "completed"


async def test_who_may_ship_and_deliver_a_seller_order(app: FastAPI, client: AsyncClient) -> None:
    # given a cash on delivery order of Siti's across two sellers
    world = await place_two_seller_order(app, client)
    pepper_part = world.part_of(world.pepper)
    stranger = await create_account(client)
    siti = await create_account(client)
    sitis = await placed_order(
        client,
        order_body(order_line(world.pepper.variant_id, 1), payment_method="cod"),
        headers=siti.headers,
    )
    sitis_part = sitis["seller_orders"][0]["id"]

    # when people other than the pepper seller's members try to ship its parts
    anonymous = await client.post(
        f"/api/v1/seller-orders/{pepper_part}/ship",
        json={"courier": "JNE", "tracking_number": "JNE1"},
    )
    by_stranger = await ship_seller_order(client, stranger, pepper_part)
    by_other_seller = await ship_seller_order(client, world.honey.owner, pepper_part)
    by_buyer = await ship_seller_order(client, siti, sitis_part)
    delivered_by_stranger = await deliver(client, pepper_part, stranger.headers)
    delivered_by_other_seller = await deliver(client, pepper_part, world.honey.owner.headers)

    # then: no token 401, those who may not see it 404, the buyer who sees it 403
    assert anonymous.status_code == 401
    assert by_stranger.status_code == 404
    assert by_stranger.json()["type"].endswith("seller-order-not-found")
    assert by_other_seller.status_code == 404
    assert by_buyer.status_code == 403
    assert delivered_by_stranger.status_code == 404
    assert delivered_by_other_seller.status_code == 404
    order = await read_guest_order(client, world.order)
    assert [part["status"] for part in order["seller_orders"]] == ["to_ship", "to_ship"]
