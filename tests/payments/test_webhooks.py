"""POST /api/v1/webhooks/stripe with events the tests build and sign with the endpoint secret:
each applied once, never backwards, refused when the signature, age or amount is wrong.
localstripe sends no charge.* events, so refunds made elsewhere are only tested this way."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from datetime import timedelta
from typing import Any

import pytest
import stripe
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.db.base import utcnow
from marketplace.gateways import Gateways
from marketplace.orders.tasks import expire_due_orders
from marketplace.payments.models import PaymentAttemptStatus, RefundStatus
from marketplace.payments.service import PaymentRuntime
from marketplace.payments.stripe_gateway import StripeGateway
from tests.factories import (
    Shop,
    http_client,
    open_shop,
    order_body,
    order_line,
    placed_order,
    running_app,
    set_order_expiry,
    variant_stock,
)
from tests.payments import records
from tests.payments.card_checkout import (
    DECLINE_MESSAGE,
    intent_id_of,
    order_seen_by_buyer,
    pay_intent,
    refunds_on_stripe,
)
from tests.payments.conftest import payment_settings
from tests.payments.stripe_events import (
    charge_refunded_object,
    deliver,
    deliver_event,
    event_payload,
    intent_object,
    signature_header,
)

Sessionmaker = async_sessionmaker[AsyncSession]
TOTAL = 122_000  # two packs at Rp 55.000 and Rp 12.000 shipping to Pangkalpinang
COMMISSION = 5_500
SUCCEEDED = "payment_intent.succeeded"
FAILED = "payment_intent.payment_failed"
REFUNDED = "charge.refunded"


async def _card_order(client: AsyncClient, shop: Shop, quantity: int = 2) -> dict[str, Any]:
    """A guest's card order; its PaymentIntent really exists on localstripe."""
    return await placed_order(
        client, order_body(order_line(shop.variant_id, quantity), payment_method="stripe")
    )


