"""Shared steps of the console tests: signing in on the pages, reading a form's token."""

from __future__ import annotations

from httpx import AsyncClient, Response

from tests.factories import Account
from tests.storefront.world import csrf_of


async def post_sign_in(client: AsyncClient, account: Account, next_page: str) -> Response:
    """The sign-in form of ``/masuk`` sent with ``next``."""
    page = await client.get("/masuk")
    return await client.post(
        "/masuk",
        data={
            "csrf_token": csrf_of(page.text),
            "email": account.email,
            "password": account.password,
            "next": next_page,
        },
    )


async def sign_in_on_pages(client: AsyncClient, account: Account) -> None:
    """Sign in through ``/masuk``: the client keeps the session cookie afterwards."""
    response = await post_sign_in(client, account, "/penjual/")
    assert response.status_code == 303, response.text


async def page_token(client: AsyncClient, path: str) -> str:
    """The CSRF token a console page's forms carry."""
    page = await client.get(path)
    assert page.status_code == 200, page.text
    return csrf_of(page.text)
