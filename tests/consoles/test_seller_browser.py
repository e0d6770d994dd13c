"""The seller console in a real browser: Debian's chromium at a phone's 390 px width against
the app served by uvicorn. A new seller registers (the API, e-mail confirmed as the factories
do), signs in, creates the seller profile, adds a product with a photo from the camera input
and sees "waiting for verification"; once an admin has verified the seller (the admin console
is another part, so the test calls the API), the listing goes to review (listings are reviewed
first here) and an admin approves it; a buyer's cash-on-delivery order appears and the seller
ships it with a tracking number. axe-core checks every page type; screenshots and the pages'
weights go to test-artifacts/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from marketplace.catalog.csv_format import COLUMNS
from marketplace.config import Settings
from tests.browser import (
    ARTIFACTS,
    accessibility_problems,
    browser_page,
    needs_chromium,
)
from tests.conftest import make_settings
from tests.factories import (
    DEFAULT_PASSWORD,
    create_admin,
    create_category,
    image_bytes,
    mark_email_verified,
    order_body,
    order_line,
    placed_order,
    verify_seller,
)
from tests.servers import free_port, serving_marketplace

pytestmark = needs_chromium
pytest.importorskip("playwright.async_api")  # skipped, with the reason, without Playwright

PAGE_BUDGET_BYTES = 50_000  # the limit for a page before images
SELLER_EMAIL = "sari.kim@contoh.id"


@pytest.fixture
def served_url(app: FastAPI, settings: Settings) -> Iterator[str]:
    """The app on a loopback port with listings reviewed before they go public."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server_settings = make_settings(
        settings.database_url,
        media_root=settings.media_root,
        public_url=url,
        listing_review="pre",
    )
    with serving_marketplace(server_settings, port):
        yield url


class Pages:
    """Screenshots, axe-core findings and HTML weights of the pages visited."""

    def __init__(self) -> None:
        self.problems: dict[str, list[dict[str, Any]]] = {}
        self.weights: dict[str, int] = {}

    async def check(self, page: Any, name: str) -> None:
        await page.wait_for_function(
            "() => Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
        )
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / f"console-seller-{name}.png"), full_page=True)
        self.problems[name] = await accessibility_problems(page)
        # the stylesheet and scripts are inline, so the document is all the page's text
        self.weights[name] = await page.evaluate(
            "() => performance.getEntriesByType('navigation')[0].decodedBodySize"
        )

    def write_weights(self) -> None:
        lines = [f"{name}\t{size}" for name, size in sorted(self.weights.items())]
        (ARTIFACTS / "console-seller-page-weights.tsv").write_text("\n".join(lines) + "\n")


async def register(url: str) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=20) as http:
        response = await http.post(
            "/api/v1/auth/register",
            json={"email": SELLER_EMAIL, "password": DEFAULT_PASSWORD, "full_name": "Sari"},
        )
    assert response.status_code == 201, response.text


async def sign_in(page: Any, url: str) -> None:
    await page.goto(url + "/penjual/")
    await page.wait_for_url("**/masuk?next=/penjual/")
    await page.fill("#email", SELLER_EMAIL)
    await page.fill("#password", DEFAULT_PASSWORD)
    await page.click("main button[type=submit]")
    await page.wait_for_url("**/penjual/")


async def create_profile(page: Any, pages: Pages) -> str:
    await page.click("text=Buat profil penjual")
    await page.wait_for_url("**/penjual/baru")
    await pages.check(page, "profile-form")
    await page.fill("#f-name", "KIM Sari Lada")
    await page.select_option("#f-kind", "community_group")
    await page.select_option("#f-region_code", "19.05")
    await page.fill("#f-whatsapp", "081234567890")
    await page.click("text=Kirim untuk diverifikasi")
    await page.wait_for_url(re.compile(r".*/penjual/[0-9a-f-]{36}/$"))
    assert "Menunggu verifikasi" in await page.inner_text("main")
    found = re.search(r"/penjual/([0-9a-f-]{36})/", page.url)
    assert found
    return found.group(1)


async def add_product(page: Any, pages: Pages) -> str:
    await page.click("main >> text=Tambah produk")
    await page.wait_for_url("**/produk/baru")
    await pages.check(page, "product-new")
    await page.set_input_files(
        "#f-photo",
        files=[{"name": "lada.jpg", "mimeType": "image/jpeg", "buffer": image_bytes()}],
    )
    await page.fill("#f-title", "Lada Putih Muntok")
    await page.select_option("#f-category", "rempah")
    await page.fill("#f-description", "Lada putih pilihan dari Muntok.")
    await page.fill("[id='f-variants.0.name']", "250 gram")
    await page.fill("[id='f-variants.0.price']", "55.000")
    await page.fill("[id='f-variants.0.stock']", "12")
    await page.fill("[id='f-variants.0.weight_grams']", "270")
    await page.click("text=Simpan sebagai draf")
    await page.wait_for_url(re.compile(r".*/produk/[0-9a-f-]{36}$"))
    text = await page.inner_text("main")
    assert "Produk disimpan sebagai draf" in text
    assert "setelah profil penjual Anda diverifikasi" in text
    assert await page.locator(".thumbs img").count() == 1
    return page.url.rsplit("/", 1)[1]


