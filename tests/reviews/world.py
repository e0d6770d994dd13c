"""Delivered orders to review: bought through the API, paid by bank transfer, shipped and
delivered by the seller."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.factories import (
    Account,
    Shop,
    confirm_payment,
    order_body,
    order_line,
    placed_order,
    ship_seller_order,
)


async def delivered_part(
    client: AsyncClient, shop: Shop, buyer: Account | None = None, *, deliver: bool = True
) -> tuple[dict[str, Any], str]:
    """(the order as placed, its seller-order id) for one unit of ``shop``'s product, bought
    by ``buyer`` (a guest when None), paid, shipped and (unless told) delivered."""
    headers = buyer.headers if buyer else None
    order = await placed_order(client, order_body(order_line(shop.variant_id, 1)), headers=headers)
    confirmed = await confirm_payment(client, shop.admin, order["payment"]["id"])
    assert confirmed.status_code == 200, confirmed.text
    [part] = order["seller_orders"]
    shipped = await ship_seller_order(client, shop.owner, part["id"])
    assert shipped.status_code == 200, shipped.text
    if deliver:
        delivered = await client.post(
            f"/api/v1/seller-orders/{part['id']}/deliver", headers=shop.owner.headers
        )
        assert delivered.status_code == 200, delivered.text
    return order, str(part["id"])


async def post_review(
    client: AsyncClient,
    product_id: str,
    seller_order_id: str,
    *,
    rating: int = 5,
    text: str = "Lada asli, wangi.",
    headers: dict[str, str] | None = None,
) -> Any:
    return await client.post(
        f"/api/v1/products/{product_id}/reviews",
        json={"seller_order_id": seller_order_id, "rating": rating, "text": text},
        headers=headers or {},
    )
