"""The storefront in a real browser: Debian's chromium, headless, at a phone's 390 px width,
driven by Playwright against the app served by uvicorn on loopback with a real SMTP server
(aiosmtpd). A guest finds pepper by searching, puts two sizes in the cart, orders by bank
transfer, sees the exact amount and opens the order from the e-mailed link; axe-core checks
every page type; screenshots go to test-artifacts/ (not committed). A link-preview bot's fetch
finds ``og:image`` as an absolute URL answering with an image."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from marketplace.config import Settings
from tests.browser import (
    ARTIFACTS,
    PHONE,
    accessibility_problems,
    browser_page,
    needs_chromium,
)
from tests.conftest import make_settings
from tests.featured.world import feature
from tests.orders.test_emails import Inbox, start_smtp_server
from tests.servers import free_port, serving_marketplace
from tests.storefront.world import PepperShop, pepper_shop

pytestmark = needs_chromium
pytest.importorskip("playwright.async_api")  # skipped, with the reason, without Playwright

MAIL_SECONDS = 15.0


@dataclass(frozen=True)
class Served:
    url: str
    inbox: Inbox


@pytest.fixture
def served(app: FastAPI, settings: Settings) -> Iterator[Served]:
    """The app on a loopback port, its public URL that address, e-mail to aiosmtpd (``app``
    is requested so the tables are emptied afterwards)."""
    inbox, smtp_port, port = Inbox(), free_port(), free_port()
    controller = start_smtp_server(inbox, smtp_port)
    url = f"http://127.0.0.1:{port}"
    server_settings = make_settings(
        settings.database_url,
        media_root=settings.media_root,
        public_url=url,
        smtp_url=f"smtp://127.0.0.1:{smtp_port}",
    )
    try:
        with serving_marketplace(server_settings, port):
            yield Served(url=url, inbox=inbox)
    finally:
        controller.stop()


async def check_page(page: Any, name: str, problems: dict[str, list[dict[str, Any]]]) -> None:
    """A screenshot once every (lazy) image has loaded, and axe-core's verdict."""
    await page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    await page.wait_for_function(
        "() => Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
    )
    await page.evaluate("() => window.scrollTo(0, 0)")
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"storefront-{name}.png"), full_page=True)
    problems[name] = await accessibility_problems(page)


async def e_mailed_order_link(inbox: Inbox, email: str) -> str:
    deadline = time.monotonic() + MAIL_SECONDS
    while time.monotonic() < deadline:
        for mail in inbox.to(email):
            found = re.search(r"(http://\S+/pesanan/\S+token=[0-9a-f]+)", mail.text)
            if found:
                return found.group(1)
        await asyncio.sleep(0.2)
    raise AssertionError(f"no order e-mail with a link reached {email}")


async def fill_checkout(page: Any) -> None:
    await page.fill("#f-name", "Budi Santoso")
    await page.fill("#f-email", "budi@contoh.id")
    await fill_shipping_address(page)


async def fill_shipping_address(page: Any) -> None:
    await page.fill("#f-phone", "081234567890")
    await page.select_option("#f-region_code", "19.71")
    await page.fill("#f-street", "Jl. Jenderal Sudirman No. 5")
    await page.fill("#f-village", "Batin Tikal")
    await page.fill("#f-district", "Taman Sari")
    await page.fill("#f-postal_code", "33121")


async def add_variant(page: Any, product_url: str, variant_id: str, quantity: int) -> None:
    await page.goto(product_url)
    await page.check(f'input[value="{variant_id}"]')
    await page.fill("#quantity", str(quantity))
    await page.click("text=Tambah ke keranjang")
    await page.wait_for_url("**/keranjang")


async def test_guest_searches_orders_by_bank_transfer_and_opens_the_e_mailed_link(
    app: FastAPI, client: AsyncClient, served: Served
) -> None:
    shop: PepperShop = await pepper_shop(app, client, whatsapp="081234567890")
    await feature(client, shop.setup.admin, shop.product["id"])
    problems: dict[str, list[dict[str, Any]]] = {}
    async with browser_page() as (page, errors):
        # Given the home page, a guest searches "lada"
        await page.goto(served.url + "/")
        await check_page(page, "home", problems)
        await page.fill("#find-q", "lada")
        await page.press("#find-q", "Enter")
        await page.wait_for_url("**/cari?q=lada*")
        await check_page(page, "search", problems)

        # When they open the product and put two of its sizes in the cart
        await page.click(f"a.title:has-text('{shop.product['title']}')")
        await page.wait_for_url(f"**/produk/{shop.slug}")
        await check_page(page, "product", problems)
        product_url = page.url
        await add_variant(page, product_url, shop.variant(0), 2)
        await add_variant(page, product_url, shop.variant(1), 1)
        await check_page(page, "cart", problems)

        # And check out as a guest by bank transfer, shipping quoted first
        await page.click("text=Lanjut ke pembayaran")
        await page.wait_for_url("**/checkout")
        await fill_checkout(page)
        await page.click("text=Hitung ongkos kirim")
        await page.wait_for_load_state()
        assert "Rp 117.000" in await page.inner_text("main")
        await check_page(page, "checkout", problems)
        await page.check('input[value="bank_transfer"]')
        await page.click("text=Buat pesanan")
        await page.wait_for_url("**/pesanan/**")

        # Then the order page shows the exact amount to transfer
        # (the total plus the payment's unique code, 1..999)
        amount = await page.inner_text(".amount")
        assert re.fullmatch(r"Rp 117\.\d{3}", amount)
        assert amount != "Rp 117.000"
        await check_page(page, "order", problems)

        # And the e-mailed link opens the order in a browser without the session
        link = await e_mailed_order_link(served.inbox, "budi@contoh.id")
        fresh = await page.context.browser.new_context(viewport=PHONE)
        mailed = await fresh.new_page()
        await mailed.goto(link)
        assert await mailed.inner_text(".amount") == amount
        await fresh.close()

        # And the remaining page types pass the same checks
        await page.goto(f"{served.url}/toko/{shop.setup.seller['slug']}")
        await check_page(page, "seller", problems)
        await page.goto(f"{served.url}/wilayah/19.05?lang=en")
        await check_page(page, "region", problems)
        await page.goto(f"{served.url}/masuk")
        await check_page(page, "sign-in", problems)
        await page.goto(f"{served.url}/produk/tidak-ada")
        await check_page(page, "not-found", problems)
    assert {name: found for name, found in problems.items() if found} == {}
    # the not-found page's own 404 is the only failed load
    assert errors == [
        "Failed to load resource: the server responded with a status of 404 (Not Found)"
    ]


async def test_link_preview_bot_finds_an_absolute_og_image_that_answers_with_an_image(
    app: FastAPI, client: AsyncClient, served: Served
) -> None:
    shop = await pepper_shop(app, client)
    bot = {
        "User-Agent": "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"
    }
    async with httpx.AsyncClient(headers=bot, timeout=10) as http:
        page = await http.get(f"{served.url}/produk/{shop.slug}")
        found = re.search(r'<meta property="og:image" content="([^"]+)"', page.text)
        assert found, page.text[:1000]
        image_url = found.group(1)
        assert image_url.startswith(served.url + "/")
        image = await http.get(image_url)
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/jpeg"
    assert image.content[:3] == b"\xff\xd8\xff"