def _succeeded(order: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return intent_object(
        intent_id_of(order), rupiah=order["total"], order_id=order["id"], **changes
    )


async def _status(client: AsyncClient, order: dict[str, Any]) -> tuple[str, str]:
    seen = await order_seen_by_buyer(client, order)
    return seen["status"], seen["payment_status"]


async def test_succeeded_event_marks_the_order_paid_and_credits_the_seller(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given a card order awaiting payment
    shop = await open_shop(app, client)
    order = await _card_order(client, shop)

    # when Stripe says its intent succeeded
    response = await deliver_event(client, SUCCEEDED, _succeeded(order), event_id="evt_paid_1")

    # then the order is paid and processing, once
    assert response.json() == {"received": True, "outcome": "applied"}
    seen = await order_seen_by_buyer(client, order)
    assert (seen["status"], seen["payment_status"]) == ("processing", "paid")
    assert seen["payment"]["status"] == "paid"
    assert [part["status"] for part in seen["seller_orders"]] == ["to_ship"]
    [event] = await records.stripe_events(sessionmaker)
    assert (event.id, event.type, event.outcome) == ("evt_paid_1", SUCCEEDED, "applied")
    ledger = await records.ledger_of(client, shop.owner, shop.seller_id)
    assert records.kinds_and_amounts(ledger) == [("commission", -COMMISSION), ("sale", TOTAL)]


async def test_same_event_delivered_five_times_changes_the_order_once(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given a card order and one succeeded event
    shop = await open_shop(app, client)
    order = await _card_order(client, shop)
    payload = event_payload(SUCCEEDED, _succeeded(order), event_id="evt_again_and_again")

    # when Stripe delivers it five times
    responses = [await deliver(client, payload) for _ in range(5)]

    # then every delivery is acknowledged and only the first one did anything
    assert [r.status_code for r in responses] == [200] * 5
    assert [r.json()["outcome"] for r in responses] == ["applied"] + ["duplicate"] * 4
    assert len(await records.stripe_events(sessionmaker)) == 1
    assert await _status(client, order) == ("processing", "paid")
    ledger = await records.ledger_of(client, shop.owner, shop.seller_id)
    assert records.kinds_and_amounts(ledger) == [("commission", -COMMISSION), ("sale", TOTAL)]
    assert len(await records.emails_with_template(sessionmaker, "seller_new_order")) == 1


async def test_five_concurrent_deliveries_of_one_event_apply_it_once(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given a card order and one succeeded event
    shop = await open_shop(app, client)
    order = await _card_order(client, shop)
    payload = event_payload(SUCCEEDED, _succeeded(order), event_id="evt_all_at_once")

    # when five deliveries of it arrive at the same time
    responses = await asyncio.gather(*(deliver(client, payload) for _ in range(5)))

    # then one applied it and four were told it was a duplicate
    assert [r.status_code for r in responses] == [200] * 5
    assert sorted(r.json()["outcome"] for r in responses) == ["applied"] + ["duplicate"] * 4
    assert len(await records.stripe_events(sessionmaker)) == 1
    assert await _status(client, order) == ("processing", "paid")
    assert await records.balance_of(client, shop.owner, shop.seller_id) == TOTAL - COMMISSION


async def test_payment_failed_records_the_failure_and_leaves_the_order_pending(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given a card order
    shop = await open_shop(app, client)
    order = await _card_order(client, shop)
    failed = _succeeded(order, status="requires_payment_method", failure_message=DECLINE_MESSAGE)

    # when Stripe says the card was declined
    response = await deliver_event(client, FAILED, failed)

    # then the buyer may still pay: pending, unpaid, the reason kept
    assert response.json()["outcome"] == "failure_recorded"
    assert await _status(client, order) == ("pending", "unpaid")
    [payment] = await records.payments_of(sessionmaker, order["id"])
    assert payment.status is PaymentAttemptStatus.PENDING
    assert payment.failure_message == DECLINE_MESSAGE

    # and a later success (another event) still goes through
    paid = await deliver_event(client, SUCCEEDED, _succeeded(order))
    assert paid.json()["outcome"] == "applied"
    assert await _status(client, order) == ("processing", "paid")


async def test_payment_failed_arriving_after_succeeded_changes_nothing(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given a card order already paid
    shop = await open_shop(app, client)
    order = await _card_order(client, shop)
    await deliver_event(client, SUCCEEDED, _succeeded(order))

    # when an older payment_failed event arrives late
    failed = _succeeded(order, status="requires_payment_method", failure_message=DECLINE_MESSAGE)
    response = await deliver_event(client, FAILED, failed)

    # then the order does not move backwards
    assert response.json()["outcome"] == "ignored_not_pending"
    assert await _status(client, order) == ("processing", "paid")
    [payment] = await records.payments_of(sessionmaker, order["id"])
    assert (payment.status, payment.failure_message) == (PaymentAttemptStatus.PAID, None)
    assert len(await records.stripe_events(sessionmaker)) == 2


async def test_event_signed_with_another_secret_is_400_and_changes_nothing(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    shop = await open_shop(app, client)
    order = await _card_order(client, shop)

    response = await deliver(
        client, event_payload(SUCCEEDED, _succeeded(order)), secret="whsec_someone_else"
    )

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith("invalid-webhook-signature")
    assert await records.stripe_events(sessionmaker) == []
    assert await _status(client, order) == ("pending", "unpaid")


async def test_event_altered_after_signing_is_400_and_changes_nothing(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    shop = await open_shop(app, client)
    order = await _card_order(client, shop)
    genuine = event_payload(SUCCEEDED, _succeeded(order, amount_received=100))
    header = signature_header(genuine, timestamp=int(time.time()))
    altered = genuine.replace(
        b'"amount_received": 100', f'"amount_received": {TOTAL * 100}'.encode()
    )
    assert altered != genuine

    response = await deliver(client, altered, header=header)

    assert response.status_code == 400
    assert await records.stripe_events(sessionmaker) == []
    assert await _status(client, order) == ("pending", "unpaid")


async def test_event_signed_more_than_300_seconds_ago_is_400(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    shop = await open_shop(app, client)
    order = await _card_order(client, shop)

    response = await deliver(
        client, event_payload(SUCCEEDED, _succeeded(order)), timestamp=int(time.time()) - 301
    )

    assert response.status_code == 400
    assert response.json()["type"].endswith("invalid-webhook-signature")
    assert await records.stripe_events(sessionmaker) == []
    assert await _status(client, order) == ("pending", "unpaid")


async def test_event_signed_a_little_while_ago_is_accepted(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    order = await _card_order(client, shop)

    response = await deliver(
        client, event_payload(SUCCEEDED, _succeeded(order)), timestamp=int(time.time()) - 240
    )

    assert response.status_code == 200, response.text
    assert await _status(client, order) == ("processing", "paid")


@pytest.mark.parametrize(
    "header",
    [None, "", "t=1700000000", "v1=abc", "nonsense"],
    ids=["missing", "empty", "no-signature", "no-timestamp", "garbage"],
)
async def test_event_without_a_usable_signature_header_is_400(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker, header: str | None
) -> None:
    payload = event_payload(SUCCEEDED, intent_object("pi_unknown", rupiah=1000))
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers["Stripe-Signature"] = header

    response = await client.post("/api/v1/webhooks/stripe", content=payload, headers=headers)

    assert response.status_code == 400
    assert await records.stripe_events(sessionmaker) == []


async def test_signed_body_that_is_not_an_event_is_400(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    response = await deliver(client, b'{"not": "an event"}')

    assert response.status_code == 400
    assert await records.stripe_events(sessionmaker) == []


async def test_webhook_endpoint_is_404_when_no_webhook_secret_is_configured(
    app: FastAPI, migrated_database: str, localstripe_url: str
) -> None:
    # given an app whose webhook secret is empty (the endpoint is switched off)
    settings = payment_settings(migrated_database, localstripe_url, stripe_webhook_secret="")
    async with running_app(settings) as no_webhooks, http_client(no_webhooks) as other_client:
        # when anything is posted to it, signed or not
        payload = event_payload(SUCCEEDED, intent_object("pi_unknown", rupiah=1000))
        signed = await deliver(other_client, payload, secret="")
        unsigned = await other_client.post("/api/v1/webhooks/stripe", content=payload)

    # then it is not there
    assert signed.status_code == 404
    assert unsigned.status_code == 404


async def test_unknown_event_type_is_acknowledged_and_ignored(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    shop = await open_shop(app, client)
    order = await _card_order(client, shop)

    response = await deliver_event(client, "payment_intent.created", _succeeded(order))

    assert response.json() == {"received": True, "outcome": "ignored_type"}
    assert await records.stripe_events(sessionmaker) == []
    assert await _status(client, order) == ("pending", "unpaid")


async def test_succeeded_event_for_an_intent_we_never_made_is_acknowledged(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    response = await deliver_event(client, SUCCEEDED, intent_object("pi_elsewhere", rupiah=5000))

    assert response.json()["outcome"] == "unknown_payment"
    [event] = await records.stripe_events(sessionmaker)
    assert event.outcome == "unknown_payment"


@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        ({"amount_received": (TOTAL - 1) * 100}, f"expected {TOTAL * 100} idr, got 12199900 idr"),
        ({"currency": "usd"}, f"expected {TOTAL * 100} idr, got {TOTAL * 100} usd"),
    ],
    ids=["amount", "currency"],
)
async def test_succeeded_event_that_does_not_match_the_order_is_refused_and_flagged(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: Sessionmaker,
    changes: dict[str, Any],
    detail: str,
) -> None:
    # given a card order for Rp 122.000
    shop = await open_shop(app, client)
    order = await _card_order(client, shop)

    # when Stripe reports a payment of another amount or currency
    response = await deliver_event(
        client, SUCCEEDED, _succeeded(order, **changes), event_id="evt_mismatch"
    )

    # then nothing is applied and an admin is told
    assert response.json()["outcome"] == "flagged_amount_mismatch"
    assert await _status(client, order) == ("pending", "unpaid")
    [payment] = await records.payments_of(sessionmaker, order["id"])
    assert payment.status is PaymentAttemptStatus.PENDING
    assert await records.balance_of(client, shop.owner, shop.seller_id) == 0
    listed = await client.get("/api/v1/admin/payment-anomalies", headers=shop.admin.headers)
    assert listed.status_code == 200, listed.text
    [anomaly] = listed.json()
    assert anomaly["kind"] == "amount_mismatch"
    assert anomaly["payment_id"] == order["payment"]["id"]
    assert anomaly["event_id"] == "evt_mismatch"
    assert anomaly["detail"] == detail
    assert anomaly["resolved"] is False


async def test_payment_anomalies_are_for_admins_only(app: FastAPI, client: AsyncClient) -> None:
    shop = await open_shop(app, client)

    assert (await client.get("/api/v1/admin/payment-anomalies")).status_code == 401
    forbidden = await client.get("/api/v1/admin/payment-anomalies", headers=shop.owner.headers)
    assert forbidden.status_code == 403


async def _paid_through_localstripe(
    client: AsyncClient, stripe_client: stripe.StripeClient, order: dict[str, Any]
) -> None:
    """The card really charged on localstripe (so it can be refunded there), then the signed
    succeeded event; localstripe's own webhook goes nowhere in these tests."""
    assert await pay_intent(stripe_client, intent_id_of(order)) == "succeeded"
    response = await deliver_event(client, SUCCEEDED, _succeeded(order))
    assert response.json()["outcome"] == "applied"


@pytest.mark.parametrize("expanded", [False, True], ids=["as-stripe-sends-it", "expanded"])
async def test_charge_refunded_for_a_refund_we_made_adds_nothing(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: Sessionmaker,
    stripe_client: stripe.StripeClient,
    expanded: bool,
) -> None:
    # given a paid card order the buyer cancelled (refunded through the API, recorded then)
    shop = await open_shop(app, client)
    order = await _card_order(client, shop)
    await _paid_through_localstripe(client, stripe_client, order)
    cancelled = await client.post(
        f"/api/v1/orders/{order['id']}/cancel", headers={"X-Order-Token": order["access_token"]}
    )
    assert cancelled.status_code == 200, cancelled.text
    [refund] = await records.refunds_of(sessionmaker, order["id"])
    assert refund.provider_refund_id is not None

    # when Stripe's charge.refunded about that refund arrives (without its refund list, the
    # handler reads the refunds from localstripe)
    refunds = [(refund.provider_refund_id, TOTAL)] if expanded else None
    charge = charge_refunded_object(intent_id_of(order), refunded=TOTAL, refunds=refunds)
    response = await deliver_event(client, REFUNDED, charge)

    # then it is already known: no second refund, no anomaly, the ledger as it was
    assert response.json()["outcome"] == "refunds_already_known"
    assert len(await records.refunds_of(sessionmaker, order["id"])) == 1
    assert await records.anomalies(sessionmaker) == []
    assert await _status(client, order) == ("cancelled", "refunded")
    assert await records.balance_of(client, shop.owner, shop.seller_id) == 0


async def test_charge_refunded_for_a_refund_made_at_stripe_is_read_from_stripe_and_flagged(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: Sessionmaker,
    stripe_client: stripe.StripeClient,
) -> None:
    # given a paid card order, refunded in part from Stripe's side (as from its Dashboard)
    shop = await open_shop(app, client)
    order = await _card_order(client, shop)
    await _paid_through_localstripe(client, stripe_client, order)
    outside = await stripe_client.v1.refunds.create_async(
        params={"payment_intent": intent_id_of(order), "amount": 50_000 * 100}
    )

    # when charge.refunded arrives as Stripe sends it now (no refund list in the charge)
    charge = charge_refunded_object(intent_id_of(order), refunded=50_000)
    response = await deliver_event(client, REFUNDED, charge, event_id="evt_outside")

    # then the refund Stripe lists is recorded, the order shows it, and an admin is told
    assert response.json()["outcome"] == "refunds_recorded:1"
    [refund] = await records.refunds_of(sessionmaker, order["id"])
    assert (refund.provider_refund_id, refund.amount) == (outside.id, 50_000)
    assert await _status(client, order) == ("processing", "partially_refunded")
    [anomaly] = await records.anomalies(sessionmaker)
    assert (anomaly.kind, anomaly.event_id) == ("external_refund", "evt_outside")


async def test_charge_refunded_with_refunds_made_elsewhere_records_each_once(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given a paid card order
    shop = await open_shop(app, client)
    order = await _card_order(client, shop)
    await deliver_event(client, SUCCEEDED, _succeeded(order))
    intent_id = intent_id_of(order)

    # when someone refunds Rp 50.000 elsewhere (the event carrying its refund list)
    first = charge_refunded_object(intent_id, refunded=50_000, refunds=[("re_dashboard_1", 50_000)])
    response = await deliver_event(client, REFUNDED, first, event_id="evt_refund_1")

    # then the refund is recorded, the order shows it, and an admin is told
    assert response.json()["outcome"] == "refunds_recorded:1"
    [refund] = await records.refunds_of(sessionmaker, order["id"])
    assert (refund.provider_refund_id, refund.amount) == ("re_dashboard_1", 50_000)
    assert (refund.status, refund.reason) == (RefundStatus.SUCCEEDED, "external")
    assert await _status(client, order) == ("processing", "partially_refunded")
    [payment] = await records.payments_of(sessionmaker, order["id"])
    assert payment.status is PaymentAttemptStatus.PARTIALLY_REFUNDED
    assert payment.refunded_amount == 50_000
    [anomaly] = await records.anomalies(sessionmaker)
    assert (anomaly.kind, anomaly.event_id) == ("external_refund", "evt_refund_1")

    # when the same event comes again, and then the rest is refunded there too
    again = await deliver_event(client, REFUNDED, first, event_id="evt_refund_1")
    rest = charge_refunded_object(
        intent_id,
        refunded=TOTAL,
        refunds=[("re_dashboard_2", TOTAL - 50_000), ("re_dashboard_1", 50_000)],
    )
    final = await deliver_event(client, REFUNDED, rest)

    # then only the new refund is added and the order is fully refunded
    assert again.json()["outcome"] == "duplicate"
    assert final.json()["outcome"] == "refunds_recorded:1"
    refunds = await records.refunds_of(sessionmaker, order["id"])
    assert sorted((r.provider_refund_id, r.amount) for r in refunds) == [
        ("re_dashboard_1", 50_000),
        ("re_dashboard_2", TOTAL - 50_000),
    ]
    assert (await order_seen_by_buyer(client, order))["payment_status"] == "refunded"
    [payment] = await records.payments_of(sessionmaker, order["id"])
    assert (payment.status, payment.refunded_amount) == (PaymentAttemptStatus.REFUNDED, TOTAL)
    assert [a.kind for a in await records.anomalies(sessionmaker)] == ["external_refund"] * 2


async def test_charge_refunded_for_a_charge_we_do_not_know_is_acknowledged(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    charge = charge_refunded_object("pi_elsewhere", refunded=1_000)

    response = await deliver_event(client, REFUNDED, charge)

    assert response.json()["outcome"] == "unknown_payment"
    assert await records.anomalies(sessionmaker) == []


async def test_event_whose_change_fails_is_not_stored_so_a_redelivery_applies_it(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: Sessionmaker,
    stripe_client: stripe.StripeClient,
) -> None:
    # given an expired card order whose stock was sold meanwhile, so a payment must be refunded
    shop = await open_shop(app, client, stock=2)
    order = await _card_order(client, shop)
    await _expire_while_stripe_is_unreachable(app, sessionmaker, order)
    await placed_order(client, order_body(order_line(shop.variant_id, 2)))
    payload = event_payload(SUCCEEDED, _succeeded(order), event_id="evt_retry_me")

    # when the succeeded event comes while Stripe refuses the refund (nothing charged there)
    failed = await deliver(client, payload)

    # then Stripe hears an error (and will retry), and neither the event nor any change is kept
    assert failed.status_code == 502
    assert await records.stripe_events(sessionmaker) == []
    assert await records.refunds_of(sessionmaker, order["id"]) == []
    assert await _status(client, order) == ("cancelled", "unpaid")

    # when the charge exists and Stripe delivers the same event again
    assert await pay_intent(stripe_client, intent_id_of(order)) == "succeeded"
    retried = await deliver(client, payload)

    # then it is applied this time, once
    assert retried.status_code == 200, retried.text
    assert retried.json()["outcome"] == "refunded"
    [event] = await records.stripe_events(sessionmaker)
    assert (event.id, event.outcome) == ("evt_retry_me", "refunded")
    assert await _status(client, order) == ("cancelled", "refunded")


async def _expire(app: FastAPI, sessionmaker: Sessionmaker, order: dict[str, Any]) -> None:
    await set_order_expiry(sessionmaker, order["id"], utcnow() - timedelta(minutes=1))
    assert await expire_due_orders(sessionmaker, app.state.gateways) == 1


async def _expire_while_stripe_is_unreachable(
    app: FastAPI, sessionmaker: Sessionmaker, order: dict[str, Any]
) -> None:
    """Expiry cancels the intent at Stripe; when Stripe cannot be reached it expires the order
    all the same, and the intent stays open there: the card can still be charged."""
    gateways: Gateways = app.state.gateways
    unreachable = gateways.settings.model_copy(update={"stripe_api_base": "http://127.0.0.1:1"})
    runtime = PaymentRuntime(settings=unreachable, gateway=StripeGateway(unreachable))
    await set_order_expiry(sessionmaker, order["id"], utcnow() - timedelta(minutes=1))
    expired = await expire_due_orders(sessionmaker, dataclasses.replace(gateways, payments=runtime))
    assert expired == 1


async def test_payment_arriving_after_expiry_takes_the_stock_again_when_it_is_there(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given a card order that expired unpaid (its two packs back on the shelf)
    shop = await open_shop(app, client, stock=10)
    order = await _card_order(client, shop)
    await _expire(app, sessionmaker, order)
    assert await _status(client, order) == ("cancelled", "unpaid")
    assert await variant_stock(sessionmaker, shop.variant_id) == 10

    # when the card payment succeeds after all
    response = await deliver_event(client, SUCCEEDED, _succeeded(order))

    # then the order comes back to life with its stock, and the seller is credited
    assert response.json()["outcome"] == "revived"
    seen = await order_seen_by_buyer(client, order)
    assert (seen["status"], seen["payment_status"]) == ("processing", "paid")
    assert [part["status"] for part in seen["seller_orders"]] == ["to_ship"]
    assert seen["payment"]["status"] == "paid"
    assert await variant_stock(sessionmaker, shop.variant_id) == 8
    assert await records.balance_of(client, shop.owner, shop.seller_id) == TOTAL - COMMISSION
    assert await records.refunds_of(sessionmaker, order["id"]) == []


async def test_payment_arriving_after_expiry_when_sold_out_is_refunded_and_the_buyer_told(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: Sessionmaker,
    stripe_client: stripe.StripeClient,
) -> None:
    # given the last two packs in a card order that expired, then sold to someone else
    shop = await open_shop(app, client, stock=2)
    order = await _card_order(client, shop)
    await _expire_while_stripe_is_unreachable(app, sessionmaker, order)
    other = await placed_order(
        client,
        order_body(order_line(shop.variant_id, 2), buyer={**order["buyer"], "name": "Ani"}),
    )
    assert other["status"] == "pending"
    assert await variant_stock(sessionmaker, shop.variant_id) == 0

    # when the first buyer's card is charged after all
    assert await pay_intent(stripe_client, intent_id_of(order)) == "succeeded"
    response = await deliver_event(client, SUCCEEDED, _succeeded(order))

    # then the money goes straight back through Stripe and the buyer is told
    assert response.json()["outcome"] == "refunded"
    [stripe_refund] = await refunds_on_stripe(stripe_client, intent_id_of(order))
    assert stripe_refund.amount == TOTAL * 100
    [refund] = await records.refunds_of(sessionmaker, order["id"])
    assert (refund.provider_refund_id, refund.amount) == (stripe_refund.id, TOTAL)
    seen = await order_seen_by_buyer(client, order)
    assert (seen["status"], seen["payment_status"]) == ("cancelled", "refunded")
    assert seen["payment"]["status"] == "refunded"
    assert await variant_stock(sessionmaker, shop.variant_id) == 0
    [email] = await records.emails_with_template(sessionmaker, "payment_refunded")
    assert email.recipient == order["buyer"]["email"]
    assert await records.balance_of(client, shop.owner, shop.seller_id) == 0


async def test_cancelling_an_unpaid_card_order_cancels_its_intent_at_stripe(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: Sessionmaker,
    stripe_client: stripe.StripeClient,
) -> None:
    # given a card order the buyer has not paid yet
    shop = await open_shop(app, client, stock=10)
    order = await _card_order(client, shop)

    # when the buyer cancels it
    cancelled = await client.post(
        f"/api/v1/orders/{order['id']}/cancel", headers={"X-Order-Token": order["access_token"]}
    )

    # then the PaymentIntent is cancelled at Stripe, so the card can no longer be charged
    assert cancelled.status_code == 200, cancelled.text
    intent = await stripe_client.v1.payment_intents.retrieve_async(intent_id_of(order))
    assert intent["status"] == "canceled"
    with pytest.raises(stripe.InvalidRequestError):
        await pay_intent(stripe_client, intent_id_of(order))
    assert await _status(client, order) == ("cancelled", "unpaid")
    assert await variant_stock(sessionmaker, shop.variant_id) == 10
