"""Reading what the payments domain stored, and the sellers' balances as the API shows them."""

from __future__ import annotations

import uuid
from typing import Any

from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.notifications.models import OutboxEmail
from marketplace.payments.models import Payment, PaymentAnomaly, Refund, StripeEvent
from tests.factories import Account

Sessionmaker = async_sessionmaker[AsyncSession]


async def payments_of(sessionmaker: Sessionmaker, order_id: str) -> list[Payment]:
    """Every payment attempt of the order, oldest first."""
    async with sessionmaker() as session:
        result = await session.execute(
            select(Payment)
            .where(Payment.order_id == uuid.UUID(order_id))
            .order_by(Payment.created_at, Payment.id)
        )
        return list(result.scalars())


async def refunds_of(sessionmaker: Sessionmaker, order_id: str) -> list[Refund]:
    async with sessionmaker() as session:
        result = await session.execute(
            select(Refund)
            .join(Payment, Payment.id == Refund.payment_id)
            .where(Payment.order_id == uuid.UUID(order_id))
            .order_by(Refund.created_at)
        )
        return list(result.scalars())


async def stripe_events(sessionmaker: Sessionmaker) -> list[StripeEvent]:
    async with sessionmaker() as session:
        return list((await session.execute(select(StripeEvent))).scalars())


async def anomalies(sessionmaker: Sessionmaker) -> list[PaymentAnomaly]:
    async with sessionmaker() as session:
        result = await session.execute(select(PaymentAnomaly).order_by(PaymentAnomaly.created_at))
        return list(result.scalars())


async def emails_with_template(sessionmaker: Sessionmaker, template: str) -> list[OutboxEmail]:
    async with sessionmaker() as session:
        result = await session.execute(select(OutboxEmail).where(OutboxEmail.template == template))
        return list(result.scalars())


async def balance_of(client: AsyncClient, viewer: Account, seller_id: str) -> int:
    response = await client.get(f"/api/v1/sellers/{seller_id}/balance", headers=viewer.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["currency"] == "IDR"
    balance: int = body["balance"]
    return balance


async def balances_of(client: AsyncClient, viewer: Account, seller_id: str) -> dict[str, int]:
    """{pending, available, paid_out} as GET /sellers/{id}/balance shows them."""
    response = await client.get(f"/api/v1/sellers/{seller_id}/balance", headers=viewer.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["balance"] == body["pending"] + body["available"]
    return {key: int(body[key]) for key in ("pending", "available", "paid_out")}


async def ledger_of(client: AsyncClient, viewer: Account, seller_id: str) -> list[dict[str, Any]]:
    """Every ledger entry of the seller, through every page."""
    entries: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 100}
        if cursor:
            params["cursor"] = cursor
        response = await client.get(
            f"/api/v1/sellers/{seller_id}/ledger", params=params, headers=viewer.headers
        )
        assert response.status_code == 200, response.text
        page = response.json()
        entries.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return entries


def kinds_and_amounts(entries: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """(kind, amount) of each entry, sorted: entries of one moment have no order of their own."""
    return sorted((entry["kind"], entry["amount"]) for entry in entries)
