"""Steps of the escrow tests: paying, shipping, delivering as seller or buyer, complaints, the
settlement sweep and moving a delivery back in time past the hold period."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient, Response
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.db.base import utcnow
from marketplace.orders.models import SellerOrder
from marketplace.payments.tasks import settle_due_seller_orders
from tests.factories import (
    Account,
    Shop,
    confirm_payment,
    guest_headers,
    order_body,
    order_line,
    placed_order,
    ship_seller_order,
)

HOLD_DAYS = 3


async def paid_transfer_order(
    client: AsyncClient, shop: Shop, quantity: int = 2, **fields: Any
) -> dict[str, Any]:
    """A guest's bank-transfer order the admin confirmed: its money is held for the seller."""
    order = await placed_order(client, order_body(order_line(shop.variant_id, quantity), **fields))
    confirmed = await confirm_payment(client, shop.admin, order["payment"]["id"])
    assert confirmed.status_code == 200, confirmed.text
    return order


async def cod_order(client: AsyncClient, shop: Shop, quantity: int = 2) -> dict[str, Any]:
    return await placed_order(
        client, order_body(order_line(shop.variant_id, quantity), payment_method="cod")
    )


def part_of(order: dict[str, Any]) -> str:
    return str(order["seller_orders"][0]["id"])


async def shipped(client: AsyncClient, shop: Shop, order: dict[str, Any]) -> str:
    part_id = part_of(order)
    response = await ship_seller_order(client, shop.owner, part_id)
    assert response.status_code == 200, response.text
    return part_id


async def deliver(client: AsyncClient, part_id: str, headers: dict[str, str]) -> Response:
    """POST /seller-orders/{id}/deliver: a member marks it delivered, a buyer confirms."""
    return await client.post(f"/api/v1/seller-orders/{part_id}/deliver", headers=headers)


async def seller_delivers(client: AsyncClient, shop: Shop, part_id: str) -> None:
    response = await deliver(client, part_id, shop.owner.headers)
    assert response.status_code == 200, response.text


async def buyer_confirms(client: AsyncClient, order: dict[str, Any]) -> Response:
    return await deliver(client, part_of(order), guest_headers(order))


async def complain(
    client: AsyncClient,
    part_id: str,
    headers: dict[str, str],
    *,
    reason: str = "damaged",
    description: str = "Dua bungkus lada sobek dan basah.",
) -> Response:
    return await client.post(
        f"/api/v1/seller-orders/{part_id}/complaints",
        json={"reason": reason, "description": description},
        headers=headers,
    )


async def resolve(
    client: AsyncClient,
    admin: Account,
    complaint_id: str,
    outcome: str,
    amount: int | None = None,
    note: str = "Foto kemasan rusak dari pembeli sudah diperiksa.",
) -> Response:
    body: dict[str, Any] = {"outcome": outcome, "note": note}
    if amount is not None:
        body["amount"] = amount
    return await client.post(
        f"/api/v1/admin/complaints/{complaint_id}/resolve", json=body, headers=admin.headers
    )


async def payout(
    client: AsyncClient, admin: Account, seller_id: str, amount: int, reference: str = "TRF-1"
) -> Response:
    return await client.post(
        f"/api/v1/admin/sellers/{seller_id}/payouts",
        json={"amount": amount, "bank_reference": reference},
        headers=admin.headers,
    )


async def delivered_days_ago(
    sessionmaker: async_sessionmaker[AsyncSession], part_id: str, days: float
) -> None:
    """Move the seller's "delivered" mark back in time (the hold period counts from it)."""
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(SellerOrder)
            .where(SellerOrder.id == uuid.UUID(part_id))
            .values(delivered_at=utcnow() - timedelta(days=days))
        )


async def sweep(app: FastAPI, hold_days: int = HOLD_DAYS) -> int:
    """One run of the settlement sweep that ``serve`` runs on its timer."""
    gateways = app.state.gateways
    settings = gateways.settings.model_copy(update={"settlement_hold_days": hold_days})
    return await settle_due_seller_orders(
        app.state.sessionmaker, dataclasses.replace(gateways, settings=settings)
    )
