"""The whole bank-transfer flow at the desk: a guest orders by transfer and is asked for a
unique amount, uploads a proof, an admin finds the order by its number, previews and applies
a statement naming that amount; the order is paid, its stock stays reserved, the seller sees
it to ship, the e-mails arrive over SMTP, and applying the same statement again changes
nothing."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.core.formatting import format_rupiah
from marketplace.payments.models import PlatformLedgerEntry, StatementLine
from tests.desk.statements import generic_statement, matched_of, upload_statement
from tests.factories import (
    count_rows,
    guest_headers,
    image_bytes,
    open_shop,
    order_body,
    order_line,
    placed_order,
    read_guest_order,
    variant_stock,
)
from tests.orders.test_emails import Inbox, sent

TOTAL = 122_000  # two packs of pepper at Rp 55.000 and Rp 12.000 shipping


async def test_guest_transfer_is_matched_from_a_statement_and_paid_exactly_once(
    mail_app: FastAPI, mail_client: AsyncClient, inbox: Inbox
) -> None:
    client = mail_client
    sessionmaker: async_sessionmaker[AsyncSession] = mail_app.state.sessionmaker
    shop = await open_shop(mail_app, client, stock=10)

    # given a guest's transfer order, asked for the total plus its unique code
    order = await placed_order(client, order_body(order_line(shop.variant_id, 2)))
    payment = order["payment"]
    code = payment["unique_code"]
    assert 1 <= code <= 999
    assert payment["amount"] == TOTAL + code
    assert payment["instructions"]["amount"] == TOTAL + code
    assert order["number"] in payment["instructions"]["text"]
    assert format_rupiah(TOTAL + code) in payment["instructions"]["text"]
    await sent(mail_app)
    [placed_mail] = inbox.to("budi@contoh.id")
    assert f"Transfer tepat {format_rupiah(TOTAL + code)}" in placed_mail.text

    # and a photo of the receipt uploaded with the guest's order token
    proof = await client.post(
        f"/api/v1/orders/{order['id']}/payments/{payment['id']}/proof",
        files={"file": ("struk.jpg", image_bytes("JPEG", 120, 200), "image/jpeg")},
        headers=guest_headers(order),
    )
    assert proof.status_code == 201, proof.text

    # when an admin looks the order up by the number the buyer quoted
    found = await client.get(
        "/api/v1/admin/orders", params={"q": order["number"].lower()}, headers=shop.admin.headers
    )
    assert found.status_code == 200, found.text
    assert [item["id"] for item in found.json()["items"]] == [order["id"]]
    one = await client.get(f"/api/v1/admin/orders/{order['number']}", headers=shop.admin.headers)
    assert one.json()["payment"]["id"] == payment["id"]
    proofs = await client.get(
        f"/api/v1/admin/payments/{payment['id']}/proofs", headers=shop.admin.headers
    )
    [listed_proof] = proofs.json()
    picture = await client.get(listed_proof["url"].removeprefix("http://testserver"))
    assert (picture.status_code, picture.headers["content-type"]) == (200, "image/webp")

    # and previews the bank statement with that amount among other lines
    statement = generic_statement(
        (
            "02/12/2026",
            "TRSF E-BANKING CR 0212/FTSCY/WS95031 BUDI SANTOSO",
            f"{TOTAL + code:,}".replace(",", ".") + ",00",
        ),
        ("02/12/2026", "BIAYA ADM", "-10.000,00"),
        ("02/12/2026", "SETORAN TUNAI ANDI", "75.000"),
    )
    preview = await upload_statement(client, shop.admin, statement)
    [line] = matched_of(preview)
    assert (line["payment_id"], line["order_number"], line["amount"]) == (
        payment["id"],
        order["number"],
        TOTAL + code,
    )
    assert line["outcome"] is None
    assert [(u["amount"], u["reason"]) for u in preview.json()["unmatched"]] == [
        (75_000, "no_open_payment_with_this_amount")
    ]
    assert (await read_guest_order(client, order))["payment_status"] == "unpaid"

    # and applies it
    applied = await upload_statement(client, shop.admin, statement, apply=True)
    [line] = matched_of(applied)
    assert line["outcome"] == "applied"

    # then the order is paid and processing, its stock still reserved for it
    seen = await read_guest_order(client, order)
    assert (seen["status"], seen["payment_status"], seen["payment"]["status"]) == (
        "processing",
        "paid",
        "paid",
    )
    assert await variant_stock(sessionmaker, shop.variant_id) == 8
    # and the seller has it to ship
    to_ship = await client.get(
        f"/api/v1/sellers/{shop.seller_id}/orders",
        params={"status": "to_ship"},
        headers=shop.owner.headers,
    )
    assert [part["order_number"] for part in to_ship.json()["items"]] == [order["number"]]
    # and the buyer and the seller were told, in Indonesian
    await sent(mail_app)
    subjects = [mail.subject for mail in inbox.to("budi@contoh.id")]
    assert subjects == [
        f"Pesanan {order['number']} diterima",
        f"Pembayaran pesanan {order['number']} diterima",
    ]
    [seller_mail] = inbox.to(shop.owner.email)
    assert seller_mail.subject == f"Pesanan baru {order['number']} siap dikirim"
    assert "Pembeli sudah membayar: silakan kirim." in seller_mail.text
    # and the unique code is the platform's income
    ledger = await client.get("/api/v1/admin/platform-ledger", headers=shop.admin.headers)
    assert ledger.json()["balance"] == code

    # when the same statement is applied again
    again = await upload_statement(client, shop.admin, statement, apply=True)

    # then nothing is confirmed twice and nothing changes
    assert again.status_code == 200, again.text
    assert again.json()["matched"] == []
    assert [u["reason"] for u in again.json()["unmatched"]] == [
        "already_applied",
        "no_open_payment_with_this_amount",
    ]
    assert await count_rows(sessionmaker, StatementLine) == 1
    assert await count_rows(sessionmaker, PlatformLedgerEntry) == 1
    assert await variant_stock(sessionmaker, shop.variant_id) == 8
    await sent(mail_app)
    assert len(inbox.to("budi@contoh.id")) == 2
    assert len(inbox.to(shop.owner.email)) == 1
