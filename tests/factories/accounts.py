"""Accounts through the public API: registering, signing in, admins, the audit trail."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import delete, func, update

from marketplace.accounts import service as accounts_service
from marketplace.accounts.models import User
from marketplace.db.session import begin_write_transaction
from marketplace.notifications.models import OutboxEmail
from tests.factories.app import app_of

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


async def mark_email_verified(client: AsyncClient, email: str) -> None:
    """What following the e-mailed code does, without reading the mailbox. The confirmation
    e-mail is dropped from the outbox too, so tests counting e-mails see only their own."""
    async with app_of(client).state.sessionmaker() as session:
        await begin_write_transaction(session)
        await session.execute(
            update(User)
            .where(User.email_normalized == email.lower())
            .values(email_verified_at=func.now())
        )
        await session.execute(
            delete(OutboxEmail).where(
                OutboxEmail.recipient == email, OutboxEmail.template == "verify_email"
            )
        )
        await session.commit()


async def create_account(
    client: AsyncClient, *, email: str | None = None, verified: bool = True
) -> Account:
    """A registered, signed-in account; its e-mail is confirmed unless ``verified=False``
    (creating a seller, joining a team and cash on delivery need a confirmed address)."""
    user = await register(client, email=email)
    if verified:
        await mark_email_verified(client, user["email"])
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
    async with app.state.sessionmaker() as session:
        await begin_write_transaction(session)  # the e-mail outbox may be writing meanwhile
        await accounts_service.create_or_promote_admin(
            session, app.state.password_hashing, email, DEFAULT_PASSWORD, "Admin Diskominfo"
        )
        await session.commit()
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


async def audit_entries(
    client: AsyncClient, admin: Account, *, target_type: str, target_id: str
) -> list[dict[str, Any]]:
    """The audit log of one record, newest first."""
    response = await client.get(
        "/api/v1/admin/audit-log",
        params={"target_type": target_type, "target_id": target_id, "limit": 100},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items