async def import_with_a_bad_row(page: Any, url: str, seller_id: str, pages: Pages) -> None:
    rows = [
        ",".join(COLUMNS),
        ",Lada Hitam,Lada hitam,rempah,,,,,250 g,,45000,5,270",
        ",Lada Merah,Lada merah,rempah,,,,,250 g,,mahal,5,270",
    ]
    await page.goto(f"{url}/penjual/{seller_id}/impor")
    await page.set_input_files(
        "#f-file",
        files=[{"name": "produk.csv", "mimeType": "text/csv", "buffer": "\n".join(rows).encode()}],
    )
    await page.click("main button[type=submit]")
    await page.wait_for_selector("text=1 baris ditolak")
    await pages.check(page, "import-report")


async def test_new_seller_lists_a_product_and_ships_the_first_order(
    app: FastAPI, client: AsyncClient, served_url: str
) -> None:
    admin = await create_admin(app, client)
    await create_category(client, admin)
    await register(served_url)
    await mark_email_verified(client, SELLER_EMAIL)
    pages = Pages()
    async with browser_page() as (page, errors):
        # Given a new seller signed in, with no seller profile yet
        await sign_in(page, served_url)
        await pages.check(page, "start")
        # When they create the profile and add a product with a photo
        seller_id = await create_profile(page, pages)
        await pages.check(page, "home-waiting")
        product_id = await add_product(page, pages)
        await pages.check(page, "product")

        # Then, once verified, publishing sends the listing to review, and says why
        await verify_seller(client, admin, seller_id)
        await page.reload()
        await page.click("text=Tayangkan")
        await page.wait_for_load_state()
        assert "dikirim ke admin" in await page.inner_text("main")
        assert "diperiksa admin dulu" in await page.inner_text("main")
        await pages.check(page, "product-in-review")
        approved = await client.post(
            f"/api/v1/admin/products/{product_id}/approve", headers=admin.headers
        )
        assert approved.status_code == 200, approved.text
        await page.goto(f"{served_url}/penjual/{seller_id}/produk")
        assert "tayang" in await page.inner_text("main")
        await pages.check(page, "products")

        # When a buyer orders (cash on delivery), the order waits to be shipped
        variant_id = approved.json()["variants"][0]["id"]
        order = await placed_order(
            client, order_body(order_line(variant_id, 2), payment_method="cod")
        )
        await page.goto(f"{served_url}/penjual/{seller_id}/")
        assert re.search(r"\b1\s+pesanan perlu dikirim", await page.inner_text("main"))
        await pages.check(page, "home")
        await page.click("text=pesanan perlu dikirim")
        await page.wait_for_url("**/pesanan?status=to_ship")
        await pages.check(page, "orders")
        await page.click(f"text={order['number']}")
        await page.wait_for_url("**/pesanan/*")
        await pages.check(page, "order")

        # And the seller ships it with a tracking number
        await page.fill("#f-courier", "JNE")
        await page.fill("#f-tracking_number", "JNE0123456789")
        await page.click("text=Tandai sudah dikirim")
        await page.wait_for_load_state()
        text = await page.inner_text("main")
        assert "Pesanan ditandai dikirim" in text
        assert "JNE0123456789" in text
        order_url = page.url

        # And the other page types pass the same checks
        await page.goto(order_url + "/slip")
        await pages.check(page, "packing-slip")
        await page.goto(order_url)
        await page.click("text=Sudah sampai dan uang COD diterima")
        await page.wait_for_load_state()
        await pages.check(page, "confirm")
        for name, tail in (
            ("money", "uang"),
            ("team", "tim"),
            ("import", "impor"),
            ("profile", "profil"),
        ):
            await page.goto(f"{served_url}/penjual/{seller_id}/{tail}")
            await pages.check(page, name)
        await import_with_a_bad_row(page, served_url, seller_id, pages)
        await page.goto(f"{served_url}/penjual/{seller_id}/produk/baru?lang=en")
        await page.fill("#f-title", "Ab")
        await page.select_option("#f-category", "rempah")
        await page.fill("[id='f-variants.0.name']", "1 kg")
        await page.fill("[id='f-variants.0.price']", "lima")
        await page.fill("[id='f-variants.0.stock']", "1")
        await page.fill("[id='f-variants.0.weight_grams']", "1000")
        await page.click("text=Save as draft")
        await page.wait_for_selector(".field-error")
        assert "Enter a whole number." in await page.inner_text("main")
        await pages.check(page, "form-errors-en")
        await page.goto(
            f"{served_url}/penjual/{seller_id}/produk/00000000-0000-0000-0000-000000000000"
        )
        await pages.check(page, "not-found")
    pages.write_weights()
    assert {name: found for name, found in pages.problems.items() if found} == {}
    assert {n: w for n, w in pages.weights.items() if w > PAGE_BUDGET_BYTES} == {}
    # the refused form's 422 and the not-found page's 404 are the only failed loads
    assert [e for e in errors if not re.search(r"status of (404|422) ", e)] == []
