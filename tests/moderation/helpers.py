"""Small helpers for the moderation tests: the queue, admin decisions, e-mails queued."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select

from marketplace.notifications.models import OutboxEmail
from tests.factories import Account


async def queue(client: AsyncClient, admin: Account, **params: Any) -> list[dict[str, Any]]:
    """GET /admin/moderation (open items unless ``status`` says otherwise); asserts 200."""
    response = await client.get(
        "/api/v1/admin/moderation", params={"limit": 100, **params}, headers=admin.headers
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def approve(client: AsyncClient, admin: Account, product_id: str) -> dict[str, Any]:
    response = await client.post(
        f"/api/v1/admin/products/{product_id}/approve", headers=admin.headers
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def remove(
    client: AsyncClient, admin: Account, product_id: str, reason: str
) -> dict[str, Any]:
    response = await client.post(
        f"/api/v1/admin/products/{product_id}/remove",
        json={"reason": reason},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def emails_to(app: FastAPI, recipient: str) -> list[OutboxEmail]:
    async with app.state.sessionmaker() as session:
        result = await session.execute(
            select(OutboxEmail).where(OutboxEmail.recipient == recipient)
        )
        return list(result.scalars())
