"""The admin console's money pages over httpx: a complaint resolved from its page (bad input
shown with nothing changed, the outcome confirmed first), then the money it released paid out
from the payouts page, never above what is available."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient

from marketplace.core.formatting import format_rupiah
from tests.consoles.admin_world import page_client, post_form
from tests.factories import guest_headers, open_shop
from tests.payments import records
from tests.payments.escrow_steps import complain, paid_transfer_order, shipped


async def test_admin_releases_a_complaint_and_pays_the_seller_out(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a paid, shipped order the buyer complained about, and the seller's bank account
    shop = await open_shop(app, client)
    order = await paid_transfer_order(client, shop, 2)
    part_id = await shipped(client, shop, order)
    complaint = (await complain(client, part_id, guest_headers(order))).json()
    account = await client.put(
        f"/api/v1/sellers/{shop.seller_id}/payout-account",
        json={"bank_code": "120", "account_number": "1500012345", "account_holder": "KIM Lada"},
        headers=shop.owner.headers,
    )
    assert account.status_code == 200, account.text
    action = f"/admin/keluhan/{complaint['id']}/selesaikan"

    async with page_client(app, shop.admin) as http:
        page = await http.get("/admin/keluhan")
        assert "Barang rusak" in page.text
        assert "Dua bungkus lada sobek dan basah." in page.text

        # a partial refund without an amount, or of letters, is refused in the page
        for amount in ("", "banyak"):
            refused = await post_form(
                http,
                "/admin/keluhan",
                action,
                outcome="partial_refund",
                amount=amount,
                note="Sebagian rusak",
            )
            assert refused.status_code == 422
            assert "Sebagian rusak" in refused.text  # what was typed is kept
        still_open = await client.get(
            "/api/v1/admin/complaints", params={"status": "open"}, headers=shop.admin.headers
        )
        assert len(still_open.json()["items"]) == 1

        # When the admin releases the money to the seller (confirmed first)
        released = await post_form(
            http,
            "/admin/keluhan",
            action,
            confirm=True,
            outcome="release",
            note="Foto menunjukkan kemasan utuh.",
        )
        assert released.status_code == 303
        assert "diteruskan ke penjual" in (await http.get(released.headers["location"])).text

        # Then the payouts page offers the seller's available money
        payouts = await http.get("/admin/pencairan")
        available = (await records.balances_of(client, shop.owner, shop.seller_id))["available"]
        assert available > 0
        assert format_rupiah(available) in payouts.text
        batch = await http.get("/admin/pencairan/unduh")
        assert batch.headers["content-type"].startswith("text/csv")
        assert f",1500012345,KIM Lada,{available},IDR" in batch.text
        too_much = await post_form(
            http,
            "/admin/pencairan",
            f"/admin/pencairan/{shop.seller_id}",
            confirm=True,
            amount=str(available + 1),
            bank_reference="BCA-778899",
        )
        assert too_much.status_code == 409
        paid = await post_form(
            http,
            "/admin/pencairan",
            f"/admin/pencairan/{shop.seller_id}",
            confirm=True,
            amount=format_rupiah(available),
            bank_reference="BCA-778899",
        )
        assert paid.status_code == 303
    assert await records.balances_of(client, shop.owner, shop.seller_id) == {
        "pending": 0,
        "available": 0,
        "paid_out": available,
    }
