"""Races on held money, each ending in one consistent state: the settlement sweep against
complaints, refunds against settlement, payouts against each other and against settlement."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.payments.models import Refund, SellerOrderSettlement
from tests.factories import guest_headers, open_shop
from tests.payments import records
from tests.payments.escrow_steps import (
    buyer_confirms,
    complain,
    delivered_days_ago,
    paid_transfer_order,
    payout,
    resolve,
    seller_delivers,
    shipped,
    sweep,
)

Sessionmaker = async_sessionmaker[AsyncSession]
TOTAL = 122_000
COMMISSION = 5_500
NET = TOTAL - COMMISSION


async def _settlement_count(sessionmaker: Sessionmaker, part_id: str) -> int:
    async with sessionmaker() as session:
        count = await session.scalar(
            select(func.count()).where(SellerOrderSettlement.seller_order_id == uuid.UUID(part_id))
        )
    return int(count or 0)


async def _refund_total(sessionmaker: Sessionmaker) -> int:
    async with sessionmaker() as session:
        total = await session.scalar(select(func.coalesce(func.sum(Refund.amount), 0)))
    return int(total or 0)


async def test_settlement_sweeps_racing_complaints_settle_or_freeze_each_order_never_both(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given six paid orders the seller delivered five days ago
    shop = await open_shop(app, client, stock=20)
    orders = [await paid_transfer_order(client, shop) for _ in range(6)]
    parts = []
    for order in orders:
        part_id = await shipped(client, shop, order)
        await seller_delivers(client, shop, part_id)
        await delivered_days_ago(sessionmaker, part_id, 5)
        parts.append(part_id)

    # when two sweeps and a complaint about every order race
    results: list[Any] = await asyncio.gather(
        sweep(app),
        *(
            complain(client, part_id, guest_headers(order))
            for part_id, order in zip(parts, orders, strict=True)
        ),
        sweep(app),
    )

    # then each order either took the complaint (money held) or settled (complaint 409)
    complaints = results[1:-1]
    frozen = 0
    for part_id, response in zip(parts, complaints, strict=True):
        settlements = await _settlement_count(sessionmaker, part_id)
        assert response.status_code in (201, 409), response.text
        if response.status_code == 201:
            assert settlements == 0
            frozen += 1
        else:
            assert settlements == 1
    swept = results[0] + results[-1]
    assert swept == 6 - frozen
    assert await records.balances_of(client, shop.owner, shop.seller_id) == {
        "pending": frozen * NET,
        "available": (6 - frozen) * NET,
        "paid_out": 0,
    }


async def test_refund_racing_settlement_and_the_buyers_confirmation_applies_once(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given a delivered order past its hold period with an open complaint
    shop = await open_shop(app, client)
    order = await paid_transfer_order(client, shop)
    part_id = await shipped(client, shop, order)
    complaint = await complain(client, part_id, guest_headers(order))
    assert complaint.status_code == 201, complaint.text
    await seller_delivers(client, shop, part_id)
    await delivered_days_ago(sessionmaker, part_id, 5)

    # when two admins refund Rp 50.000, the sweep runs and the buyer confirms, all at once
    complaint_id = complaint.json()["id"]
    first, second, swept, confirmed = await asyncio.gather(
        resolve(client, shop.admin, complaint_id, "partial_refund", 50_000),
        resolve(client, shop.admin, complaint_id, "partial_refund", 50_000),
        sweep(app),
        buyer_confirms(client, order),
    )

    # then one refund of Rp 50.000 was made, the order settled once with the rest
    assert sorted((first.status_code, second.status_code)) == [200, 409]
    assert swept == 0
    assert confirmed.status_code == 409
    assert await _refund_total(sessionmaker) == 50_000
    assert await _settlement_count(sessionmaker, part_id) == 1
    given_back = COMMISSION * 50_000 // TOTAL
    assert await records.balances_of(client, shop.owner, shop.seller_id) == {
        "pending": 0,
        "available": NET - 50_000 + given_back,
        "paid_out": 0,
    }


async def test_payouts_racing_the_settlement_that_funds_them_never_spend_held_money(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given a shipped paid order (its Rp 116.500 held) and five payouts of Rp 50.000 ready
    shop = await open_shop(app, client)
    order = await paid_transfer_order(client, shop)
    await shipped(client, shop, order)

    # when the buyer confirms receipt while the five payouts race
    results = await asyncio.gather(
        *(payout(client, shop.admin, shop.seller_id, 50_000, f"TRF-{n}") for n in range(5)),
        buyer_confirms(client, order),
    )

    # then at most two payouts fit into what was released, the rest were refused
    codes = [response.status_code for response in results[:-1]]
    assert results[-1].status_code == 200
    assert set(codes) <= {201, 409}
    accepted = codes.count(201)
    assert accepted <= 2
    balances = await records.balances_of(client, shop.owner, shop.seller_id)
    assert balances == {
        "pending": 0,
        "available": NET - accepted * 50_000,
        "paid_out": accepted * 50_000,
    }
    assert balances["available"] >= 0
