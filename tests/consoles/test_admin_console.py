"""The admin console over httpx: each page's work done through its forms (the same services as
the API answer for it afterwards), refused input shown in the page with nothing changed, and
forms without the session's CSRF token refused."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from tests.consoles.admin_world import (
    TransferOrder,
    csrf_of,
    flagged_listing,
    page_client,
    post_form,
    transfer_order,
)
from tests.factories import (
    CatalogSetup,
    create_account,
    create_admin,
    create_product,
    create_published_product,
    create_seller,
    set_up_catalog,
)

ADMIN_PAGES = [
    "/admin/",
    "/admin/penjual",
    "/admin/moderasi",
    "/admin/pesanan",
    "/admin/mutasi-bank",
    "/admin/keluhan",
    "/admin/unggulan",
    "/admin/pencairan",
    "/admin/laporan",
    "/admin/audit",
]
PAGE_BUDGET = 50 * 1024


async def seller_status(client: AsyncClient, admin_headers: dict[str, str], seller_id: str) -> str:
    response = await client.get(f"/api/v1/sellers/{seller_id}", headers=admin_headers)
    status: str = response.json()["status"]
    return status


async def test_every_admin_page_answers_in_indonesian_and_english_under_the_budget(
    app: FastAPI, client: AsyncClient
) -> None:
    world = await transfer_order(app, client)
    admin = world.shop.setup.admin
    async with page_client(app, admin) as http:
        for path in [*ADMIN_PAGES, f"/admin/pesanan/{world.number}"]:
            indonesian = await http.get(path)
            english = await http.get(path, params={"lang": "en"})
            assert indonesian.status_code == 200, (path, indonesian.text[:500])
            assert english.status_code == 200, path
            assert 'lang="id"' in indonesian.text
            assert 'lang="en"' in english.text
            assert len(indonesian.content) < PAGE_BUDGET, (path, len(indonesian.content))
            assert indonesian.headers["cache-control"] == "private, no-store"
            assert "script-src 'none'" in indonesian.headers["content-security-policy"]


async def test_home_counts_what_waits(app: FastAPI, client: AsyncClient) -> None:
    world = await transfer_order(app, client)
    await create_seller(client, await create_account(client), name="KIM Madu Pelawan")
    async with page_client(app, world.shop.setup.admin) as http:
        home = (await http.get("/admin/")).text
    assert "<b>1</b> penjual menunggu verifikasi" in home
    assert "<b>1</b> transfer bank belum dikonfirmasi" in home


async def test_admin_verifies_a_pending_seller_and_sees_its_listings_permit_numbers(
    app: FastAPI, client: AsyncClient
) -> None:
    setup = await set_up_catalog(app, client, verified=False, seller_name="KIM Getas Belinyu")
    await create_product_with_permit(client, setup)
    async with page_client(app, setup.admin) as http:
        waiting = await http.get("/admin/penjual")
        assert "KIM Getas Belinyu" in waiting.text
        assert "2061903010123-29".replace("-", "")[:13] in waiting.text.replace("-", "")
        done = await post_form(
            http, "/admin/penjual", f"/admin/penjual/{setup.seller_id}/verifikasi"
        )
        assert done.status_code == 303
        shown = await http.get(done.headers["location"])
    assert "KIM Getas Belinyu sudah terverifikasi" in shown.text
    assert await seller_status(client, setup.admin.headers, setup.seller_id) == "verified"


async def create_product_with_permit(client: AsyncClient, setup: CatalogSetup) -> None:
    await create_product(
        client,
        setup.owner,
        setup.seller_id,
        title="Getas Ikan",
        category=setup.category,
        attributes={"pirt_number": "2061903010123-29"},
    )


async def test_rejecting_a_seller_needs_a_reason_and_a_confirmation_and_is_undone_by_verifying(
    app: FastAPI, client: AsyncClient
) -> None:
    setup = await set_up_catalog(app, client, verified=False)
    action = f"/admin/penjual/{setup.seller_id}/tolak"
    async with page_client(app, setup.admin) as http:
        # no reason: the page says so, nothing changes
        refused = await post_form(http, "/admin/penjual", action, reason=" ")
        assert refused.status_code == 422
        assert "Tulis alasannya" in refused.text
        assert await seller_status(client, setup.admin.headers, setup.seller_id) == "pending"
        # with a reason: the confirm page first (nothing changed yet), then the rejection
        asked = await post_form(http, "/admin/penjual", action, reason="Alamat tidak jelas")
        assert "Tolak penjual ini?" in asked.text
        assert await seller_status(client, setup.admin.headers, setup.seller_id) == "pending"
        rejected = await post_form(
            http, "/admin/penjual", action, confirm=True, reason="Alamat tidak jelas"
        )
        assert rejected.status_code == 303
        assert await seller_status(client, setup.admin.headers, setup.seller_id) == "rejected"
        # undo: the rejected list offers "verify"
        undone = await post_form(
            http,
            "/admin/penjual?status=rejected",
            f"/admin/penjual/{setup.seller_id}/verifikasi",
            back="rejected",
        )
        assert undone.status_code == 303
    assert await seller_status(client, setup.admin.headers, setup.seller_id) == "verified"


async def test_admin_approves_a_flagged_listing_and_it_goes_public(
    app: FastAPI, client: AsyncClient
) -> None:
    setup = await set_up_catalog(app, client)
    product = await flagged_listing(client, setup)
    async with page_client(app, setup.admin) as http:
        queue = await http.get("/admin/moderasi")
        assert "Telur Penyu Segar" in queue.text
        item_id = queue.text.split("/admin/moderasi/")[1].split("/")[0]
        approved = await post_form(http, "/admin/moderasi", f"/admin/moderasi/{item_id}/setujui")
        assert approved.status_code == 303
    public = await client.get(f"/api/v1/products/{product['id']}")
    assert public.json()["status"] == "published"


async def test_rejecting_a_listing_without_a_reason_changes_nothing(
    app: FastAPI, client: AsyncClient
) -> None:
    setup = await set_up_catalog(app, client)
    product = await flagged_listing(client, setup)
    async with page_client(app, setup.admin) as http:
        queue = await http.get("/admin/moderasi")
        item_id = queue.text.split("/admin/moderasi/")[1].split("/")[0]
        refused = await post_form(http, "/admin/moderasi", f"/admin/moderasi/{item_id}/tolak")
        assert refused.status_code == 422
        assert "Tulis alasannya" in refused.text
        rejected = await post_form(
            http,
            "/admin/moderasi",
            f"/admin/moderasi/{item_id}/tolak",
            confirm=True,
            reason="Satwa dilindungi",
        )
        assert rejected.status_code == 303
    own = await client.get(f"/api/v1/products/{product['id']}", headers=setup.owner.headers)
    assert own.json()["status"] == "draft"


async def test_admin_finds_an_order_by_number_and_confirms_its_transfer(
    app: FastAPI, client: AsyncClient
) -> None:
    world = await transfer_order(app, client)
    async with page_client(app, world.shop.setup.admin) as http:
        found = await http.get("/admin/pesanan", params={"q": world.number.lower()})
        assert found.status_code == 303
        assert found.headers["location"] == f"/admin/pesanan/{world.number}"
        page = await http.get(found.headers["location"])
        assert "Rp " in page.text
        assert world.number in page.text
        action = f"/admin/pesanan/{world.number}/konfirmasi-transfer"
        confirmed = await post_form(
            http, found.headers["location"], action, confirm=True, payment_id=world.payment["id"]
        )
        assert confirmed.status_code == 303
        after = await http.get(confirmed.headers["location"])
        assert "Transfer dikonfirmasi" in after.text
        # a second confirmation is refused in the page
        again = await post_form(
            http, found.headers["location"], action, confirm=True, payment_id=world.payment["id"]
        )
        assert again.status_code == 409
    order = await client.get(
        f"/api/v1/admin/orders/{world.number}", headers=world.shop.setup.admin.headers
    )
    assert order.json()["payment_status"] == "paid"


async def test_confirming_with_another_orders_payment_is_refused(
    app: FastAPI, client: AsyncClient
) -> None:
    world = await transfer_order(app, client)
    async with page_client(app, world.shop.setup.admin) as http:
        page = f"/admin/pesanan/{world.number}"
        refused = await post_form(
            http,
            page,
            f"{page}/konfirmasi-transfer",
            payment_id="01890000-0000-7000-8000-000000000000",
            confirmed="1",
        )
        assert refused.status_code == 404
        missing = await http.get("/admin/pesanan/BB000000-AAAAAA")
        assert missing.status_code == 404
    order = await client.get(
        f"/api/v1/admin/orders/{world.number}", headers=world.shop.setup.admin.headers
    )
    assert order.json()["payment_status"] == "unpaid"


async def test_bank_statement_preview_changes_nothing_and_apply_confirms_once(
    app: FastAPI, client: AsyncClient
) -> None:
    world = await transfer_order(app, client)
    amount = world.payment["amount"]
    csv = f"date,description,amount\n2026-12-02,TRF {world.number},{amount}\n2026-12-02,X,777\n"
    headers = world.shop.setup.admin.headers
    async with page_client(app, world.shop.setup.admin) as http:
        opened = await http.get("/admin/mutasi-bank")
        token = csrf_of(opened.text)
        preview = await http.post(
            "/admin/mutasi-bank",
            data={"csrf_token": token, "format": "generic"},
            files={"file": ("mutasi.csv", csv.encode(), "text/csv")},
        )
        assert preview.status_code == 200, preview.text
        assert "1 baris cocok" in preview.text
        assert world.number in preview.text
        assert "Tidak ada transfer terbuka dengan nominal ini" in preview.text
        paid = await client.get(f"/api/v1/admin/orders/{world.number}", headers=headers)
        assert paid.json()["payment_status"] == "unpaid"
        fields = {"csrf_token": token, "format": "generic", "statement": csv, "apply": "yes"}
        asked = await http.post("/admin/mutasi-bank", data=fields)
        assert 'name="confirmed" value="1"' in asked.text
        applied = await http.post("/admin/mutasi-bank", data={**fields, "confirmed": "1"})
        assert applied.status_code == 200
        assert "Dikonfirmasi" in applied.text
        replay = await http.post("/admin/mutasi-bank", data={**fields, "confirmed": "1"})
        assert "Baris ini sudah pernah dipakai" in replay.text
        empty = await http.post("/admin/mutasi-bank", data={"csrf_token": token})
        assert empty.status_code == 422
        assert "Pilih berkas mutasi dulu" in empty.text
    paid = await client.get(f"/api/v1/admin/orders/{world.number}", headers=headers)
    assert paid.json()["payment_status"] == "paid"


async def test_featured_curation_adds_moves_schedules_removes_and_undoes(
    app: FastAPI, client: AsyncClient
) -> None:
    world = await transfer_order(app, client)
    admin = world.shop.setup.admin
    second = await create_product_for(client, world)
    async with page_client(app, admin) as http:
        for address in (f"http://x/produk/{world.shop.slug}", second["slug"]):
            added = await post_form(http, "/admin/unggulan", "/admin/unggulan", product=address)
            assert added.status_code == 303, added.text
        entries = await featured(client, admin.headers)
        assert [e["product"]["slug"] for e in entries] == [world.shop.slug, second["slug"]]
        moved = await post_form(
            http,
            "/admin/unggulan",
            f"/admin/unggulan/{entries[1]['id']}/pindah",
            direction="naik",
        )
        assert moved.status_code == 303
        entries = await featured(client, admin.headers)
        assert [e["product"]["slug"] for e in entries] == [second["slug"], world.shop.slug]
        bad = await post_form(
            http,
            "/admin/unggulan",
            f"/admin/unggulan/{entries[0]['id']}/jadwal",
            starts_at="2026-12-10T08:00",
            ends_at="2026-12-01T08:00",
        )
        assert bad.status_code == 422
        assert (await featured(client, admin.headers))[0]["starts_at"] is None
        scheduled = await post_form(
            http,
            "/admin/unggulan",
            f"/admin/unggulan/{entries[0]['id']}/jadwal",
            starts_at="2026-12-10T08:00",
        )
        assert scheduled.status_code == 303
        assert (await featured(client, admin.headers))[0]["starts_at"] == "2026-12-10T01:00:00Z"
        removed = await post_form(
            http, "/admin/unggulan", f"/admin/unggulan/{entries[0]['id']}/hapus", confirm=True
        )
        assert removed.status_code == 303
        assert len(await featured(client, admin.headers)) == 1
        undo_page = await http.get(removed.headers["location"])
        assert "Batalkan penghapusan" in undo_page.text
        undone = await post_form(
            http,
            removed.headers["location"],
            "/admin/unggulan",
            product=second["id"],
            position=str(entries[0]["position"]),
            starts_at="2026-12-10T08:00",
        )
        assert undone.status_code == 303
    entries = await featured(client, admin.headers)
    assert [e["product"]["slug"] for e in entries] == [second["slug"], world.shop.slug]
    assert entries[0]["starts_at"] == "2026-12-10T01:00:00Z"


async def featured(client: AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = await client.get("/api/v1/admin/featured", headers=headers)
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def create_product_for(client: AsyncClient, world: TransferOrder) -> dict[str, Any]:
    setup = world.shop.setup
    return await create_published_product(
        client, setup.owner, setup.seller_id, title="Madu Pelawan", category=setup.category
    )


async def test_a_payout_above_what_is_available_is_refused_in_the_page(
    app: FastAPI, client: AsyncClient
) -> None:
    setup = await set_up_catalog(app, client)
    admin = await create_admin(app, client)
    async with page_client(app, admin) as http:
        page = "/admin/pencairan"
        action = f"/admin/pencairan/{setup.seller_id}"
        wrong = await post_form(http, page, action, amount="abc", bank_reference="TRX123")
        assert wrong.status_code == 422
        # nothing is available: refused after the confirm step, in the page
        refused = await post_form(
            http, page, action, confirm=True, amount="Rp 10.000", bank_reference="TRX123"
        )
        assert refused.status_code == 409
    balance = await client.get(
        f"/api/v1/sellers/{setup.seller_id}/balance", headers=setup.admin.headers
    )
    assert balance.json()["paid_out"] == 0


async def test_forms_without_the_sessions_token_are_refused_and_change_nothing(
    app: FastAPI, client: AsyncClient
) -> None:
    setup = await set_up_catalog(app, client, verified=False)
    async with page_client(app, setup.admin) as http:
        forged = await http.post(
            f"/admin/penjual/{setup.seller_id}/verifikasi", data={"csrf_token": "forged"}
        )
        missing = await http.post(f"/admin/penjual/{setup.seller_id}/verifikasi")
        assert forged.status_code == 403
        assert missing.status_code == 403
        assert "text/html" in forged.headers["content-type"]
    assert await seller_status(client, setup.admin.headers, setup.seller_id) == "pending"


async def test_reports_page_draws_both_charts_and_downloads_the_figures(
    app: FastAPI, client: AsyncClient
) -> None:
    world = await transfer_order(app, client)
    async with page_client(app, world.shop.setup.admin) as http:
        page = await http.get("/admin/laporan", params={"group_by": "region"})
        assert page.text.count('<svg class="chart"') == 2
        assert "Bangka Barat" in page.text
        bad = await http.get("/admin/laporan", params={"from": "kemarin"})
        assert bad.status_code == 422
        assert "TTTT-BB-HH" in bad.text
        csv = await http.get("/admin/laporan/unduh", params={"format": "csv"})
        assert csv.status_code == 200
        assert csv.headers["content-type"].startswith("text/csv")


async def test_audit_log_lists_admin_actions_and_filters_by_target(
    app: FastAPI, client: AsyncClient
) -> None:
    setup = await set_up_catalog(app, client)  # verifying the seller is audited
    async with page_client(app, setup.admin) as http:
        everything = await http.get("/admin/audit")
        assert "seller.verify" in everything.text
        assert setup.admin.email in everything.text
        other = await http.get("/admin/audit", params={"target_type": "payment"})
        assert "seller.verify" not in other.text
        one = await http.get(
            "/admin/audit", params={"target_type": "seller", "target_id": setup.seller_id}
        )
        assert "seller.verify" in one.text
