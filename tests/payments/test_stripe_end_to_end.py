"""Card payments end to end against localstripe: the real SDK on both sides, localstripe posting
its own signed payment_intent.* webhooks to the app served over real HTTP."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import stripe
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from typer.testing import CliRunner

from marketplace import cli
from marketplace.config import get_settings
from marketplace.payments.models import PaymentAttemptStatus, RefundStatus
from marketplace.payments.tasks import reconcile_card_payments
from tests.factories import (
    Shop,
    http_client,
    open_shop,
    order_body,
    order_line,
    placed_order,
    running_app,
    variant_stock,
)
from tests.payments import records
from tests.payments.card_checkout import (
    DECLINE_MESSAGE,
    DECLINED_CARD,
    intent_id_of,
    order_seen_by_buyer,
    pay_intent,
    refunds_on_stripe,
    wait_for,
    wait_for_order,
)
from tests.payments.commands import command_database, run_command

Sessionmaker = async_sessionmaker[AsyncSession]

# Two 250 g packs of Lada Putih at Rp 55.000 to Pangkalpinang: Rp 110.000 + Rp 12.000 shipping.
SUBTOTAL = 110_000
SHIPPING = 12_000
TOTAL = 122_000
COMMISSION = 5_500  # 5 % of the goods, never of the shipping


async def _card_order(client: AsyncClient, shop: Shop, quantity: int = 2) -> dict[str, Any]:
    return await placed_order(
        client, order_body(order_line(shop.variant_id, quantity), payment_method="stripe")
    )


async def _paid_by_card(
    client: AsyncClient, stripe_client: stripe.StripeClient, order: dict[str, Any]
) -> dict[str, Any]:
    """Pay the order's intent on localstripe and wait for its webhook to mark the order paid."""
    assert await pay_intent(stripe_client, intent_id_of(order)) == "succeeded"
    return await wait_for_order(client, order, payment_status="paid")


@pytest.mark.usefixtures("localstripe_webhooks")
async def test_card_order_paid_on_localstripe_is_marked_paid_by_its_webhook_and_credits_seller(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: Sessionmaker,
    stripe_client: stripe.StripeClient,
) -> None:
    # given a guest's card order for two packs
    shop = await open_shop(app, client)
    order = await _card_order(client, shop)
    payment = order["payment"]
    assert order["total"] == TOTAL
    assert payment["method"] == "stripe"
    assert payment["status"] == "pending"
    assert payment["amount"] == TOTAL
    assert payment["client_secret"].startswith("pi_")
    assert "_secret_" in payment["client_secret"]
    intent = await stripe_client.v1.payment_intents.retrieve_async(intent_id_of(order))
    assert intent.amount == TOTAL * 100
    assert intent.currency == "idr"
    assert intent.metadata["order_id"] == order["id"]
    assert intent.metadata["order_number"] == order["number"]
    assert intent.status == "requires_payment_method"

    # when the buyer's browser pays it with a card that works
    assert await pay_intent(stripe_client, intent.id) == "succeeded"

    # then localstripe's payment_intent.succeeded marks it paid and the seller has to ship
    seen = await wait_for_order(client, order, payment_status="paid")
    assert seen["status"] == "processing"
    assert [part["status"] for part in seen["seller_orders"]] == ["to_ship"]
    assert seen["payment"]["status"] == "paid"
    events = await records.stripe_events(sessionmaker)
    assert [(event.type, event.outcome) for event in events] == [
        ("payment_intent.succeeded", "applied")
    ]
    ledger = await records.ledger_of(client, shop.owner, shop.seller_id)
    assert records.kinds_and_amounts(ledger) == [("commission", -COMMISSION), ("sale", TOTAL)]
    assert {entry["reference"] for entry in ledger} == {order["number"]}
    assert await records.balance_of(client, shop.owner, shop.seller_id) == TOTAL - COMMISSION


