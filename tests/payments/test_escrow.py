"""Escrow ("rekening bersama"): a paid seller-order's money is held (pending) until the buyer
confirms receipt or the hold period after the seller's delivery passes, then released
(available) once; cash on delivery never enters either, only its commission is owed; refunds
take money back from wherever it is."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
import stripe
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from typer.testing import CliRunner

from marketplace.cli import app as cli
from marketplace.config import get_settings
from marketplace.orders.models import SellerOrder
from marketplace.payments.models import RefundStatus, SellerOrderSettlement, SettlementTrigger
from tests.conftest import make_settings
from tests.factories import (
    guest_headers,
    http_client,
    open_shop,
    order_body,
    order_line,
    placed_order,
    running_app,
    ship_seller_order,
)
from tests.payments import records
from tests.payments.card_checkout import intent_id_of, pay_intent, refunds_on_stripe, wait_for_order
from tests.payments.escrow_steps import (
    buyer_confirms,
    cod_order,
    complain,
    deliver,
    delivered_days_ago,
    paid_transfer_order,
    part_of,
    payout,
    resolve,
    seller_delivers,
    shipped,
    sweep,
)

Sessionmaker = async_sessionmaker[AsyncSession]
TOTAL = 122_000  # two packs at Rp 55.000 and Rp 12.000 shipping to Pangkalpinang
COMMISSION = 5_500
NET = TOTAL - COMMISSION


async def _settlements(sessionmaker: Sessionmaker, part_id: str) -> list[SellerOrderSettlement]:
    async with sessionmaker() as session:
        result = await session.execute(
            select(SellerOrderSettlement).where(
                SellerOrderSettlement.seller_order_id == uuid.UUID(part_id)
            )
        )
        return list(result.scalars())


async def _cash_collected(sessionmaker: Sessionmaker, part_id: str) -> bool:
    async with sessionmaker() as session:
        part = await session.get(SellerOrder, uuid.UUID(part_id))
        assert part is not None
        return part.cod_collected_at is not None


# --- The cash-on-delivery scenario ---------------------------------------------------


async def test_seller_cod_ordering_its_own_billion_rupiah_product_owes_the_commission_only(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a verified seller listing a Rp 1.000.000.000 variant, who places a guest COD order
    # of it to themselves, ships it with tracking "x" and marks it delivered
    shop = await open_shop(app, client, price=1_000_000_000, stock=1)
    order = await placed_order(
        client, order_body(order_line(shop.variant_id, 1), payment_method="cod")
    )
    part_id = part_of(order)
    shipping = order["seller_orders"][0]["shipping"]
    assert (
        await ship_seller_order(client, shop.owner, part_id, tracking_number="x")
    ).status_code == 200
    await seller_delivers(client, shop, part_id)

    # then no goods money entered the ledger: the seller owes the platform its 5 % commission
    commission = 50_000_000
    assert await records.balances_of(client, shop.owner, shop.seller_id) == {
        "pending": 0,
        "available": -commission,
        "paid_out": 0,
    }
    entries = await records.ledger_of(client, shop.owner, shop.seller_id)
    assert records.kinds_and_amounts(entries) == [("cod_commission", -commission)]
    assert shipping > 0

    # when an admin tries to pay out the billion, then it is refused
    refused = await payout(client, shop.admin, shop.seller_id, 1_000_000_000)
    assert refused.status_code == 409, refused.text
    assert refused.json()["type"].endswith("payout-exceeds-balance")
    # and even a single rupiah is refused while the seller owes the platform
    assert (await payout(client, shop.admin, shop.seller_id, 1)).status_code == 409
    assert await records.balances_of(client, shop.owner, shop.seller_id) == {
        "pending": 0,
        "available": -commission,
        "paid_out": 0,
    }


async def test_guest_confirming_a_shipped_cod_order_records_receipt_but_never_payment(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given a shipped cash-on-delivery order
    shop = await open_shop(app, client)
    order = await cod_order(client, shop)
    part_id = await shipped(client, shop, order)

    # when the guest, holding only the order token, confirms it
    response = await buyer_confirms(client, order)

    # then it is delivered (and settled), yet not paid: no cash was recorded, no money moved
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "delivered"
    seen = (await client.get(f"/api/v1/orders/{order['id']}", headers=guest_headers(order))).json()
    assert (seen["status"], seen["payment_status"]) == ("completed", "unpaid")
    assert seen["payment"]["status"] == "pending"
    assert not await _cash_collected(sessionmaker, part_id)
    assert await records.ledger_of(client, shop.owner, shop.seller_id) == []

    # when the seller then records the cash as collected, the order is paid and the commission
    # is owed from available
    await seller_delivers(client, shop, part_id)
    seen = (await client.get(f"/api/v1/orders/{order['id']}", headers=guest_headers(order))).json()
    assert seen["payment_status"] == "paid"
    assert await _cash_collected(sessionmaker, part_id)
    assert await records.balances_of(client, shop.owner, shop.seller_id) == {
        "pending": 0,
        "available": -COMMISSION,
        "paid_out": 0,
    }


# --- Settlement ----------------------------------------------------------------------------------


async def test_paid_order_money_is_held_until_the_buyer_confirms_receipt_then_released_once(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given a paid transfer order, shipped and marked delivered by the seller
    shop = await open_shop(app, client)
    order = await paid_transfer_order(client, shop)
    part_id = await shipped(client, shop, order)
    await seller_delivers(client, shop, part_id)

    # then the money is still held and cannot be paid out
    assert await records.balances_of(client, shop.owner, shop.seller_id) == {
        "pending": NET,
        "available": 0,
        "paid_out": 0,
    }
    assert (await payout(client, shop.admin, shop.seller_id, 1)).status_code == 409

    # when the buyer confirms receipt
    confirmed = await buyer_confirms(client, order)

    # then it is released: available, by a pair of settlement entries, once
    assert confirmed.status_code == 200, confirmed.text
    assert await records.balances_of(client, shop.owner, shop.seller_id) == {
        "pending": 0,
        "available": NET,
        "paid_out": 0,
    }
    entries = await records.ledger_of(client, shop.owner, shop.seller_id)
    assert ("settlement", -NET) in records.kinds_and_amounts(entries)
    assert ("settlement", NET) in records.kinds_and_amounts(entries)
    [settled] = await _settlements(sessionmaker, part_id)
    assert (settled.trigger, settled.amount) == (SettlementTrigger.BUYER_CONFIRMED, NET)
    assert (await buyer_confirms(client, order)).status_code == 409
    assert (await sweep(app, hold_days=0)) == 0
    assert len(await _settlements(sessionmaker, part_id)) == 1

    # and a payout of all of it is accepted
    assert (await payout(client, shop.admin, shop.seller_id, NET)).status_code == 201
    assert await records.balances_of(client, shop.owner, shop.seller_id) == {
        "pending": 0,
        "available": 0,
        "paid_out": NET,
    }


async def test_sweep_releases_money_only_after_the_hold_period_since_the_seller_delivered(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given two delivered orders: one marked delivered 2 days ago, one 4 days ago, and one
    # shipped order not yet delivered
    shop = await open_shop(app, client, stock=10)
    recent, due, on_its_way = [await paid_transfer_order(client, shop) for _ in range(3)]
    for order, days in ((recent, 2), (due, 4)):
        part_id = await shipped(client, shop, order)
        await seller_delivers(client, shop, part_id)
        await delivered_days_ago(sessionmaker, part_id, days)
    await shipped(client, shop, on_its_way)

    # when the sweep runs with the default 3 days
    settled = await sweep(app)

    # then only the order delivered 4 days ago was released
    assert settled == 1
    assert await records.balances_of(client, shop.owner, shop.seller_id) == {
        "pending": 2 * NET,
        "available": NET,
        "paid_out": 0,
    }
    [record] = await _settlements(sessionmaker, part_of(due))
    assert record.trigger is SettlementTrigger.HOLD_ELAPSED
    assert await _settlements(sessionmaker, part_of(recent)) == []

    # and running it again settles nothing twice
    assert await sweep(app) == 0


async def test_open_complaint_keeps_the_sweep_and_the_buyer_from_releasing_the_money(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given a delivered order past its hold period that the buyer complained about
    shop = await open_shop(app, client)
    order = await paid_transfer_order(client, shop)
    part_id = await shipped(client, shop, order)
    await seller_delivers(client, shop, part_id)
    await delivered_days_ago(sessionmaker, part_id, 10)
    assert (await complain(client, part_id, guest_headers(order))).status_code == 201

    # when the sweep runs and the buyer also confirms receipt
    swept = await sweep(app)
    confirmed = await buyer_confirms(client, order)

    # then the money stays held: the complaint froze it
    assert swept == 0
    assert confirmed.status_code == 409, confirmed.text
    assert confirmed.json()["type"].endswith("receipt-not-confirmable")
    assert await _settlements(sessionmaker, part_id) == []
    assert await records.balances_of(client, shop.owner, shop.seller_id) == {
        "pending": NET,
        "available": 0,
        "paid_out": 0,
    }


async def test_settle_command_releases_due_seller_orders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a database (the command's own) with a paid order delivered 5 days ago
    url = f"sqlite:///{tmp_path / 'settle.db'}"
    monkeypatch.setenv("MARKETPLACE_DATABASE_URL", url)
    monkeypatch.setenv("MARKETPLACE_ENVIRONMENT", "test")
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        assert (await asyncio.to_thread(runner.invoke, cli, ["db", "upgrade"])).exit_code == 0
        settings = make_settings(url, platform_commission_basis_points=500)
        async with running_app(settings) as own_app, http_client(own_app) as own_client:
            shop = await open_shop(own_app, own_client)
            order = await paid_transfer_order(own_client, shop)
            part_id = await shipped(own_client, shop, order)
            await seller_delivers(own_client, shop, part_id)
            await delivered_days_ago(own_app.state.sessionmaker, part_id, 5)
            await own_app.state.gateways.mailer.drain()

            # when cron runs the command
            result = await asyncio.to_thread(runner.invoke, cli, ["settle"])

            # then it reports one settlement and the money is available
            assert result.exit_code == 0, result.output
            assert "1 seller-orders settled" in result.output
            assert await records.balances_of(own_client, shop.owner, shop.seller_id) == {
                "pending": 0,
                "available": NET,
                "paid_out": 0,
            }
    finally:
        get_settings.cache_clear()


async def test_background_timer_settles_due_seller_orders(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given a paid order delivered 4 days ago
    shop = await open_shop(app, client)
    order = await paid_transfer_order(client, shop)
    part_id = await shipped(client, shop, order)
    await seller_delivers(client, shop, part_id)
    await delivered_days_ago(sessionmaker, part_id, 4)

    # when one round of serve's background work runs
    from marketplace.background import BackgroundWork  # noqa: PLC0415

    await BackgroundWork(sessionmaker, app.state.gateways).run_once()

    # then the money was released
    assert len(await _settlements(sessionmaker, part_id)) == 1


# --- Refunds -------------------------------------------------------------------------------


async def test_refund_before_settlement_reduces_pending_and_gives_back_the_commission(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a paid order still to ship
    shop = await open_shop(app, client)
    order = await paid_transfer_order(client, shop)

    # when the buyer cancels it
    cancelled = await client.post(
        f"/api/v1/orders/{order['id']}/cancel", headers=guest_headers(order)
    )

    # then pending is back at zero, the commission given back exactly
    assert cancelled.status_code == 200, cancelled.text
    assert await records.balances_of(client, shop.owner, shop.seller_id) == {
        "pending": 0,
        "available": 0,
        "paid_out": 0,
    }
    entries = await records.ledger_of(client, shop.owner, shop.seller_id)
    assert records.kinds_and_amounts(entries) == [
        ("commission", -COMMISSION),
        ("commission_return", COMMISSION),
        ("refund", -TOTAL),
        ("sale", TOTAL),
    ]
    assert {entry["bucket"] for entry in entries} == {"pending"}


async def test_cod_refund_after_the_cash_was_collected_debits_available_below_zero(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a shipped cash-on-delivery order the buyer complained about, then the seller
    # recorded the cash as collected (the seller holds Rp 122.000 of the buyer's money)
    shop = await open_shop(app, client)
    order = await cod_order(client, shop)
    part_id = await shipped(client, shop, order)
    complaint = await complain(client, part_id, guest_headers(order))
    assert complaint.status_code == 201, complaint.text
    await seller_delivers(client, shop, part_id)

    # when an admin refunds the buyer in full (paid back by hand by the operator)
    resolved = await resolve(client, shop.admin, complaint.json()["id"], "refund")

    # then the seller owes the platform what it collected, less the commission given back
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["refund_amount"] == TOTAL
    assert await records.balances_of(client, shop.owner, shop.seller_id) == {
        "pending": 0,
        "available": -TOTAL,
        "paid_out": 0,
    }
    entries = await records.ledger_of(client, shop.owner, shop.seller_id)
    assert records.kinds_and_amounts(entries) == [
        ("cod_commission", -COMMISSION),
        ("commission_return", COMMISSION),
        ("refund", -TOTAL),
    ]
    assert (await payout(client, shop.admin, shop.seller_id, 1)).status_code == 409


@pytest.mark.usefixtures("localstripe_webhooks")
async def test_complaint_refund_of_a_card_order_goes_back_through_stripe(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: Sessionmaker,
    stripe_client: stripe.StripeClient,
) -> None:
    # given a card order paid on localstripe, shipped, complained about
    shop = await open_shop(app, client)
    order = await placed_order(
        client, order_body(order_line(shop.variant_id, 2), payment_method="stripe")
    )
    assert await pay_intent(stripe_client, intent_id_of(order)) == "succeeded"
    await wait_for_order(client, order, payment_status="paid")
    part_id = await shipped(client, shop, order)
    complaint = await complain(client, part_id, guest_headers(order), reason="not_as_described")
    assert complaint.status_code == 201, complaint.text

    # when an admin refunds Rp 22.000 of it
    resolved = await resolve(client, shop.admin, complaint.json()["id"], "partial_refund", 22_000)

    # then Stripe refunded exactly that, we recorded its answer, and the rest was released
    assert resolved.status_code == 200, resolved.text
    [stripe_refund] = await refunds_on_stripe(stripe_client, intent_id_of(order))
    assert stripe_refund.amount == 22_000 * 100
    [refund] = await records.refunds_of(sessionmaker, order["id"])
    assert (refund.amount, refund.status) == (22_000, RefundStatus.SUCCEEDED)
    assert refund.provider_refund_id == stripe_refund.id
    given_back = COMMISSION * 22_000 // TOTAL
    assert await records.balances_of(client, shop.owner, shop.seller_id) == {
        "pending": 0,
        "available": NET - 22_000 + given_back,
        "paid_out": 0,
    }
    seen = (await client.get(f"/api/v1/orders/{order['id']}", headers=guest_headers(order))).json()
    assert seen["payment_status"] == "partially_refunded"
    assert (await deliver(client, part_id, guest_headers(order))).status_code == 409
