"""Small typed helpers that create what a test needs through the public API."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from marketplace.accounts import service as accounts_service

DEFAULT_PASSWORD = "kopi-manggar-2026"
_counter = itertools.count(1)


@dataclass(frozen=True)
class Account:
    id: str
    email: str
    password: str
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}{next(_counter)}@contoh.id"


async def register(
    client: AsyncClient,
    *,
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
    full_name: str = "Siti Aminah",
    phone: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email": email or unique_email(),
        "password": password,
        "full_name": full_name,
    }
    if phone is not None:
        body["phone"] = phone
    response = await client.post("/api/v1/auth/register", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def sign_in(
    client: AsyncClient, email: str, password: str = DEFAULT_PASSWORD
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/auth/token", data={"username": email, "password": password}
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def create_account(client: AsyncClient, *, email: str | None = None) -> Account:
    user = await register(client, email=email)
    tokens = await sign_in(client, user["email"])
    return Account(
        id=user["id"],
        email=user["email"],
        password=DEFAULT_PASSWORD,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
    )


async def create_admin(app: FastAPI, client: AsyncClient) -> Account:
    email = unique_email("admin")
    async with app.state.sessionmaker() as session, session.begin():
        await accounts_service.create_or_promote_admin(
            session, app.state.password_hashing, email, DEFAULT_PASSWORD, "Admin Diskominfo"
        )
    tokens = await sign_in(client, email)
    me = (await client.get("/api/v1/me", headers=_bearer(tokens["access_token"]))).json()
    return Account(
        id=me["id"],
        email=email,
        password=DEFAULT_PASSWORD,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
    )


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


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
