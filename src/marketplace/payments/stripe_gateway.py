"""The one place that talks to Stripe: API version pinned, idempotency keys on every create,
SDK errors turned into ours. IDR is sent in hundredths (Stripe's unit): rupiah x 100."""

from __future__ import annotations

import json
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

from marketplace.config import Settings
from marketplace.core.errors import AppError

if TYPE_CHECKING:
    import stripe


def _sdk() -> ModuleType:
    """The stripe package, imported on first use (it costs ~29 MB per worker that a
    marketplace without card payments never needs)."""
    import stripe  # noqa: PLC0415

    return stripe


STRIPE_API_VERSION = "2026-10-28.endive"
STRIPE_CURRENCY = "idr"
HUNDREDTHS_PER_RUPIAH = 100
SIGNATURE_TOLERANCE_SECONDS = 300


class PaymentProviderError(AppError):
    status_code = 502
    problem = "payment-provider-error"


class InvalidWebhookSignature(AppError):
    status_code = 400
    problem = "invalid-webhook-signature"


def to_stripe_amount(rupiah: int) -> int:
    return rupiah * HUNDREDTHS_PER_RUPIAH


def from_stripe_amount(amount: int) -> int:
    return amount // HUNDREDTHS_PER_RUPIAH


@dataclass(frozen=True)
class Intent:
    id: str
    client_secret: str | None
    status: str
    amount: int
    currency: str
    order_id: str | None


@dataclass(frozen=True)
class StripeRefund:
    id: str
    amount: int
    status: str


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    data: dict[str, Any]


def _intent(raw: stripe.PaymentIntent) -> Intent:
    # The SDK's objects are not dicts (no ``.get``) since stripe-python 13: read a plain copy.
    data: dict[str, Any] = raw.to_dict()
    metadata = data.get("metadata") or {}
    return Intent(
        id=data["id"],
        client_secret=data.get("client_secret"),
        status=data["status"],
        amount=int(data["amount"]),
        currency=str(data["currency"]).lower(),
        order_id=metadata.get("order_id"),
    )


class StripeGateway:
    def __init__(self, settings: Settings) -> None:
        self._secret_key = settings.stripe_secret_key.get_secret_value()
        self._webhook_secret = settings.stripe_webhook_secret.get_secret_value()
        self._client: stripe.StripeClient | None = None
        if self._secret_key:
            sdk = _sdk()
            base = {"api": settings.stripe_api_base} if settings.stripe_api_base else None
            self._client = sdk.StripeClient(
                self._secret_key,
                stripe_version=STRIPE_API_VERSION,
                base_addresses=base,
                http_client=sdk.HTTPXClient(),
                max_network_retries=2,
            )

    @property
    def configured(self) -> bool:
        return self._client is not None

    @property
    def webhooks_enabled(self) -> bool:
        return bool(self._webhook_secret)

    def _require_client(self) -> stripe.StripeClient:
        if self._client is None:
            raise PaymentProviderError("Stripe is not configured")
        return self._client

    async def create_intent(
        self, *, rupiah: int, order_id: str, order_number: str, idempotency_key: str
    ) -> Intent:
        client = self._require_client()
        params: dict[str, Any] = {
            "amount": to_stripe_amount(rupiah),
            "currency": STRIPE_CURRENCY,
            "payment_method_types": ["card"],
            "metadata": {"order_id": order_id, "order_number": order_number},
        }
        try:
            raw = await client.v1.payment_intents.create_async(
                params=params,  # type: ignore[arg-type]
                options={"idempotency_key": idempotency_key},
            )
        except _sdk().StripeError as error:
            raise PaymentProviderError(str(error.user_message or error)) from error
        return _intent(raw)

    async def retrieve_intent(self, intent_id: str) -> Intent:
        client = self._require_client()
        try:
            return _intent(await client.v1.payment_intents.retrieve_async(intent_id))
        except _sdk().StripeError as error:
            raise PaymentProviderError(str(error.user_message or error)) from error

    async def update_intent_amount(self, intent_id: str, rupiah: int) -> None:
        client = self._require_client()
        try:
            await client.v1.payment_intents.update_async(
                intent_id,
                params={"amount": to_stripe_amount(rupiah)},
            )
        except _sdk().StripeError as error:
            raise PaymentProviderError(str(error.user_message or error)) from error

    async def cancel_intent(self, intent_id: str) -> None:
        client = self._require_client()
        try:
            await client.v1.payment_intents.cancel_async(intent_id)
        except _sdk().StripeError as error:
            raise PaymentProviderError(str(error.user_message or error)) from error

    async def refund(self, *, intent_id: str, rupiah: int, idempotency_key: str) -> StripeRefund:
        client = self._require_client()
        try:
            raw = await client.v1.refunds.create_async(
                params={"payment_intent": intent_id, "amount": to_stripe_amount(rupiah)},
                options={"idempotency_key": idempotency_key},
            )
        except _sdk().StripeError as error:
            raise PaymentProviderError(str(error.user_message or error)) from error
        return StripeRefund(
            id=raw["id"], amount=from_stripe_amount(int(raw["amount"])), status=raw["status"]
        )

    async def list_refunds(self, intent_id: str) -> list[StripeRefund]:
        """Every refund of the intent's charge, as Stripe knows them (amounts in rupiah)."""
        client = self._require_client()
        try:
            page = await client.v1.refunds.list_async(
                params={"payment_intent": intent_id, "limit": 100}
            )
        except _sdk().StripeError as error:
            raise PaymentProviderError(str(error.user_message or error)) from error
        return [
            StripeRefund(
                id=raw["id"], amount=from_stripe_amount(int(raw["amount"])), status=raw["status"]
            )
            for raw in page.data
        ]

    def verify_event(self, payload: bytes, signature_header: str | None) -> WebhookEvent:
        """The event, when signed with our secret within Stripe's 300 s tolerance; else 400."""
        if not signature_header:
            raise InvalidWebhookSignature("missing Stripe-Signature header")
        try:
            _sdk().WebhookSignature.verify_header(
                payload.decode("utf-8"),
                signature_header,
                self._webhook_secret,
                SIGNATURE_TOLERANCE_SECONDS,
            )
            parsed = json.loads(payload)
            return WebhookEvent(
                id=str(parsed["id"]), type=str(parsed["type"]), data=parsed.get("data") or {}
            )
        except (_sdk().SignatureVerificationError, ValueError, KeyError, TypeError) as error:
            raise InvalidWebhookSignature(str(error)) from error
