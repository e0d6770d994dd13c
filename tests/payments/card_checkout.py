"""Paying a PaymentIntent on localstripe the way the buyer's browser would (Stripe.js creates a
card PaymentMethod and confirms), with the real SDK. localstripe cannot take a payment method
in ``confirm``, so it is attached with an update first."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import stripe
from httpx import AsyncClient

from tests.factories import guest_headers

VISA = "4242424242424242"
# localstripe declines charges on this number (its 4000000000000002 only fails attaching a card
# to a customer, and charges fine).
DECLINED_CARD = "4000000000000341"
DECLINE_MESSAGE = "Your card was declined."


def intent_id_of(order: dict[str, Any]) -> str:
    """The PaymentIntent behind the order's payment, read from its client_secret."""
    secret: str = order["payment"]["client_secret"]
    return secret.split("_secret_", maxsplit=1)[0]


async def pay_intent(stripe_client: stripe.StripeClient, intent_id: str, card: str = VISA) -> str:
    """Card details in, confirm; returns the intent's status (a decline is not an error here)."""
    method = await stripe_client.v1.payment_methods.create_async(
        params={
            "type": "card",
            "card": {"number": card, "exp_month": 12, "exp_year": 2034, "cvc": "123"},
        }
    )
    await stripe_client.v1.payment_intents.update_async(
        intent_id, params={"payment_method": method.id}
    )
    try:
        confirmed = await stripe_client.v1.payment_intents.confirm_async(intent_id)
    except stripe.CardError:
        return (await stripe_client.v1.payment_intents.retrieve_async(intent_id)).status
    return confirmed.status


async def refunds_on_stripe(stripe_client: stripe.StripeClient, intent_id: str) -> list[Any]:
    listed = await stripe_client.v1.refunds.list_async(params={"payment_intent": intent_id})
    return list(listed.data)


async def order_seen_by_buyer(client: AsyncClient, order: dict[str, Any]) -> dict[str, Any]:
    response = await client.get(f"/api/v1/orders/{order['id']}", headers=guest_headers(order))
    assert response.status_code == 200, response.text
    seen: dict[str, Any] = response.json()
    return seen


async def wait_for(
    check: Callable[[], Awaitable[bool]], *, timeout: float = 10.0, what: str = "condition"
) -> None:
    """Poll ``check`` until it holds; localstripe posts its webhooks about 1 s late."""
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.1)


async def wait_for_order(
    client: AsyncClient, order: dict[str, Any], **expected: str
) -> dict[str, Any]:
    """The order once its fields (``payment_status="paid"``...) show ``expected``."""
    seen: dict[str, Any] = {}

    async def reached() -> bool:
        nonlocal seen
        seen = await order_seen_by_buyer(client, order)
        return all(seen[field] == value for field, value in expected.items())

    await wait_for(reached, what=f"order {order['number']} to show {expected}")
    return seen
