"""Who may use each admin console route, read from the app itself so a new route cannot be
missed: nobody signed in is sent to sign in; a buyer, a seller's owner and a seller's staff
member get the 403 page (even with a valid form token) and change nothing; an admin is let in."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from httpx import AsyncClient

from tests.consoles.admin_world import csrf_of, page_client, transfer_order
from tests.factories import Account, add_member, create_account, create_seller

DUMMY = str(uuid.UUID(int=7))


@dataclass(frozen=True)
class Call:
    method: str
    path: str


def admin_console_calls(app: FastAPI, seller_id: str, number: str) -> list[Call]:
    """Every /admin page and form of the console, with its path filled in."""
    values = {
        "seller_id": seller_id,
        "action": "verifikasi",
        "item_id": DUMMY,
        "number": number,
        "complaint_id": DUMMY,
        "entry_id": DUMMY,
    }
    calls = []
    for route in iter_route_contexts(app.routes):
        if not route.path or not route.path.startswith("/admin"):
            continue
        for method in sorted(set(route.methods or ()) - {"HEAD"}):
            calls.append(Call(method, route.path.format(**values)))
    return calls


async def test_every_admin_console_route_is_for_admins_only(
    app: FastAPI, client: AsyncClient
) -> None:
    world = await transfer_order(app, client)
    admin = world.shop.setup.admin
    pending = await create_seller(client, await create_account(client), name="KIM Kemplang")
    calls = admin_console_calls(app, pending["id"], world.number)
    assert len(calls) >= 20  # every page and form of the console is in the table
    staff = await create_account(client)
    await add_member(client, world.shop.setup.owner, world.shop.setup.seller_id, staff.email)
    buyer = await create_account(client)
    outsiders: dict[str, Account] = {
        "buyer": buyer,
        "seller owner": world.shop.setup.owner,
        "seller staff": staff,
    }

    async with page_client(app, None) as anonymous:
        for call in calls:
            response = await anonymous.request(call.method, call.path)
            assert response.status_code == 303, (call, response.status_code)
            assert response.headers["location"].startswith("/masuk?next=/admin"), call

    for role, account in outsiders.items():
        async with page_client(app, account) as http:
            token = csrf_of((await http.get("/masuk")).text)
            for call in calls:
                data = {"csrf_token": token} if call.method == "POST" else None
                response = await http.request(call.method, call.path, data=data)
                assert response.status_code == 403, (role, call, response.status_code)
                assert "text/html" in response.headers["content-type"]
                assert "hanya untuk admin" in response.text

    async with page_client(app, admin) as http:
        token = csrf_of((await http.get("/admin/")).text)
        for call in calls:
            data = {"csrf_token": token} if call.method == "POST" else None
            response = await http.request(call.method, call.path, data=data)
            assert response.status_code not in (401, 403, 500), (call, response.status_code)
            if call.method == "GET" and "unduh" not in call.path:
                assert response.status_code in (200, 303, 404), (call, response.status_code)

    # nothing the outsiders posted changed anything (the admin's verify came last)
    audit = await client.get("/api/v1/admin/audit-log", headers=admin.headers)
    actors = {entry["actor_id"] for entry in audit.json()["items"]}
    assert actors <= {admin.id}
