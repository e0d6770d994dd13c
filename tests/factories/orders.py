"""Orders through the public API: a shop to buy from, placing, shipping, paying, guests."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient, Response
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.catalog.models import ProductVariant
from marketplace.orders.models import Order
from tests.factories.accounts import Account, create_account, unique_email
from tests.factories.catalog import create_published_product, set_up_catalog, variant_body

PANGKALPINANG_ADDRESS: dict[str, Any] = {
    "recipient": "Budi Santoso",
    "phone": "0812-3456-7890",
    "street": "Jl. Jenderal Sudirman No. 5",
    "village": "Batin Tikal",
    "district": "Taman Sari",
    "city": "Kota Pangkalpinang",
    "province": "Kepulauan Bangka Belitung",
    "postal_code": "33121",
}


GUEST_BUYER: dict[str, Any] = {
    "name": "Budi Santoso",
    "email": "budi@contoh.id",
    "phone": "081234567890",
}


@dataclass(frozen=True)
class Shop:
    """A verified seller with one published product of one variant, its owner and an admin."""

    admin: Account
    owner: Account
    seller_id: str
    product_id: str
    variant_id: str


async def open_shop(
    app: FastAPI,
    client: AsyncClient,
    *,
    admin: Account | None = None,
    seller_name: str = "KIM Lada Muntok",
    title: str = "Lada Putih Muntok",
    stock: int = 10,
    price: int = 55_000,
    weight_grams: int = 270,
    max_quantity_per_order: int = 1000,
) -> Shop:
    """A published product of one 250 g variant with ``stock`` units for sale; pass ``admin``
    of an earlier shop to open a second seller in the same world. The per-order cap is set
    high (1000) so tests of other rules may order any quantity."""
    setup = await set_up_catalog(app, client, admin=admin, seller_name=seller_name)
    product = await create_published_product(
        client,
        setup.owner,
        setup.seller_id,
        title=title,
        category=setup.category,
        variants=[variant_body("250 g", price=price, stock=stock, weight_grams=weight_grams)],
        max_quantity_per_order=max_quantity_per_order,
    )
    return Shop(
        admin=setup.admin,
        owner=setup.owner,
        seller_id=setup.seller_id,
        product_id=product["id"],
        variant_id=product["variants"][0]["id"],
    )


def order_line(variant_id: str, quantity: int = 2) -> dict[str, Any]:
    return {"variant_id": variant_id, "quantity": quantity}


def shipping_address(**changes: Any) -> dict[str, Any]:
    """An address in Pangkalpinang, with ``changes`` applied."""
    return {**PANGKALPINANG_ADDRESS, **changes}


def order_body(
    *lines: dict[str, Any], payment_method: str = "bank_transfer", **fields: Any
) -> dict[str, Any]:
    """A guest's checkout of ``lines`` shipped to Pangkalpinang; ``fields`` replace parts."""
    body: dict[str, Any] = {
        "items": list(lines),
        "buyer": dict(GUEST_BUYER),
        "shipping_address": shipping_address(),
        "payment_method": payment_method,
    }
    body.update(fields)
    return body


_COD_BUYER_HEADERS: dict[str, dict[str, str]] = {}


async def cod_buyer_headers(client: AsyncClient) -> dict[str, str]:
    buyer = await create_account(client, email=unique_email("pembeli-cod"))
    return buyer.headers


async def place_order(
    client: AsyncClient,
    body: dict[str, Any],
    *,
    key: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """POST /orders with a fresh Idempotency-Key unless ``key`` is given; not asserted.
    A cash-on-delivery body without ``Authorization`` is sent by a fresh verified buyer."""
    sent = {"Idempotency-Key": key or str(uuid.uuid4()), **(headers or {})}
    signed_in_for_cod = body.get("payment_method") == "cod" and "Authorization" not in sent
    if signed_in_for_cod:
        sent.update(await cod_buyer_headers(client))
    response = await client.post("/api/v1/orders", json=body, headers=sent)
    if signed_in_for_cod and response.status_code == 201:
        _COD_BUYER_HEADERS[response.json()["id"]] = {"Authorization": sent["Authorization"]}
    return response


async def placed_order(
    client: AsyncClient,
    body: dict[str, Any],
    *,
    key: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """POST /orders, asserting 201; the order as the response shows it."""
    response = await place_order(client, body, key=key, headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def variant_stock(sessionmaker: async_sessionmaker[AsyncSession], variant_id: str) -> int:
    async with sessionmaker() as session:
        stock = await session.scalar(
            select(ProductVariant.stock).where(ProductVariant.id == uuid.UUID(variant_id))
        )
    assert stock is not None
    return int(stock)


async def set_order_expiry(
    sessionmaker: async_sessionmaker[AsyncSession], order_id: str, expires_at: datetime
) -> None:
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(Order).where(Order.id == uuid.UUID(order_id)).values(expires_at=expires_at)
        )


async def ship_seller_order(
    client: AsyncClient,
    member: Account,
    seller_order_id: str,
    *,
    courier: str = "JNE",
    tracking_number: str = "JNE0012345678",
) -> Response:
    """POST /seller-orders/{id}/ship as ``member``; not asserted."""
    return await client.post(
        f"/api/v1/seller-orders/{seller_order_id}/ship",
        json={"courier": courier, "tracking_number": tracking_number},
        headers=member.headers,
    )


async def confirm_payment(client: AsyncClient, admin: Account, payment_id: str) -> Response:
    """POST /admin/payments/{id}/confirm (a bank transfer arrived); not asserted."""
    return await client.post(f"/api/v1/admin/payments/{payment_id}/confirm", headers=admin.headers)


def guest_headers(order: dict[str, Any]) -> dict[str, str]:
    """The guest's X-Order-Token of ``order`` as placed (for a COD order ``place_order``
    signed a buyer in for: that buyer's bearer header)."""
    if not order.get("access_token") and order["id"] in _COD_BUYER_HEADERS:
        return dict(_COD_BUYER_HEADERS[order["id"]])
    return {"X-Order-Token": order["access_token"]}


async def read_guest_order(client: AsyncClient, order: dict[str, Any]) -> dict[str, Any]:
    """GET /orders/{id} with the guest's token, asserting 200."""
    response = await client.get(f"/api/v1/orders/{order['id']}", headers=guest_headers(order))
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


@dataclass(frozen=True)
class TwoSellerOrder:
    """A guest's order of 2 pepper (KIM Lada Muntok, 10 in stock) and 1 honey (KUB Madu
    Pelawan, 5 in stock): 122.000 and 132.000 with shipping to Pangkalpinang."""

    pepper: Shop
    honey: Shop
    order: dict[str, Any]

    def part_of(self, shop: Shop) -> str:
        """The id of ``shop``'s seller-order."""
        [part_id] = [
            str(part["id"])
            for part in self.order["seller_orders"]
            if part["seller"]["id"] == shop.seller_id
        ]
        return part_id


async def place_two_seller_order(
    app: FastAPI, client: AsyncClient, *, payment_method: str = "cod"
) -> TwoSellerOrder:
    pepper = await open_shop(app, client, stock=10)
    honey = await open_shop(
        app,
        client,
        admin=pepper.admin,
        seller_name="KUB Madu Pelawan",
        title="Madu Pelawan",
        price=120_000,
        weight_grams=500,
        stock=5,
    )
    order = await placed_order(
        client,
        order_body(
            order_line(pepper.variant_id, 2),
            order_line(honey.variant_id, 1),
            payment_method=payment_method,
        ),
    )
    return TwoSellerOrder(pepper=pepper, honey=honey, order=order)