@pytest.mark.usefixtures("localstripe_webhooks")
async def test_declined_card_leaves_order_pending_and_retry_reuses_the_open_intent(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: Sessionmaker,
    stripe_client: stripe.StripeClient,
) -> None:
    # given a card order whose first card is declined
    shop = await open_shop(app, client)
    order = await _card_order(client, shop)
    intent_id = intent_id_of(order)
    assert await pay_intent(stripe_client, intent_id, DECLINED_CARD) == "requires_payment_method"

    # then localstripe's payment_intent.payment_failed records the failure, nothing more
    async def failure_recorded() -> bool:
        return (await records.payments_of(sessionmaker, order["id"]))[0].failure_message is not None

    await wait_for(failure_recorded, what="the failure to be recorded")
    [payment] = await records.payments_of(sessionmaker, order["id"])
    assert payment.failure_message == DECLINE_MESSAGE
    assert payment.status is PaymentAttemptStatus.PENDING
    seen = await order_seen_by_buyer(client, order)
    assert (seen["status"], seen["payment_status"]) == ("pending", "unpaid")
    assert [part["status"] for part in seen["seller_orders"]] == ["pending"]
    assert [(e.type, e.outcome) for e in await records.stripe_events(sessionmaker)] == [
        ("payment_intent.payment_failed", "failure_recorded")
    ]

    # when the buyer tries again with a new Idempotency-Key
    retry = await client.post(
        f"/api/v1/orders/{order['id']}/payments",
        json={"payment_method": "stripe"},
        headers={"Idempotency-Key": str(uuid.uuid4()), "X-Order-Token": order["access_token"]},
    )

    # then the intent, still payable (requires_payment_method, same amount), is handed back
    assert retry.status_code == 201, retry.text
    assert retry.json()["id"] == order["payment"]["id"]
    assert retry.json()["client_secret"] == order["payment"]["client_secret"]
    assert len(await records.payments_of(sessionmaker, order["id"])) == 1
    intent = await stripe_client.v1.payment_intents.retrieve_async(intent_id)
    assert intent.status == "requires_payment_method"


async def test_retry_after_the_intent_was_cancelled_at_stripe_starts_a_new_intent(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: Sessionmaker,
    stripe_client: stripe.StripeClient,
) -> None:
    # given a card order whose intent was cancelled at Stripe (it can never be paid now)
    shop = await open_shop(app, client)
    order = await _card_order(client, shop)
    first_intent = intent_id_of(order)
    await stripe_client.v1.payment_intents.cancel_async(first_intent)
    key = str(uuid.uuid4())
    headers = {"Idempotency-Key": key, "X-Order-Token": order["access_token"]}

    # when the buyer starts a new card attempt (and the request is replayed)
    retry = await client.post(
        f"/api/v1/orders/{order['id']}/payments", json={"payment_method": "stripe"}, headers=headers
    )
    replay = await client.post(
        f"/api/v1/orders/{order['id']}/payments", json={"payment_method": "stripe"}, headers=headers
    )

    # then a new intent for the same amount replaces the old attempt, once
    assert retry.status_code == 201, retry.text
    assert replay.status_code == 201
    assert replay.json() == retry.json()
    new_payment = retry.json()
    assert new_payment["id"] != order["payment"]["id"]
    new_intent_id = intent_id_of({"payment": new_payment})
    assert new_intent_id != first_intent
    new_intent = await stripe_client.v1.payment_intents.retrieve_async(new_intent_id)
    assert (new_intent.amount, new_intent.currency) == (TOTAL * 100, "idr")
    assert new_intent.metadata["order_id"] == order["id"]
    attempts = await records.payments_of(sessionmaker, order["id"])
    assert [(p.reference, p.status) for p in attempts] == [
        (first_intent, PaymentAttemptStatus.CANCELLED),
        (new_intent_id, PaymentAttemptStatus.PENDING),
    ]
    assert (await order_seen_by_buyer(client, order))["payment"]["id"] == new_payment["id"]


async def test_switching_from_card_to_bank_transfer_cancels_the_open_intent_at_stripe(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: Sessionmaker,
    stripe_client: stripe.StripeClient,
) -> None:
    # given a card order not paid yet
    shop = await open_shop(app, client)
    order = await _card_order(client, shop)

    # when the buyer decides to pay by bank transfer instead
    switched = await client.post(
        f"/api/v1/orders/{order['id']}/payments",
        json={"payment_method": "bank_transfer"},
        headers={"Idempotency-Key": str(uuid.uuid4()), "X-Order-Token": order["access_token"]},
    )

    # then the card attempt is void here and at Stripe, so the card can no longer be charged
    assert switched.status_code == 201, switched.text
    assert switched.json()["instructions"]["amount"] == TOTAL + switched.json()["unique_code"]
    intent = await stripe_client.v1.payment_intents.retrieve_async(intent_id_of(order))
    assert intent.status == "canceled"
    attempts = await records.payments_of(sessionmaker, order["id"])
    assert [(p.method.value, p.status) for p in attempts] == [
        ("stripe", PaymentAttemptStatus.CANCELLED),
        ("bank_transfer", PaymentAttemptStatus.PENDING),
    ]


