"""Sellers through the public API: creating, verifying, members and invitations."""

from __future__ import annotations

import re
from typing import Any

from httpx import AsyncClient
from sqlalchemy import select

from marketplace.notifications.models import OutboxEmail
from tests.factories.accounts import DEFAULT_PASSWORD, Account, _bearer, sign_in
from tests.factories.app import app_of


async def create_seller(
    client: AsyncClient,
    owner: Account,
    *,
    name: str = "KIM Lada Muntok",
    kind: str = "community_group",
    region_code: str = "19.05",
    **extra: Any,
) -> dict[str, Any]:
    body = {"name": name, "kind": kind, "region_code": region_code, **extra}
    response = await client.post("/api/v1/sellers", json=body, headers=owner.headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def verify_seller(client: AsyncClient, admin: Account, seller_id: str) -> dict[str, Any]:
    response = await client.post(f"/api/v1/admin/sellers/{seller_id}/verify", headers=admin.headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def create_verified_seller(
    client: AsyncClient, owner: Account, admin: Account, **fields: Any
) -> dict[str, Any]:
    seller = await create_seller(client, owner, **fields)
    return await verify_seller(client, admin, seller["id"])


async def change_seller_status(
    client: AsyncClient, admin: Account, seller_id: str, action: str, *, reason: str | None = None
) -> dict[str, Any]:
    """``action`` is ``verify``, ``reject`` or ``suspend``; asserts the change went through."""
    body = {"reason": reason} if reason is not None else None
    response = await client.post(
        f"/api/v1/admin/sellers/{seller_id}/{action}", json=body, headers=admin.headers
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def invite_member(
    client: AsyncClient, owner: Account, seller_id: str, email: str, *, role: str = "staff"
) -> str:
    """POST /sellers/{id}/members, asserting 201; the invitation code from the e-mail."""
    response = await client.post(
        f"/api/v1/sellers/{seller_id}/members",
        json={"email": email, "role": role},
        headers=owner.headers,
    )
    assert response.status_code == 201, response.text
    return await emailed_code(client, email, "seller_invitation")


async def emailed_code(client: AsyncClient, recipient: str, template: str) -> str:
    """The code in the newest ``template`` e-mail to ``recipient`` (read from the outbox)."""
    async with app_of(client).state.sessionmaker() as session:
        body = await session.scalar(
            select(OutboxEmail.body_text)
            .where(OutboxEmail.recipient == recipient, OutboxEmail.template == template)
            .order_by(OutboxEmail.created_at.desc(), OutboxEmail.id.desc())
            .limit(1)
        )
    assert body is not None, f"no {template} e-mail to {recipient}"
    [code] = re.findall(r"^[A-Za-z0-9_-]{43}$", body, flags=re.MULTILINE)
    return str(code)


async def add_member(
    client: AsyncClient,
    owner: Account,
    seller_id: str,
    email: str,
    *,
    role: str = "staff",
    password: str = DEFAULT_PASSWORD,
) -> dict[str, Any]:
    """Invite ``email`` (an account with a confirmed address and ``password``) and accept as
    that person; the new member as ``POST /invitations/accept`` answers."""
    code = await invite_member(client, owner, seller_id, email, role=role)
    tokens = await sign_in(client, email, password)
    response = await client.post(
        "/api/v1/invitations/accept",
        json={"token": code},
        headers=_bearer(tokens["access_token"]),
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result
