"""Serves ``stripe_js_double.js`` as ``/v3/`` and confirms the PaymentIntents it is handed on
localstripe with the real SDK (the relay a browser cannot reach localstripe without)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import stripe

SCRIPT = Path(__file__).with_name("stripe_js_double.js").read_bytes()


class StripeDoubleHandler(BaseHTTPRequestHandler):
    def __init__(self, client: stripe.StripeClient, *args: Any) -> None:
        self.client = client
        super().__init__(*args)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
        return

    def _answer(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path.rstrip("/") == "/v3":
            self._answer(200, SCRIPT, "text/javascript")
        else:
            self._answer(404, b"", "text/plain")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        request = json.loads(self.rfile.read(length))
        result = self._confirm(request["client_secret"], request["card"])
        self._answer(200, json.dumps(result).encode(), "application/json")

    def _confirm(self, client_secret: str, card: dict[str, str]) -> dict[str, Any]:
        intent_id = client_secret.split("_secret_", maxsplit=1)[0]
        try:
            method = self.client.v1.payment_methods.create(
                params={
                    "type": "card",
                    "card": {
                        "number": card["number"],
                        "exp_month": int(card["exp_month"]),
                        "exp_year": int(card["exp_year"]),
                        "cvc": card["cvc"],
                    },
                }
            )
            self.client.v1.payment_intents.update(intent_id, params={"payment_method": method.id})
            intent = self.client.v1.payment_intents.confirm(intent_id)
        except (stripe.StripeError, ValueError) as error:
            return {"error": {"message": str(error)}}
        return {"paymentIntent": {"id": intent.id, "status": intent.status}}


@contextmanager
def serving_stripe_double(client: stripe.StripeClient, port: int) -> Iterator[str]:
    """The double on 127.0.0.1:``port``; yields its Stripe.js address."""
    httpd = ThreadingHTTPServer(("127.0.0.1", port), partial(StripeDoubleHandler, client))
    thread = threading.Thread(target=httpd.serve_forever, name="stripe-js-double", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/v3/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
