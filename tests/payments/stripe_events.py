"""Stripe webhook events built and signed by the tests, as Stripe signs them: header
``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<payload>" keyed with the endpoint secret>``."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any

from httpx import AsyncClient, Response

from tests.payments.conftest import WEBHOOK_SECRET

WEBHOOK_PATH = "/api/v1/webhooks/stripe"
_event_numbers = itertools.count(1)


def new_event_id() -> str:
    return f"evt_test_{time.time_ns()}_{next(_event_numbers)}"


def signature_header(payload: bytes, *, secret: str = WEBHOOK_SECRET, timestamp: int) -> str:
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event_payload(event_type: str, obj: dict[str, Any], *, event_id: str | None = None) -> bytes:
    event = {
        "id": event_id or new_event_id(),
        "object": "event",
        "type": event_type,
        "created": int(time.time()),
        "livemode": False,
        "data": {"object": obj},
    }
    return json.dumps(event).encode()


def intent_object(
    intent_id: str,
    *,
    rupiah: int,
    status: str = "succeeded",
    currency: str = "idr",
    order_id: str | None = None,
    amount_received: int | None = None,
    failure_message: str | None = None,
) -> dict[str, Any]:
    """A PaymentIntent as an event carries it; ``amount_received`` defaults to the amount."""
    amount = rupiah * 100
    received = amount if status == "succeeded" else 0
    return {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_received": received if amount_received is None else amount_received,
        "currency": currency,
        "status": status,
        "metadata": {"order_id": order_id} if order_id else {},
        "last_payment_error": (
            {"code": "card_declined", "message": failure_message} if failure_message else None
        ),
    }


def charge_refunded_object(
    intent_id: str, *, refunded: int, refunds: list[tuple[str, int]] | None = None
) -> dict[str, Any]:
    """A charge of which ``refunded`` rupiah have been given back. Since API version 2022-11-15
    a charge carries no ``refunds`` list unless the endpoint expands it: pass ``refunds`` as
    (refund id, rupiah) pairs, newest first, for an expanded one."""
    charge: dict[str, Any] = {
        "id": f"ch_{intent_id.removeprefix('pi_')}",
        "object": "charge",
        "payment_intent": intent_id,
        "amount_refunded": refunded * 100,
    }
    if refunds is not None:
        charge["refunds"] = {
            "object": "list",
            "data": [
                {"id": refund_id, "object": "refund", "amount": rupiah * 100, "status": "succeeded"}
                for refund_id, rupiah in refunds
            ],
        }
    return charge


async def deliver(
    client: AsyncClient,
    payload: bytes,
    *,
    secret: str = WEBHOOK_SECRET,
    timestamp: int | None = None,
    header: str | None = None,
) -> Response:
    """POST ``payload`` to the webhook, signed with ``secret`` at ``timestamp`` (now), unless
    ``header`` gives the Stripe-Signature to send as it is."""
    signature = header or signature_header(
        payload, secret=secret, timestamp=int(time.time()) if timestamp is None else timestamp
    )
    return await client.post(
        WEBHOOK_PATH,
        content=payload,
        headers={"Stripe-Signature": signature, "Content-Type": "application/json"},
    )


async def deliver_event(
    client: AsyncClient, event_type: str, obj: dict[str, Any], *, event_id: str | None = None
) -> Response:
    """Build, sign and deliver one event; asserts 200 and returns the response."""
    response = await deliver(client, event_payload(event_type, obj, event_id=event_id))
    assert response.status_code == 200, response.text
    return response