@pytest.mark.usefixtures("localstripe_webhooks")
async def test_cancelling_a_paid_card_order_refunds_it_in_full_at_stripe_and_debits_the_seller(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: Sessionmaker,
    stripe_client: stripe.StripeClient,
) -> None:
    # given a card order paid through localstripe
    shop = await open_shop(app, client, stock=10)
    order = await _card_order(client, shop)
    await _paid_by_card(client, stripe_client, order)
    assert await variant_stock(sessionmaker, shop.variant_id) == 8

    # when the buyer cancels it before anything ships
    cancelled = await client.post(
        f"/api/v1/orders/{order['id']}/cancel", headers={"X-Order-Token": order["access_token"]}
    )

    # then Stripe refunded the whole amount and we recorded its answer (no webhook needed)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["payment_status"] == "refunded"
    assert cancelled.json()["payment"]["status"] == "refunded"
    [stripe_refund] = await refunds_on_stripe(stripe_client, intent_id_of(order))
    assert stripe_refund.amount == TOTAL * 100
    [refund] = await records.refunds_of(sessionmaker, order["id"])
    assert refund.provider_refund_id == stripe_refund.id
    assert (refund.amount, refund.status) == (TOTAL, RefundStatus.SUCCEEDED)
    ledger = await records.ledger_of(client, shop.owner, shop.seller_id)
    assert records.kinds_and_amounts(ledger) == [
        ("commission", -COMMISSION),
        ("commission_return", COMMISSION),
        ("refund", -TOTAL),
        ("sale", TOTAL),
    ]
    assert await records.balance_of(client, shop.owner, shop.seller_id) == 0
    assert await variant_stock(sessionmaker, shop.variant_id) == 10


@pytest.mark.usefixtures("localstripe_webhooks")
async def test_seller_cancelling_its_part_of_a_paid_two_seller_order_refunds_just_that_part(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: Sessionmaker,
    stripe_client: stripe.StripeClient,
) -> None:
    # given one card order across two sellers, paid through localstripe
    lada = await open_shop(app, client)
    kerupuk = await open_shop(
        app,
        client,
        admin=lada.admin,
        seller_name="UMKM Kerupuk Belinyu",
        title="Kerupuk Ikan Belinyu",
        price=30_000,
        weight_grams=250,
    )
    order = await placed_order(
        client,
        order_body(
            order_line(lada.variant_id, 2),
            order_line(kerupuk.variant_id, 1),
            payment_method="stripe",
        ),
    )
    parts = {part["seller"]["id"]: part for part in order["seller_orders"]}
    kerupuk_part = parts[kerupuk.seller_id]
    kerupuk_share = kerupuk_part["subtotal"] + kerupuk_part["shipping"]
    assert kerupuk_part["subtotal"] == 30_000
    await _paid_by_card(client, stripe_client, order)
    lada_balance = await records.balance_of(client, lada.owner, lada.seller_id)
    assert lada_balance == TOTAL - COMMISSION

    # when the kerupuk seller cancels its part
    cancelled = await client.post(
        f"/api/v1/seller-orders/{kerupuk_part['id']}/cancel", headers=kerupuk.owner.headers
    )

    # then exactly that part's goods and shipping go back to the card
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    [stripe_refund] = await refunds_on_stripe(stripe_client, intent_id_of(order))
    assert stripe_refund.amount == kerupuk_share * 100
    [refund] = await records.refunds_of(sessionmaker, order["id"])
    assert (refund.amount, refund.provider_refund_id) == (kerupuk_share, stripe_refund.id)
    assert refund.seller_order_id == uuid.UUID(kerupuk_part["id"])
    seen = await order_seen_by_buyer(client, order)
    assert (seen["status"], seen["payment_status"]) == ("processing", "partially_refunded")
    assert seen["payment"]["status"] == "partially_refunded"
    statuses = {part["seller"]["id"]: part["status"] for part in seen["seller_orders"]}
    assert statuses == {lada.seller_id: "to_ship", kerupuk.seller_id: "cancelled"}
    assert await records.balance_of(client, kerupuk.owner, kerupuk.seller_id) == 0
    assert await records.balance_of(client, lada.owner, lada.seller_id) == lada_balance

    # when the buyer then cancels what is left
    rest = await client.post(
        f"/api/v1/orders/{order['id']}/cancel", headers={"X-Order-Token": order["access_token"]}
    )

    # then the rest of the money goes back too, and nobody keeps anything
    assert rest.status_code == 200, rest.text
    assert (rest.json()["status"], rest.json()["payment_status"]) == ("cancelled", "refunded")
    stripe_refunds = await refunds_on_stripe(stripe_client, intent_id_of(order))
    assert sorted(r.amount for r in stripe_refunds) == sorted(
        [kerupuk_share * 100, (order["total"] - kerupuk_share) * 100]
    )
    assert (
        sum(r.amount for r in await records.refunds_of(sessionmaker, order["id"]))
        == (order["total"])
    )
    assert await records.balance_of(client, lada.owner, lada.seller_id) == 0
    assert await records.balance_of(client, kerupuk.owner, kerupuk.seller_id) == 0


