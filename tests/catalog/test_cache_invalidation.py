"""The cached public list follows stock taken by orders, even within the same second."""

from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import open_shop, order_body, order_line, placed_order


async def test_list_shows_out_of_stock_right_after_an_order_takes_the_last_units(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a listed product with 2 units, its page cached
    shop = await open_shop(app, client, stock=2)
    before = await client.get("/api/v1/products")
    assert before.json()["items"][0]["in_stock"] is True

    # when an order takes both units at once
    await placed_order(client, order_body(order_line(shop.variant_id, 2)))
    after = await client.get("/api/v1/products")

    # then the very next read is fresh: a new ETag, and out of stock
    assert after.headers["etag"] != before.headers["etag"]
    assert after.json()["items"][0]["in_stock"] is False
