"""POST /orders refuses bad input with a 422 naming the field, and a cart it cannot fill with a
409 naming the short variants; in every case nothing is reserved and no order exists."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.orders.models import Order
from tests.factories import (
    Shop,
    change_seller_status,
    count_rows,
    create_product,
    create_published_product,
    open_shop,
    order_body,
    order_line,
    place_order,
    shipping_address,
    variant_body,
    variant_stock,
)

BodyOf = Callable[[Shop], dict[str, Any]]


def error_locations(response_json: dict[str, Any]) -> list[list[Any]]:
    return [error["loc"] for error in response_json["errors"]]


def with_items(*items: Any) -> dict[str, Any]:
    return order_body(*items)


@pytest.mark.parametrize(
    ("make_body", "location"),
    [
        pytest.param(
            lambda shop: with_items(order_line(shop.variant_id, 0)),
            ["body", "items", 0, "quantity"],
            id="quantity-0",
        ),
        pytest.param(
            lambda shop: with_items(order_line(shop.variant_id, 1000)),
            ["body", "items", 0, "quantity"],
            id="quantity-1000",
        ),
        pytest.param(
            lambda shop: with_items({"variant_id": shop.variant_id, "quantity": "2"}),
            ["body", "items", 0, "quantity"],
            id="quantity-as-string",
        ),
        pytest.param(
            lambda shop: with_items({"variant_id": shop.variant_id, "quantity": 1.5}),
            ["body", "items", 0, "quantity"],
            id="quantity-fraction",
        ),
        pytest.param(lambda shop: with_items(), ["body", "items"], id="no-items"),
        pytest.param(
            lambda shop: with_items(*[order_line(shop.variant_id, 1)] * 51),
            ["body", "items"],
            id="51-lines",
        ),
        pytest.param(
            lambda shop: with_items({"variant_id": "lada", "quantity": 1}),
            ["body", "items", 0, "variant_id"],
            id="variant-id-not-a-uuid",
        ),
        pytest.param(
            lambda shop: order_body(
                order_line(shop.variant_id, 1),
                shipping_address=shipping_address(postal_code="3312"),
            ),
            ["body", "shipping_address", "postal_code"],
            id="postal-code-four-digits",
        ),
        pytest.param(
            lambda shop: order_body(
                order_line(shop.variant_id, 1),
                shipping_address=shipping_address(postal_code="abcde"),
            ),
            ["body", "shipping_address", "postal_code"],
            id="postal-code-letters",
        ),
        pytest.param(
            lambda shop: order_body(
                order_line(shop.variant_id, 1),
                buyer={"name": "Budi", "email": "budi@contoh.id", "phone": "12345"},
            ),
            ["body", "buyer", "phone"],
            id="phone-12345",
        ),
        pytest.param(
            lambda shop: order_body(
                order_line(shop.variant_id, 1),
                shipping_address=shipping_address(phone="+6512345678"),
            ),
            ["body", "shipping_address", "phone"],
            id="phone-of-singapore",
        ),
        pytest.param(
            lambda shop: order_body(
                order_line(shop.variant_id, 1),
                buyer={"name": "Budi", "email": "bukan-email", "phone": "081234567890"},
            ),
            ["body", "buyer", "email"],
            id="email-malformed",
        ),
        pytest.param(
            lambda shop: {
                key: value
                for key, value in order_body(order_line(shop.variant_id, 1)).items()
                if key != "buyer"
            },
            ["body", "buyer"],
            id="buyer-missing",
        ),
        pytest.param(
            lambda shop: order_body(order_line(shop.variant_id, 1), payment_method="gopay"),
            ["body", "payment_method"],
            id="payment-method-unknown",
        ),
        pytest.param(
            lambda shop: order_body(order_line(shop.variant_id, 1), shipping_method="drone"),
            ["body", "shipping_method"],
            id="shipping-method-unknown",
        ),
        pytest.param(
            lambda shop: order_body(
                order_line(shop.variant_id, 1),
                shipping_address=shipping_address(region_code="19.99"),
            ),
            ["body", "shipping_address", "region_code"],
            id="region-code-unknown",
        ),
        pytest.param(
            lambda shop: with_items(order_line(shop.variant_id, 1), order_line(shop.variant_id, 2)),
            ["body", "items", 1, "variant_id"],
            id="duplicate-variant-lines",
        ),
        pytest.param(
            lambda shop: with_items(
                order_line(shop.variant_id, 1), order_line(str(uuid.uuid4()), 1)
            ),
            ["body", "items", 1, "variant_id"],
            id="variant-unknown",
        ),
    ],
)
async def test_invalid_order_is_422_naming_the_field_and_reserves_nothing(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    make_body: BodyOf,
    location: list[Any],
) -> None:
    # given a product with 10 in stock
    shop = await open_shop(app, client, stock=10)

    # when a guest sends an order with one thing wrong
    response = await place_order(client, make_body(shop))

    # then it is a problem naming that field, and nothing was ordered or reserved
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert location in error_locations(response.json())
    assert await variant_stock(sessionmaker, shop.variant_id) == 10
    assert await count_rows(sessionmaker, Order) == 0


async def test_order_without_idempotency_key_is_422_and_reserves_nothing(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    shop = await open_shop(app, client, stock=10)

    response = await client.post("/api/v1/orders", json=order_body(order_line(shop.variant_id, 1)))

    assert response.status_code == 422, response.text
    assert ["header", "Idempotency-Key"] in error_locations(response.json())
    assert await variant_stock(sessionmaker, shop.variant_id) == 10
    assert await count_rows(sessionmaker, Order) == 0


async def _unsellable_variant(client: AsyncClient, shop: Shop, state: str) -> str:
    """A variant of a second product of ``shop`` that is a draft or archived."""
    product = await create_product(
        client,
        shop.owner,
        shop.seller_id,
        title="Terasi Udang Toboali",
        variants=[variant_body("100 g", price=15_000, stock=20)],
    )
    if state == "archived":
        published = await create_published_product(
            client,
            shop.owner,
            shop.seller_id,
            title="Getas Ikan",
            variants=[variant_body("250 g", price=20_000, stock=20)],
        )
        archived = await client.post(
            f"/api/v1/products/{published['id']}/archive", headers=shop.owner.headers
        )
        assert archived.status_code == 200, archived.text
        product = published
    variant_id: str = product["variants"][0]["id"]
    return variant_id


@pytest.mark.parametrize("state", ["draft", "archived"])
async def test_line_of_a_product_not_on_sale_is_422_naming_that_line(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], state: str
) -> None:
    # given a published pepper with 10 in stock and a shrimp paste that is a draft or archived
    shop = await open_shop(app, client, stock=10)
    unsellable = await _unsellable_variant(client, shop, state)

    # when a guest orders both
    response = await place_order(
        client, order_body(order_line(shop.variant_id, 1), order_line(unsellable, 1))
    )

    # then the second line is named, and the pepper's stock is untouched
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert [(error["loc"], error["type"]) for error in errors] == [
        (["body", "items", 1, "variant_id"], "variant_unavailable")
    ]
    assert await variant_stock(sessionmaker, shop.variant_id) == 10
    assert await variant_stock(sessionmaker, unsellable) == 20
    assert await count_rows(sessionmaker, Order) == 0


async def test_line_of_a_suspended_seller_is_422_and_reserves_nothing(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given two sellers, the second one suspended after listing honey
    pepper = await open_shop(app, client, stock=10)
    honey = await open_shop(
        app, client, admin=pepper.admin, seller_name="KUB Madu Pelawan", title="Madu", stock=5
    )
    await change_seller_status(
        client, pepper.admin, honey.seller_id, "suspend", reason="Izin usaha kedaluwarsa"
    )

    # when a guest orders honey first and pepper second
    response = await place_order(
        client, order_body(order_line(honey.variant_id, 1), order_line(pepper.variant_id, 1))
    )

    # then the honey line is refused and neither stock moved
    assert response.status_code == 422, response.text
    assert error_locations(response.json()) == [["body", "items", 0, "variant_id"]]
    assert await variant_stock(sessionmaker, pepper.variant_id) == 10
    assert await variant_stock(sessionmaker, honey.variant_id) == 5


async def test_cart_with_one_short_line_is_409_naming_it_and_reserves_no_line(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given pepper with 5 in stock and honey with only 1 left, from two sellers
    pepper = await open_shop(app, client, stock=5)
    honey = await open_shop(
        app, client, admin=pepper.admin, seller_name="KUB Madu Pelawan", title="Madu", stock=1
    )

    # when a guest orders 2 pepper and 3 honey
    response = await place_order(
        client, order_body(order_line(pepper.variant_id, 2), order_line(honey.variant_id, 3))
    )

    # then the honey is named as short, and the pepper was not taken either
    assert response.status_code == 409, response.text
    problem = response.json()
    assert problem["type"].endswith("insufficient-stock")
    assert problem["variants"] == [{"variant_id": honey.variant_id, "requested": 3, "available": 1}]
    assert await variant_stock(sessionmaker, pepper.variant_id) == 5
    assert await variant_stock(sessionmaker, honey.variant_id) == 1
    assert await count_rows(sessionmaker, Order) == 0


async def test_cart_with_every_line_short_names_every_variant(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    pepper = await open_shop(app, client, stock=1)
    honey = await open_shop(
        app, client, admin=pepper.admin, seller_name="KUB Madu Pelawan", title="Madu", stock=0
    )

    response = await place_order(
        client, order_body(order_line(pepper.variant_id, 2), order_line(honey.variant_id, 1))
    )

    assert response.status_code == 409, response.text
    short = {entry["variant_id"]: entry for entry in response.json()["variants"]}
    assert short == {
        pepper.variant_id: {"variant_id": pepper.variant_id, "requested": 2, "available": 1},
        honey.variant_id: {"variant_id": honey.variant_id, "requested": 1, "available": 0},
    }
    assert await variant_stock(sessionmaker, pepper.variant_id) == 1


async def test_order_for_exactly_the_stock_left_sells_it_out_and_the_next_is_409(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    shop = await open_shop(app, client, stock=3)

    first = await place_order(client, order_body(order_line(shop.variant_id, 3)))
    second = await place_order(client, order_body(order_line(shop.variant_id, 1)))

    assert first.status_code == 201, first.text
    assert second.status_code == 409, second.text
    assert second.json()["variants"] == [
        {"variant_id": shop.variant_id, "requested": 1, "available": 0}
    ]
    assert await variant_stock(sessionmaker, shop.variant_id) == 0