async def test_reconciliation_applies_a_payment_whose_webhook_never_came_once(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: Sessionmaker,
    stripe_client: stripe.StripeClient,
) -> None:
    # given a card order paid on localstripe while no webhook reaches us
    shop = await open_shop(app, client)
    order = await _card_order(client, shop)
    assert await pay_intent(stripe_client, intent_id_of(order)) == "succeeded"
    await asyncio.sleep(1.5)  # localstripe's (undeliverable) webhook has come and gone
    assert (await order_seen_by_buyer(client, order))["payment_status"] == "unpaid"

    # when reconciliation asks Stripe about pending intents
    outcomes = await reconcile_card_payments(
        app.state.sessionmaker, app.state.gateways, older_than=timedelta(0)
    )

    # then the payment is applied as the webhook would have
    assert dict(outcomes) == {"applied": 1}
    seen = await order_seen_by_buyer(client, order)
    assert (seen["status"], seen["payment_status"]) == ("processing", "paid")
    assert [part["status"] for part in seen["seller_orders"]] == ["to_ship"]
    ledger = await records.ledger_of(client, shop.owner, shop.seller_id)
    assert records.kinds_and_amounts(ledger) == [("commission", -COMMISSION), ("sale", TOTAL)]

    # and running it again changes nothing
    again = await reconcile_card_payments(
        app.state.sessionmaker, app.state.gateways, older_than=timedelta(0)
    )
    assert dict(again) == {}
    assert await records.ledger_of(client, shop.owner, shop.seller_id) == ledger
    [payment] = await records.payments_of(sessionmaker, order["id"])
    assert payment.status is PaymentAttemptStatus.PAID


async def test_reconciliation_leaves_unpaid_intents_pending(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given a card order nobody has paid yet
    shop = await open_shop(app, client)
    order = await _card_order(client, shop)

    # when reconciliation runs
    outcomes = await reconcile_card_payments(
        app.state.sessionmaker, app.state.gateways, older_than=timedelta(0)
    )

    # then it stays as it was
    assert dict(outcomes) == {"still_pending": 1}
    seen = await order_seen_by_buyer(client, order)
    assert (seen["status"], seen["payment_status"]) == ("pending", "unpaid")


async def test_reconcile_payments_command_applies_a_missed_payment_on_its_database(
    localstripe_url: str,
    stripe_client: stripe.StripeClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a SQLite database of its own with a card order paid on localstripe, unapplied
    settings = await command_database(tmp_path, localstripe_url, monkeypatch, "reconcile.db")
    async with running_app(settings) as own_app, http_client(own_app) as own_client:
        shop = await open_shop(own_app, own_client)
        order = await _card_order(own_client, shop)
        assert await pay_intent(stripe_client, intent_id_of(order)) == "succeeded"

    # when the command runs (twice, as cron would)
    first = await run_command("reconcile-payments", "--older-than-minutes", "0")
    second = await run_command("reconcile-payments", "--older-than-minutes", "0")

    # then the order is paid, once
    assert first.exit_code == 0, first.output
    assert "'applied': 1" in first.output
    assert second.exit_code == 0, second.output
    assert "Reconciled: {}" in second.output
    async with running_app(settings) as own_app, http_client(own_app) as own_client:
        seen = await order_seen_by_buyer(own_client, order)
        assert (seen["status"], seen["payment_status"]) == ("processing", "paid")
        ledger = await records.ledger_of(own_client, shop.owner, shop.seller_id)
    assert records.kinds_and_amounts(ledger) == [("commission", -COMMISSION), ("sale", TOTAL)]


def test_reconcile_payments_command_without_a_stripe_key_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MARKETPLACE_DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    monkeypatch.setenv("MARKETPLACE_STRIPE_SECRET_KEY", "")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli.app, ["reconcile-payments"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "MARKETPLACE_STRIPE_SECRET_KEY" in result.output
