"""A signed-in buyer pays by card in a real browser (Debian's chromium at 390 px): the order
page loads Stripe.js from ``MARKETPLACE_STRIPE_JS_URL`` under its CSP, mounts the Payment
Element and confirms; the PaymentIntent is confirmed on localstripe, whose signed webhook
marks the order paid, and the page says so. Stripe.js is a double (stripe_double.py says
why); everything behind it is real."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest
import stripe
from fastapi import FastAPI
from httpx import AsyncClient

from marketplace.config import Settings
from tests.browser import (
    ARTIFACTS,
    accessibility_problems,
    browser_page,
    needs_chromium,
)
from tests.conftest import make_settings
from tests.factories import create_account
from tests.payments.card_checkout import VISA
from tests.payments.conftest import (
    NOWHERE,
    STRIPE_SECRET_KEY,
    WEBHOOK_SECRET,
    register_webhook,
)
from tests.servers import free_port, serving_marketplace
from tests.storefront.stripe_double import serving_stripe_double
from tests.storefront.test_browser import fill_shipping_address
from tests.storefront.world import pepper_shop

pytestmark = needs_chromium
pytest.importorskip("playwright.async_api")  # skipped, with the reason, without Playwright
PAID_SECONDS = 20.0


@pytest.fixture
def card_server(app: FastAPI, settings: Settings, localstripe_url: str) -> Iterator[str]:
    """The app served with Stripe at localstripe, Stripe.js from the double, and localstripe's
    webhooks delivered to it (``app`` is requested so the tables are emptied afterwards)."""
    client = stripe.StripeClient(
        STRIPE_SECRET_KEY,
        base_addresses={"api": localstripe_url},
        http_client=stripe.HTTPXClient(allow_sync_methods=True),
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with serving_stripe_double(client, free_port()) as stripe_js_url:
        server_settings = make_settings(
            settings.database_url,
            media_root=settings.media_root,
            public_url=url,
            stripe_secret_key=STRIPE_SECRET_KEY,
            stripe_webhook_secret=WEBHOOK_SECRET,
            stripe_api_base=localstripe_url,
            stripe_publishable_key="pk_test_localstripe",
            stripe_js_url=stripe_js_url,
        )
        register_webhook(localstripe_url, f"{url}/api/v1/webhooks/stripe")
        try:
            with serving_marketplace(server_settings, port):
                yield url
        finally:
            register_webhook(localstripe_url, NOWHERE)


async def wait_for_text(page: Any, text: str) -> None:
    deadline = time.monotonic() + PAID_SECONDS
    while text not in await page.inner_text("main"):
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} never showed: {await page.inner_text('main')}")
        await asyncio.sleep(0.5)
        await page.reload()


async def test_signed_in_buyer_pays_by_card_and_sees_the_order_paid(
    app: FastAPI, client: AsyncClient, card_server: str
) -> None:
    shop = await pepper_shop(app, client)
    buyer = await create_account(client)
    async with browser_page() as (page, errors):
        # Given a signed-in buyer with 250 g of pepper in the cart
        await page.goto(f"{card_server}/masuk")
        await page.fill("#email", buyer.email)
        await page.fill("#password", buyer.password)
        await page.click("main button[type=submit]")
        await page.wait_for_url(f"{card_server}/")
        await page.goto(f"{card_server}/produk/{shop.slug}")
        await page.check(f'input[value="{shop.variant(1)}"]')
        await page.click("text=Tambah ke keranjang")
        await page.wait_for_url("**/keranjang")

        # When they check out by card and pay on the order page
        await page.goto(f"{card_server}/checkout")
        assert await page.input_value("#f-email") == buyer.email
        await fill_shipping_address(page)
        await page.check('input[value="stripe"]')
        await page.click("text=Buat pesanan")
        await page.wait_for_url("**/pesanan/**")
        await page.wait_for_selector("#card-number")
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "storefront-card.png"), full_page=True)
        problems = await accessibility_problems(page)
        assert "Rp 67.000" in await page.inner_text("#card")
        await page.fill("#card-number", VISA)
        await page.fill("#card-exp_month", "12")
        await page.fill("#card-exp_year", "2034")
        await page.fill("#card-cvc", "123")
        await page.click("text=Bayar dengan kartu")

        # Then the webhook marks the order paid and the page shows it
        await wait_for_text(page, "Lunas")
        await page.screenshot(path=str(ARTIFACTS / "storefront-card-paid.png"), full_page=True)
    assert problems == []
    assert errors == []
