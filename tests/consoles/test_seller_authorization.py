"""Who may open what in the seller console: every /penjual route, asked by an anonymous
visitor (sent to sign in), the owner of another seller and an admin (both "not found": the
console is for members, admins have /admin/), a staff member (owner-only forms: 403) and the
owner. Forms carry each caller's own valid CSRF token, so only the role decides. No request
here confirms a destructive action, so the world stays as built. Pages answer HTML, never
problem JSON. ``test_every_seller_console_route_is_in_the_matrix`` makes new routes join."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from httpx import AsyncClient

from tests.consoles.world import sign_in_on_pages
from tests.factories import (
    Account,
    add_member,
    create_account,
    http_client,
    open_shop,
    order_body,
    order_line,
    placed_order,
    set_up_catalog,
    unique_email,
    upload_image,
)
from tests.storefront.world import csrf_of

ROLES = ("anonymous", "other", "admin", "staff", "owner")
OPEN = {"other": 404, "admin": 404}  # a seller's pages, for people who are not its members


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    staff: int
    owner: int
    outsiders: dict[str, int] | None = None  # "other" and "admin"; OPEN unless given


MATRIX = [
    Row("GET", "/penjual/", 303, 303, {"other": 303, "admin": 200}),
    Row("GET", "/penjual/baru", 200, 200, {"other": 200, "admin": 200}),
    Row("POST", "/penjual/baru", 422, 422, {"other": 422, "admin": 422}),
    Row("POST", "/penjual/undangan", 404, 404, {"other": 404, "admin": 404}),
    Row("GET", "/penjual/{seller_id}/", 200, 200),
    Row("GET", "/penjual/{seller_id}/profil", 200, 200),
    Row("POST", "/penjual/{seller_id}/profil", 403, 422),
    Row("GET", "/penjual/{seller_id}/produk", 200, 200),
    Row("GET", "/penjual/{seller_id}/produk/baru", 200, 200),
    Row("POST", "/penjual/{seller_id}/produk/baru", 422, 422),
    Row("GET", "/penjual/{seller_id}/produk/{product_id}", 200, 200),
    Row("POST", "/penjual/{seller_id}/produk/{product_id}/ubah", 422, 422),
    Row("POST", "/penjual/{seller_id}/produk/{product_id}/stok", 303, 303),
    Row("POST", "/penjual/{seller_id}/produk/{product_id}/varian", 422, 422),
    Row("POST", "/penjual/{seller_id}/produk/{product_id}/foto", 422, 422),
    Row("POST", "/penjual/{seller_id}/produk/{product_id}/foto/{image_id}/hapus", 200, 200),
    Row("POST", "/penjual/{seller_id}/produk/{product_id}/tayangkan", 303, 303),
    Row("POST", "/penjual/{seller_id}/produk/{product_id}/arsipkan", 200, 200),
    Row("GET", "/penjual/{seller_id}/pesanan", 200, 200),
    Row("GET", "/penjual/{seller_id}/pesanan/{seller_order_id}", 200, 200),
    Row("GET", "/penjual/{seller_id}/pesanan/{seller_order_id}/slip", 200, 200),
    Row("POST", "/penjual/{seller_id}/pesanan/{seller_order_id}/kirim", 422, 422),
    Row("POST", "/penjual/{seller_id}/pesanan/{seller_order_id}/terkirim", 200, 200),
    Row("POST", "/penjual/{seller_id}/pesanan/{seller_order_id}/batal", 200, 200),
    Row("POST", "/penjual/{seller_id}/pesanan/{seller_order_id}/keluhan/{complaint_id}", 404, 404),
    Row("GET", "/penjual/{seller_id}/uang", 200, 200),
    Row("POST", "/penjual/{seller_id}/uang/rekening", 403, 422),
    Row("GET", "/penjual/{seller_id}/tim", 200, 200),
    Row("POST", "/penjual/{seller_id}/tim/undang", 403, 422),
    Row("POST", "/penjual/{seller_id}/tim/{user_id}/keluarkan", 403, 200),
    Row("GET", "/penjual/{seller_id}/impor", 200, 200),
    Row("GET", "/penjual/{seller_id}/impor/produk.csv", 200, 200),
    Row("POST", "/penjual/{seller_id}/impor", 422, 422),
]


@dataclass(frozen=True)
class World:
    ids: dict[str, str]
    clients: dict[str, AsyncClient]
    tokens: dict[str, str]


async def _signed_in(client: AsyncClient, account: Account | None) -> str:
    """Signs ``client`` in as ``account`` (unless None); the session's form token."""
    if account is not None:
        await sign_in_on_pages(client, account)
    return csrf_of((await client.get("/masuk")).text)


