"""Personal answers are never stored by a cache; the interactive docs can be switched off."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient

from tests.conftest import make_settings
from tests.factories import (
    create_account,
    guest_headers,
    http_client,
    open_shop,
    order_body,
    order_line,
    placed_order,
    running_app,
)


async def test_me_orders_and_guest_orders_are_no_store_and_the_public_catalog_is_not(
    app: FastAPI, client: AsyncClient
) -> None:
    account = await create_account(client)
    shop = await open_shop(app, client)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 1)))

    me = await client.get("/api/v1/me", headers=account.headers)
    my_orders = await client.get("/api/v1/orders", headers=account.headers)
    guest_order = await client.get(f"/api/v1/orders/{order['id']}", headers=guest_headers(order))
    seller_orders = await client.get(
        f"/api/v1/sellers/{shop.seller_id}/orders", headers=shop.owner.headers
    )
    catalog = await client.get("/api/v1/products")

    for personal in (me, my_orders, guest_order, seller_orders):
        assert personal.status_code == 200
        assert personal.headers["cache-control"] == "no-store"
    assert catalog.status_code == 200
    assert catalog.headers.get("cache-control") != "no-store"


async def test_docs_can_be_hidden_while_the_schema_stays(
    migrated_database: str, app: FastAPI
) -> None:
    settings = make_settings(migrated_database, docs_enabled=False)
    async with running_app(settings) as hidden, http_client(hidden) as client:
        docs = await client.get("/docs")
        redoc = await client.get("/redoc")
        schema = await client.get("/openapi.json")

    assert (docs.status_code, redoc.status_code, schema.status_code) == (404, 404, 200)
