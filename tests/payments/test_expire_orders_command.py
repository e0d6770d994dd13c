"""``marketplace expire-orders`` (cron) does what the ``serve`` sweep does, with the same
gateways: an expired card order's PaymentIntent is cancelled at Stripe (localstripe here), so
the card shown it can no longer be charged."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import stripe

from marketplace.db.base import utcnow
from tests.factories import (
    http_client,
    open_shop,
    order_body,
    order_line,
    placed_order,
    running_app,
    set_order_expiry,
)
from tests.payments.card_checkout import intent_id_of, order_seen_by_buyer
from tests.payments.commands import command_database, run_command


async def test_expire_orders_command_cancels_the_expired_card_orders_intent_at_stripe(
    localstripe_url: str,
    stripe_client: stripe.StripeClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a database of its own with an unpaid card order past its expiry
    settings = await command_database(tmp_path, localstripe_url, monkeypatch, "expire.db")
    async with running_app(settings) as own_app, http_client(own_app) as own_client:
        shop = await open_shop(own_app, own_client)
        order = await placed_order(
            own_client, order_body(order_line(shop.variant_id, 2), payment_method="stripe")
        )
        past = utcnow() - timedelta(minutes=1)
        await set_order_expiry(own_app.state.sessionmaker, order["id"], past)
    intent_id = intent_id_of(order)
    before = await stripe_client.v1.payment_intents.retrieve_async(intent_id)
    assert before.status == "requires_payment_method"

    # when cron runs the command
    result = await run_command("expire-orders")

    # then the order is cancelled here and its intent at Stripe
    assert result.exit_code == 0, result.output
    assert "1 orders expired" in result.output
    after = await stripe_client.v1.payment_intents.retrieve_async(intent_id)
    assert after.status == "canceled"
    async with running_app(settings) as own_app, http_client(own_app) as own_client:
        seen = await order_seen_by_buyer(own_client, order)
    assert (seen["status"], seen["payment_status"]) == ("cancelled", "unpaid")
    assert seen["payment"]["status"] == "cancelled"
