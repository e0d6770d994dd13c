"""Helpers for the admin console tests: a browser-like client signed in through the sign-in
page (its own cookie jar), forms posted with the CSRF token read from the page, and the
situations an admin works through (a pending seller, a flagged listing, a transfer order)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient, Response

from tests.factories import (
    Account,
    CatalogSetup,
    create_product,
    order_body,
    order_line,
    placed_order,
)
from tests.storefront.world import PepperShop, csrf_of, pepper_shop

__all__ = [
    "TransferOrder",
    "csrf_of",
    "flagged_listing",
    "page_client",
    "post_form",
    "transfer_order",
]
_CONFIRM = re.compile(r'name="confirmed" value="1"')


@asynccontextmanager
async def page_client(app: FastAPI, account: Account | None) -> AsyncIterator[AsyncClient]:
    """A cookie-keeping client, signed in on the pages as ``account`` (None: anonymous)."""
    transport = ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with AsyncClient(transport=transport, base_url="http://testserver") as http:
        if account is not None:
            form = await http.get("/masuk")
            signed_in = await http.post(
                "/masuk",
                data={
                    "csrf_token": csrf_of(form.text),
                    "email": account.email,
                    "password": account.password,
                    "next": "/admin/",
                },
            )
            assert signed_in.status_code == 303, signed_in.text
        yield http


async def post_form(
    http: AsyncClient, page: str, action: str, *, confirm: bool = False, **fields: str
) -> Response:
    """Open ``page`` for its CSRF token and post ``fields`` to ``action``; with ``confirm``
    the confirm page must come first and is answered yes (as a person would)."""
    opened = await http.get(page)
    assert opened.status_code == 200, opened.text
    data = {"csrf_token": csrf_of(opened.text), **fields}
    response = await http.post(action, data=data)
    if confirm:
        assert response.status_code == 200, response.text
        assert _CONFIRM.search(response.text), "no confirm step"
        response = await http.post(action, data={**data, "confirmed": "1"})
    return response


@dataclass(frozen=True)
class TransferOrder:
    shop: PepperShop
    order: dict[str, Any]

    @property
    def number(self) -> str:
        number: str = self.order["number"]
        return number

    @property
    def payment(self) -> dict[str, Any]:
        payment: dict[str, Any] = self.order["payment"]
        return payment


async def transfer_order(app: FastAPI, client: AsyncClient) -> TransferOrder:
    """A verified pepper shop and a guest's order of two packs by bank transfer, unpaid."""
    shop = await pepper_shop(app, client, with_image=False)
    order = await placed_order(client, order_body(order_line(shop.variant(0), 2)))
    return TransferOrder(shop=shop, order=order)


async def flagged_listing(client: AsyncClient, setup: CatalogSetup) -> dict[str, Any]:
    """A listing screening holds for review (turtle eggs), published by its seller."""
    product = await create_product(
        client, setup.owner, setup.seller_id, title="Telur Penyu Segar", description="Dari pantai."
    )
    published = await client.post(
        f"/api/v1/products/{product['id']}/publish", headers=setup.owner.headers
    )
    assert published.json()["status"] == "in_review", published.text
    return product
