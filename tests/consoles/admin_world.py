"""Helpers for the admin console tests: a browser-like client signed in through the sign-in
page (its own cookie jar), the CSRF token read from a page, and a shop with a bank-transfer
order waiting for its money."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from tests.factories import Account, order_body, order_line, placed_order
from tests.storefront.world import PepperShop, pepper_shop

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


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


async def post_form(http: AsyncClient, page: str, action: str, **fields: str) -> Any:
    """Open ``page`` for its CSRF token, then post ``fields`` to ``action``."""
    opened = await http.get(page)
    return await http.post(action, data={"csrf_token": csrf_of(opened.text), **fields})


@dataclass(frozen=True)
class TransferOrder:
    shop: PepperShop
    order: dict[str, Any]

    @property
    def number(self) -> str:
        number: str = self.order["number"]
        return number

    @property
    def payment_id(self) -> str:
        payment_id: str = self.order["payment"]["id"]
        return payment_id


async def transfer_order(app: FastAPI, client: AsyncClient) -> TransferOrder:
    """A verified pepper shop and a guest's order of it paid by bank transfer (unpaid yet)."""
    shop = await pepper_shop(app, client, with_image=False)
    order = await placed_order(client, order_body(order_line(shop.variant(0), 2)))
    return TransferOrder(shop=shop, order=order)
