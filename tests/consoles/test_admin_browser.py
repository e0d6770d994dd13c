"""The admin console in a real browser: Debian's chromium, headless, at a phone's 390 px width,
driven by Playwright against the app served by uvicorn on loopback. An admin signs in, verifies
a waiting seller, approves the listing screening held back, and confirms a bank transfer found
by its order number; axe-core checks every admin page type (no serious or critical
violations) and a screenshot of each goes to test-artifacts/ (not committed)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from marketplace.reports.tasks import rebuild_reports
from tests.browser import (
    ARTIFACTS,
    PHONE,
    accessibility_problems,
    browser_page,
    needs_chromium,
)
from tests.consoles.admin_world import TransferOrder, flagged_listing, transfer_order
from tests.factories import (
    Account,
    confirm_payment,
    create_account,
    create_product,
    guest_headers,
    order_body,
    order_line,
    placed_order,
    set_up_catalog,
)
from tests.payments.escrow_steps import complain, resolve
from tests.storefront.test_browser import Served, served

__all__ = ["served"]  # the fixture, shared with the storefront's browser tests

pytestmark = needs_chromium
pytest.importorskip("playwright.async_api")  # skipped, with the reason, without Playwright


NARROW = {"width": 360, "height": 740}


async def look(page: Any, name: str, problems: dict[str, list[dict[str, Any]]]) -> None:
    """A full-page screenshot and axe-core's serious and critical findings; the page must fit
    a 390 px and a 360 px screen (nothing scrolls sideways but the tables meant to)."""
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"admin-{name}.png"), full_page=True)
    problems[name] = await accessibility_problems(page)
    for viewport in (PHONE, NARROW):
        await page.set_viewport_size(viewport)
        width = await page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= viewport["width"], (name, viewport, width)
    await page.set_viewport_size(PHONE)


async def sign_in(page: Any, url: str, account: Account) -> None:
    await page.goto(f"{url}/admin/")
    await page.wait_for_url("**/masuk?next=**")
    await page.fill("input[name=email]", account.email)
    await page.fill("input[name=password]", account.password)
    await page.click("main button[type=submit]")
    await page.wait_for_url("**/admin/")


async def confirm(page: Any) -> None:
    """Answer the console's confirm page yes."""
    await page.wait_for_selector("input[name=confirmed]", state="attached")
    await page.click("form:has(input[name=confirmed]) button.danger")


