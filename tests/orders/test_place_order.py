"""POST /orders: one checkout across sellers, priced in whole rupiah from the shipping rate
table, for guests (who get an order token) and signed-in buyers."""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.core.formatting import WIB, format_rupiah
from marketplace.orders.models import IdempotencyRecord, Order, ShippingRate
from tests.factories import (
    create_account,
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

ORDER_NUMBER = re.compile(r"^BB(\d{6})-[ACDEFGHJKLMNPQRTUVWXY34679]{6}$")


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


async def test_guest_bank_transfer_order_reserves_stock_and_adds_up_in_whole_rupiah(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given 10 packs of pepper at Rp 55.000, 270 g each
    shop = await open_shop(app, client, stock=10, price=55_000, weight_grams=270)

    # when a guest orders 2 packs to Pangkalpinang, paying by bank transfer
    order = await placed_order(client, order_body(order_line(shop.variant_id, 2)))

    # then two packs are reserved and the order is priced 110.000 + 12.000 (540 g on Bangka)
    assert await variant_stock(sessionmaker, shop.variant_id) == 8
    assert order["status"] == "pending"
    assert order["payment_status"] == "unpaid"
    assert order["payment_method"] == "bank_transfer"
    assert order["currency"] == "IDR"
    assert (order["subtotal"], order["shipping_total"], order["total"]) == (
        110_000,
        12_000,
        122_000,
    )
    assert order["items"] == [
        {
            "variant_id": shop.variant_id,
            "product_id": shop.product_id,
            "title": "Lada Putih Muntok - 250 g",
            "sku": None,
            "quantity": 2,
            "unit_price": 55_000,
            "line_total": 110_000,
            "currency": "IDR",
        }
    ]
    [part] = order["seller_orders"]
    assert part["seller"] == {"id": shop.seller_id, "name": "KIM Lada Muntok"}
    assert part["status"] == "pending"
    assert (part["subtotal"], part["shipping"], part["weight_grams"]) == (110_000, 12_000, 540)
    assert part["order_number"] == order["number"]
    assert [item["variant_id"] for item in part["items"]] == [shop.variant_id]
    assert order["shipping_address"]["region_code"] == "19.71"
    payment = order["payment"]
    assert (payment["method"], payment["status"], payment["amount"]) == (
        "bank_transfer",
        "pending",
        122_000 + payment["unique_code"],
    )
    assert 1 <= payment["unique_code"] <= 999
    assert payment["client_secret"] is None


async def test_bank_transfer_order_waits_a_day_with_instructions_naming_amount_and_reference(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a product for sale
    shop = await open_shop(app, client)

    # when a guest orders by bank transfer
    order = await placed_order(client, order_body(order_line(shop.variant_id, 2)))

    # then the instructions ask for exactly Rp 122.000 plus the unique code, with the order
    # number as reference
    instructions = order["payment"]["instructions"]
    amount = 122_000 + order["payment"]["unique_code"]
    assert instructions["amount"] == amount
    assert (instructions["order_total"], instructions["unique_code"]) == (
        122_000,
        order["payment"]["unique_code"],
    )
    assert instructions["currency"] == "IDR"
    assert instructions["reference"] == order["number"]
    assert instructions["bank_name"] == "Bank Sumsel Babel"
    assert instructions["account_number"] == "150.00.12345.6"
    assert f"Transfer tepat {format_rupiah(amount)}" in instructions["text"]
    assert f"dengan berita {order['number']}" in instructions["text"]
    # and the stock is held for the default 24 hours
    waited = parse_time(order["expires_at"]) - parse_time(order["created_at"])
    assert timedelta(hours=23, minutes=59) < waited <= timedelta(hours=24, seconds=5)


async def test_order_in_english_gets_english_payment_instructions(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)

    order = await placed_order(client, order_body(order_line(shop.variant_id, 2), language="en"))

    amount = format_rupiah(order["payment"]["amount"])
    assert order["payment"]["instructions"]["text"].startswith(f"Transfer exactly {amount} to")


async def test_cash_on_delivery_order_goes_straight_to_processing_with_parts_to_ship(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given a product with 10 in stock
    shop = await open_shop(app, client, stock=10)

    # when a guest orders 3 cash on delivery
    order = await placed_order(
        client, order_body(order_line(shop.variant_id, 3), payment_method="cod")
    )

    # then the order is processing (unpaid until the cash is collected) and never expires
    assert order["status"] == "processing"
    assert order["payment_status"] == "unpaid"
    assert order["expires_at"] is None
    assert [part["status"] for part in order["seller_orders"]] == ["to_ship"]
    payment = order["payment"]
    assert (payment["method"], payment["status"], payment["amount"]) == ("cod", "pending", 177_000)
    assert payment["instructions"] is None
    assert await variant_stock(sessionmaker, shop.variant_id) == 7


async def test_card_payment_without_a_configured_stripe_key_is_503_and_reserves_nothing(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    shop = await open_shop(app, client, stock=10)

    response = await place_order(
        client, order_body(order_line(shop.variant_id, 2), payment_method="stripe")
    )

    assert response.status_code == 503, response.text
    assert response.json()["type"].endswith("/payment-provider-unavailable")
    assert await variant_stock(sessionmaker, shop.variant_id) == 10


async def test_signed_in_buyer_gets_no_access_token_and_sees_the_order_with_a_bearer_token(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given a product and a signed-in buyer
    shop = await open_shop(app, client)
    buyer = await create_account(client)

    # when the buyer orders
    order = await placed_order(
        client, order_body(order_line(shop.variant_id, 1)), headers=buyer.headers
    )

    # then there is no guest token, none is stored, and the bearer token opens the order
    assert order.get("access_token") is None
    async with sessionmaker() as session:
        row = await session.get(Order, uuid.UUID(order["id"]))
    assert row is not None
    assert row.access_token_hash is None
    assert str(row.buyer_user_id) == buyer.id
    seen = await client.get(f"/api/v1/orders/{order['id']}", headers=buyer.headers)
    assert seen.status_code == 200
    assert seen.json()["number"] == order["number"]


async def test_guest_token_opens_the_order_once_shown_and_only_its_sha256_is_stored(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given a guest order
    shop = await open_shop(app, client)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 2)))
    token = order["access_token"]
    assert isinstance(token, str)
    assert len(token) >= 32

    # when the guest reads the order with the token
    seen = await client.get(f"/api/v1/orders/{order['id']}", headers={"X-Order-Token": token})

    # then it opens, and reading it does not show the token again
    assert seen.status_code == 200
    assert seen.json()["id"] == order["id"]
    assert seen.json()["access_token"] is None
    # and the database keeps only the token's SHA-256, nowhere the token itself
    async with sessionmaker() as session:
        row = await session.get(Order, uuid.UUID(order["id"]))
        records = list((await session.scalars(select(IdempotencyRecord))).all())
    assert row is not None
    assert row.access_token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [getattr(row, column.key) for column in Order.__table__.columns]
    assert all(token not in str(value) for value in stored)
    assert all(token not in record.response_body for record in records)


async def test_order_number_is_bb_the_wib_date_and_six_unambiguous_characters(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client, stock=20)

    orders = [
        await placed_order(client, order_body(order_line(shop.variant_id, 1))) for _ in range(3)
    ]

    for order in orders:
        match = ORDER_NUMBER.match(order["number"])
        assert match is not None, order["number"]
        placed_on = parse_time(order["created_at"]).astimezone(WIB).strftime("%y%m%d")
        assert match.group(1) == placed_on
    assert len({order["number"] for order in orders}) == 3


async def test_buyer_and_recipient_phones_are_normalised_to_plus_62(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    body = order_body(
        order_line(shop.variant_id, 1),
        buyer={"name": "Siti Aminah", "email": "siti@contoh.id", "phone": "0812 3456 7890"},
        shipping_address=shipping_address(phone="62 819-1111-2222"),
    )

    order = await placed_order(client, body)

    assert order["buyer"]["phone"] == "+6281234567890"
    assert order["shipping_address"]["phone"] == "+6281911112222"


async def test_cart_across_two_sellers_makes_one_seller_order_per_seller_with_its_own_lines(
    app: FastAPI, client: AsyncClient
) -> None:
    # given pepper (55.000, 270 g) and crackers (25.000, 150 g) from KIM Lada Muntok
    # and forest honey (120.000, 500 g) from KUB Madu Pelawan
    pepper = await open_shop(app, client, price=55_000, weight_grams=270)
    crackers = await create_published_product(
        client,
        pepper.owner,
        pepper.seller_id,
        title="Kemplang Ikan Tenggiri",
        variants=[variant_body("200 g", price=25_000, stock=10, weight_grams=150)],
    )
    honey = await open_shop(
        app,
        client,
        admin=pepper.admin,
        seller_name="KUB Madu Pelawan",
        title="Madu Pelawan",
        price=120_000,
        weight_grams=500,
    )

    # when a guest buys 2 pepper, 1 honey and 4 crackers in one checkout
    order = await placed_order(
        client,
        order_body(
            order_line(pepper.variant_id, 2),
            order_line(honey.variant_id, 1),
            order_line(crackers["variants"][0]["id"], 4),
        ),
    )

    # then each seller gets its own part, priced by its own parcel's weight
    parts = {part["seller"]["name"]: part for part in order["seller_orders"]}
    assert set(parts) == {"KIM Lada Muntok", "KUB Madu Pelawan"}
    lada, madu = parts["KIM Lada Muntok"], parts["KUB Madu Pelawan"]
    assert [item["title"] for item in lada["items"]] == [
        "Lada Putih Muntok - 250 g",
        "Kemplang Ikan Tenggiri - 200 g",
    ]
    # 540 g + 600 g = 1.14 kg: the up-to-3-kg tier on Bangka
    assert (lada["subtotal"], lada["weight_grams"], lada["shipping"]) == (210_000, 1_140, 25_000)
    assert [item["title"] for item in madu["items"]] == ["Madu Pelawan - 250 g"]
    assert (madu["subtotal"], madu["weight_grams"], madu["shipping"]) == (120_000, 500, 12_000)
    # and the order adds the parts up, keeping the lines in the order they were sent
    assert (order["subtotal"], order["shipping_total"], order["total"]) == (
        330_000,
        37_000,
        367_000,
    )
    assert [item["quantity"] for item in order["items"]] == [2, 1, 4]
    for field in ("subtotal", "shipping_total", "total"):
        assert type(order[field]) is int


@pytest.mark.parametrize(
    ("city", "region_code", "quantity", "expected_region", "expected_shipping"),
    [
        pytest.param("Kota Pangkalpinang", None, 2, "19.71", 12_000, id="pangkalpinang-1kg"),
        pytest.param("Pangkalpinang", None, 4, "19.71", 25_000, id="pangkalpinang-3kg"),
        pytest.param("Tanjung Pandan", None, 2, "19.02", 18_000, id="belitung-seat-town"),
        pytest.param("Kabupaten Belitung Timur", None, 12, "19.06", 52_000, id="belitung-5kg"),
        pytest.param("Muntok", None, 2, "19.05", 12_000, id="bangka-barat-seat-town"),
        pytest.param("Pangkal Pinang", None, 2, "19.71", 12_000, id="city-name-with-a-space"),
        pytest.param("TANJUNGPANDAN", None, 2, "19.02", 18_000, id="seat-town-in-one-word"),
        pytest.param("Kab. Bangka Selatan", None, 2, "19.03", 12_000, id="kab-abbreviation"),
        pytest.param("Jakarta", None, 2, None, 30_000, id="outside-province"),
        pytest.param("Jakarta Selatan", None, 18, None, 90_000, id="outside-5kg"),
        pytest.param("Desa Lalang", "19.06", 2, "19.06", 18_000, id="explicit-region-code"),
    ],
)
async def test_shipping_is_priced_by_destination_regency_and_weight_tier(
    app: FastAPI,
    client: AsyncClient,
    city: str,
    region_code: str | None,
    quantity: int,
    expected_region: str | None,
    expected_shipping: int,
) -> None:
    # given 270 g packs of pepper
    shop = await open_shop(app, client, stock=50, weight_grams=270)
    address = shipping_address(city=city)
    if region_code is not None:
        address["region_code"] = region_code

    # when a guest orders ``quantity`` packs to ``city``
    order = await placed_order(
        client, order_body(order_line(shop.variant_id, quantity), shipping_address=address)
    )

    # then the seeded rate of that regency and weight tier applies
    assert order["shipping_address"]["region_code"] == expected_region
    assert order["shipping_total"] == expected_shipping
    assert order["seller_orders"][0]["shipping"] == expected_shipping
    assert order["total"] == 55_000 * quantity + expected_shipping


@pytest.mark.parametrize(
    ("city", "quantity", "expected_shipping"),
    [
        # exactly 10 kg: the top tier
        pytest.param("Kota Pangkalpinang", 4, 65_000, id="bangka-10kg"),
        # 12.5 kg: 65.000 + 3 started kilos x 6.500
        pytest.param("Kota Pangkalpinang", 5, 84_500, id="bangka-12.5kg"),
        # 12.5 kg outside the province: 160.000 + 3 x 16.000
        pytest.param("Jakarta", 5, 208_000, id="outside-12.5kg"),
    ],
)
async def test_parcel_beyond_ten_kilos_pays_the_top_tier_per_started_extra_kilo(
    app: FastAPI, client: AsyncClient, city: str, quantity: int, expected_shipping: int
) -> None:
    # given 2.5 kg sacks of pepper
    shop = await open_shop(app, client, stock=10, price=300_000, weight_grams=2_500)

    order = await placed_order(
        client,
        order_body(
            order_line(shop.variant_id, quantity), shipping_address=shipping_address(city=city)
        ),
    )

    assert order["shipping_total"] == expected_shipping
    assert order["total"] == 300_000 * quantity + expected_shipping


async def test_pickup_orders_pay_no_shipping(app: FastAPI, client: AsyncClient) -> None:
    shop = await open_shop(app, client)

    order = await placed_order(
        client,
        order_body(
            order_line(shop.variant_id, 2),
            shipping_method="pickup",
            shipping_address=shipping_address(city="Jakarta"),
        ),
    )

    assert order["shipping_method"] == "pickup"
    assert (order["subtotal"], order["shipping_total"], order["total"]) == (110_000, 0, 110_000)
    assert order["seller_orders"][0]["shipping"] == 0


async def test_admin_edited_rate_table_prices_the_next_order(
    app: FastAPI, client: AsyncClient
) -> None:
    # given an admin replaces the table: Pangkalpinang 9.000 up to 2 kg, elsewhere 40.000
    shop = await open_shop(app, client)
    table = {
        "rates": [
            {"region_code": "19.71", "max_weight_grams": 2_000, "price": 9_000},
            {"region_code": None, "max_weight_grams": 5_000, "price": 40_000},
        ]
    }
    replaced = await client.put(
        "/api/v1/admin/shipping-rates", json=table, headers=shop.admin.headers
    )
    assert replaced.status_code == 200, replaced.text

    # when guests order to Pangkalpinang and to Tanjung Pandan (no rate of its own any more)
    city_order = await placed_order(client, order_body(order_line(shop.variant_id, 2)))
    belitung_order = await placed_order(
        client,
        order_body(
            order_line(shop.variant_id, 2),
            shipping_address=shipping_address(city="Tanjung Pandan"),
        ),
    )

    # then the new rates apply, and a regency without rates falls back to the general ones
    assert city_order["shipping_total"] == 9_000
    assert belitung_order["shipping_total"] == 40_000


async def test_rates_another_instance_wrote_price_the_next_order_here(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given this instance has priced an order with the seeded rates (and keeps them in memory)
    shop = await open_shop(app, client)
    before = await placed_order(client, order_body(order_line(shop.variant_id, 2)))
    assert before["shipping_total"] == 12_000

    # when another instance replaces the table (straight in the shared database)
    async with sessionmaker() as session, session.begin():
        await session.execute(delete(ShippingRate))
        session.add(ShippingRate(region_code=None, max_weight_grams=5_000, price=31_000))

    # then the next order here is priced with the new table
    after = await placed_order(client, order_body(order_line(shop.variant_id, 2)))
    assert after["shipping_total"] == 31_000


async def test_rate_table_with_an_unknown_regency_is_422_naming_the_row_and_changes_nothing(
    app: FastAPI, client: AsyncClient
) -> None:
    # (runs after the test above replaced the table: the harness put the migration's rates back)
    shop = await open_shop(app, client)
    table = {
        "rates": [
            {"region_code": "19.71", "max_weight_grams": 2_000, "price": 9_000},
            {"region_code": "19.99", "max_weight_grams": 2_000, "price": 9_000},
        ]
    }

    response = await client.put(
        "/api/v1/admin/shipping-rates", json=table, headers=shop.admin.headers
    )

    assert response.status_code == 422, response.text
    assert [error["loc"] for error in response.json()["errors"]] == [
        ["body", "rates", 1, "region_code"]
    ]
    order = await placed_order(client, order_body(order_line(shop.variant_id, 2)))
    assert order["shipping_total"] == 12_000


async def test_rate_table_is_only_for_admins(app: FastAPI, client: AsyncClient) -> None:
    shop = await open_shop(app, client)

    as_seller = await client.get("/api/v1/admin/shipping-rates", headers=shop.owner.headers)
    as_admin = await client.get("/api/v1/admin/shipping-rates", headers=shop.admin.headers)

    assert as_seller.status_code == 403
    assert as_admin.status_code == 200
    rates: list[dict[str, Any]] = as_admin.json()
    assert {
        "region_code": "19.71",
        "max_weight_grams": 1_000,
        "price": 12_000,
        "currency": "IDR",
    } in rates
    assert {
        "region_code": None,
        "max_weight_grams": 1_000,
        "price": 30_000,
        "currency": "IDR",
    } in rates