@pytest.fixture
async def world(app: FastAPI, client: AsyncClient) -> AsyncIterator[World]:
    shop = await open_shop(app, client)
    staff = await create_account(client, email=unique_email("staf"))
    member = await add_member(client, shop.owner, shop.seller_id, staff.email)
    other = await set_up_catalog(app, client, admin=shop.admin, seller_name="UMKM Kopi")
    image = await upload_image(client, shop.owner, shop.product_id)
    assert image.status_code == 201, image.text
    order = await placed_order(
        client, order_body(order_line(shop.variant_id, 1), payment_method="cod")
    )
    ids = {
        "seller_id": shop.seller_id,
        "product_id": shop.product_id,
        "image_id": image.json()["id"],
        "seller_order_id": order["seller_orders"][0]["id"],
        "user_id": member["user_id"],
        # no complaint on that order: members are told the complaint is not found
        "complaint_id": "01938c5e-0000-7000-8000-000000000000",
    }
    accounts = {
        "anonymous": None,
        "other": other.owner,
        "admin": shop.admin,
        "staff": staff,
        "owner": shop.owner,
    }
    async with AsyncExitStack() as stack:
        clients = {role: await stack.enter_async_context(http_client(app)) for role in ROLES}
        tokens = {role: await _signed_in(clients[role], accounts[role]) for role in ROLES}
        yield World(ids=ids, clients=clients, tokens=tokens)


def _expected(row: Row, role: str) -> int:
    if role == "anonymous":
        return 303
    if role in ("other", "admin"):
        return (row.outsiders or OPEN)[role]
    return row.staff if role == "staff" else row.owner


async def test_every_role_gets_its_answer_on_every_seller_console_route(world: World) -> None:
    seen: list[str] = []
    for row in MATRIX:
        path = row.path.format(**world.ids)
        for role in ROLES:
            client = world.clients[role]
            if row.method == "GET":
                response = await client.get(path)
            else:
                response = await client.post(path, data={"csrf_token": world.tokens[role]})
            expected = _expected(row, role)
            if response.status_code != expected:
                seen.append(f"{row.method} {row.path} as {role}: {response.status_code}")
            elif role == "anonymous":
                assert response.headers["location"].startswith("/masuk?next=/penjual/")
            elif response.status_code != 303 and not path.endswith(".csv"):
                assert response.headers["content-type"].startswith("text/html"), path
    assert seen == [], "\n".join(seen)


async def test_another_sellers_resources_under_ones_own_seller_are_not_found(
    app: FastAPI, client: AsyncClient, world: World
) -> None:
    intruder = await create_account(client, email=unique_email("lain"))
    async with http_client(app) as other:
        await sign_in_on_pages(other, intruder)
        token = csrf_of((await other.get("/masuk")).text)
        created = await other.post(
            "/penjual/baru",
            data={
                "csrf_token": token,
                "name": "UMKM Tenun",
                "kind": "umkm",
                "region_code": "19.05",
            },
        )
        own = created.headers["location"].rstrip("/")
        for tail in (
            f"produk/{world.ids['product_id']}",
            f"pesanan/{world.ids['seller_order_id']}",
            f"pesanan/{world.ids['seller_order_id']}/slip",
        ):
            response = await other.get(f"{own}/{tail}")
            assert response.status_code == 404, tail
            assert "tidak ditemukan" in response.text.lower()
        shipped = await other.post(
            f"{own}/pesanan/{world.ids['seller_order_id']}/kirim",
            data={"csrf_token": token, "courier": "JNE", "tracking_number": "X1"},
        )
        assert shipped.status_code == 404


async def test_forms_with_a_forged_token_are_refused_on_every_seller_console_form(
    world: World,
) -> None:
    owner = world.clients["owner"]
    for row in MATRIX:
        if row.method != "POST":
            continue
        response = await owner.post(row.path.format(**world.ids), data={"csrf_token": "forged"})
        assert response.status_code == 403, row.path
        assert "Formulir kedaluwarsa" in response.text


def test_every_seller_console_route_is_in_the_matrix(app: FastAPI) -> None:
    routes = {
        (method, route.path)
        for route in iter_route_contexts(app.routes)
        if route.path and route.path.startswith("/penjual")
        for method in route.methods or ()
        if method != "HEAD"
    }
    covered = {(row.method, row.path) for row in MATRIX}
    assert sorted(routes - covered) == [], "add these routes to MATRIX"
    assert sorted(covered - routes) == [], "these MATRIX rows name no route"