async def test_admin_verifies_a_seller_approves_a_listing_and_confirms_a_transfer_on_a_phone(
    app: FastAPI, client: AsyncClient, served: Served
) -> None:
    world: TransferOrder = await transfer_order(app, client)
    admin = world.shop.setup.admin
    waiting = await set_up_catalog(
        app, client, verified=False, admin=admin, seller_name="KIM Getas Belinyu"
    )
    await create_product(
        client,
        waiting.owner,
        waiting.seller_id,
        title="Getas Ikan Tenggiri",
        category=waiting.category,
        attributes={"pirt_number": "2061903010123-29"},
    )
    buyer = await create_account(client)
    problems: dict[str, list[dict[str, Any]]] = {}
    async with browser_page() as (page, errors):
        # Given an admin signed in, the home says what waits
        await sign_in(page, served.url, admin)
        assert "penjual menunggu verifikasi" in await page.inner_text("main")
        await look(page, "home", problems)

        # When they verify the waiting seller (its listing's P-IRT shown beside it)
        await page.click("nav >> text=Penjual")
        await page.wait_for_url("**/admin/penjual")
        assert "2061903010123" in (await page.inner_text("main")).replace("-", "")
        await look(page, "sellers", problems)
        await page.click(f"#s-{waiting.seller_id} >> xpath=.. >> button:has-text('Verifikasi')")
        await page.wait_for_url("**/admin/penjual?status=pending")
        assert "sudah terverifikasi" in await page.inner_text(".flash")
        await look(page, "sellers-done", problems)

        # And, once its owner publishes a listing screening holds back, approve it
        product = await flagged_listing(client, waiting)
        await page.click("nav >> text=Moderasi")
        await page.wait_for_url("**/admin/moderasi")
        assert "Telur Penyu Segar" in await page.inner_text("main")
        await look(page, "moderation", problems)
        await page.click("button:has-text('Setujui')")
        await page.wait_for_url("**/admin/moderasi")
        assert "Disetujui" in await page.inner_text(".flash")

        # And find the transfer order by its number, and confirm the money arrived
        await page.click("nav >> text=Pesanan")
        await page.fill("#q", world.number)
        await page.click("main button[type=submit]")
        await page.wait_for_url(f"**/admin/pesanan/{world.number}")
        await look(page, "order", problems)
        await page.click("button:has-text('Uang sudah masuk')")
        await confirm(page)
        await page.wait_for_url(f"**/admin/pesanan/{world.number}")
        assert "Transfer dikonfirmasi" in await page.inner_text(".flash")
        await look(page, "order-confirmed", problems)

        # Then the other page types pass the same checks, with something in them
        await complaint_and_released_money(client, world)
        assert await rebuild_reports(app.state.sessionmaker)  # the report figures, now
        for name, path in [
            ("orders", "/admin/pesanan"),
            ("statement", "/admin/mutasi-bank"),
            ("complaints", "/admin/keluhan"),
            ("complaints-resolved", "/admin/keluhan?status=resolved"),
            ("featured", "/admin/unggulan"),
            ("payouts", "/admin/pencairan"),
            ("reports", "/admin/laporan"),
            ("audit", "/admin/audit"),
            ("home-en", "/admin/?lang=en"),
            ("not-found", "/admin/pesanan/BB000000-AAAAAA"),
        ]:
            await page.goto(served.url + path)
            await look(page, name, problems)
            if name == "reports":
                assert "Bangka Barat" in await page.inner_text("main")
                assert await page.inner_text(".facts dd b") != "Rp 0"  # gross sales
        await page.goto(served.url + "/admin/mutasi-bank")
        statement = f"date,description,amount\n2026-12-02,TRF {world.number},150123\n"
        upload = {"name": "mutasi.csv", "mimeType": "text/csv", "buffer": statement.encode()}
        await page.set_input_files("#file", files=[upload])
        await page.click("button:has-text('Lihat kecocokan')")
        await page.wait_for_selector("text=baris tidak cocok")
        await look(page, "statement-preview", problems)
        await page.goto(served.url + "/admin/unggulan")
        await page.fill("#product", product["slug"])
        await page.click("button:has-text('Tambah produk unggulan')")
        await page.wait_for_url("**/admin/unggulan")
        await page.click("button:has-text('Keluarkan')")
        await page.wait_for_selector("input[name=confirmed]", state="attached")
        await look(page, "confirm", problems)
        await confirm(page)
        await page.wait_for_url("**/admin/unggulan?**")
        await look(page, "featured-undo", problems)

        # And someone who is not an admin gets the 403 page
        other = await page.context.browser.new_page(viewport=PHONE)
        await sign_in_as(other, served.url, buyer)
        response = await other.goto(served.url + "/admin/")
        assert response is not None
        assert response.status == 403
        await look(other, "forbidden", problems)
    assert {name: found for name, found in problems.items() if found} == {}
    order = await client.get(f"/api/v1/admin/orders/{world.number}", headers=admin.headers)
    assert order.json()["payment_status"] == "paid"
    published = await client.get(f"/api/v1/products/{product['id']}")
    assert published.json()["status"] == "published"
    assert [e for e in errors if "404" not in e] == []


async def complaint_and_released_money(client: AsyncClient, world: TransferOrder) -> None:
    """The paid order shipped; one complaint open about it and, on a second order, one
    resolved by releasing the money (so the payouts page has a seller to pay)."""
    shop = world.shop
    headers = shop.setup.owner.headers
    part_id = await shipped_part(client, headers, world.order)
    opened = await complain(client, part_id, guest_headers(world.order))
    assert opened.status_code == 201, opened.text
    account = await client.put(
        f"/api/v1/sellers/{shop.setup.seller_id}/payout-account",
        json={"bank_code": "120", "account_number": "1500012345", "account_holder": "KIM Lada"},
        headers=headers,
    )
    assert account.status_code == 200, account.text
    second = await placed_order(client, order_body(order_line(shop.variant(1), 1)))
    confirmed = await confirm_payment(client, shop.setup.admin, second["payment"]["id"])
    assert confirmed.status_code == 200, confirmed.text
    other = await complain(
        client, await shipped_part(client, headers, second), guest_headers(second)
    )
    released = await resolve(client, shop.setup.admin, other.json()["id"], "release")
    assert released.status_code == 200, released.text


async def shipped_part(client: AsyncClient, headers: dict[str, str], order: dict[str, Any]) -> str:
    part_id: str = order["seller_orders"][0]["id"]
    response = await client.post(
        f"/api/v1/seller-orders/{part_id}/ship",
        json={"courier": "JNE", "tracking_number": "JNE0012345678"},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    return part_id


async def sign_in_as(page: Any, url: str, account: Account) -> None:
    await page.goto(f"{url}/masuk")
    await page.fill("input[name=email]", account.email)
    await page.fill("input[name=password]", account.password)
    await page.click("main button[type=submit]")
    await page.wait_for_load_state()
