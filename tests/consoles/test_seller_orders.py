"""Orders in the seller console: a cash-on-delivery order to ship, shipped with a courier and
tracking number, its packing slip, then delivered with the cash recorded after confirming."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI
from httpx import AsyncClient

from tests.consoles.world import page_token, sign_in_on_pages
from tests.factories import guest_headers, open_shop, order_body, order_line, placed_order


async def test_seller_ships_a_cash_on_delivery_order_and_records_the_cash(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client, price=55_000)
    order = await placed_order(
        client, order_body(order_line(shop.variant_id, 2), payment_method="cod")
    )
    part_id = order["seller_orders"][0]["id"]
    await sign_in_on_pages(client, shop.owner)
    base = f"/penjual/{shop.seller_id}"
    listing = await client.get(f"{base}/pesanan")
    assert order["number"] in listing.text
    home = await client.get(f"{base}/")
    assert "<b>1</b> pesanan perlu dikirim" in home.text

    token = await page_token(client, f"{base}/pesanan/{part_id}")
    refused = await client.post(
        f"{base}/pesanan/{part_id}/kirim",
        data={"csrf_token": token, "courier": "JNE", "tracking_number": "  "},
    )
    assert refused.status_code == 422
    assert 'id="e-tracking_number"' in refused.text
    assert 'value="JNE"' in refused.text
    assert "perlu dikirim" in (await client.get(f"{base}/pesanan/{part_id}")).text

    shipped = await client.post(
        f"{base}/pesanan/{part_id}/kirim",
        data={"csrf_token": token, "courier": "JNE", "tracking_number": "JNE0123456789"},
    )
    assert shipped.status_code == 303
    page = await client.get(shipped.headers["location"])
    assert "JNE0123456789" in page.text
    assert "Sudah sampai dan uang COD diterima" in page.text

    slip = await client.get(f"{base}/pesanan/{part_id}/slip")
    assert slip.status_code == 200
    assert "Pangkalpinang" in slip.text
    assert "tagih Rp" in slip.text

    asked = await client.post(f"{base}/pesanan/{part_id}/terkirim", data={"csrf_token": token})
    assert asked.status_code == 200
    assert "uang Rp" in asked.text
    delivered = await client.post(
        f"{base}/pesanan/{part_id}/terkirim", data={"csrf_token": token, "confirmed": "1"}
    )
    assert delivered.status_code == 303
    assert 'badge">diterima' in (await client.get(f"{base}/pesanan/{part_id}")).text


async def test_seller_answers_a_buyers_complaint_from_the_order_page(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    order = await placed_order(
        client, order_body(order_line(shop.variant_id, 1), payment_method="cod")
    )
    part_id = order["seller_orders"][0]["id"]
    shipped = await client.post(
        f"/api/v1/seller-orders/{part_id}/ship",
        json={"courier": "JNE", "tracking_number": "JNE1"},
        headers=shop.owner.headers,
    )
    assert shipped.status_code == 200, shipped.text
    complained = await client.post(
        f"/api/v1/seller-orders/{part_id}/complaints",
        json={"reason": "damaged", "description": "Kemasan sobek, lada tumpah."},
        headers=guest_headers(order),
    )
    assert complained.status_code == 201, complained.text
    complaint_id = complained.json()["id"]
    await sign_in_on_pages(client, shop.owner)
    base = f"/penjual/{shop.seller_id}"
    listing = await client.get(f"{base}/pesanan", params={"status": "shipped"})
    assert "keluhan terbuka: 1" in listing.text.lower()
    token = await page_token(client, f"{base}/pesanan/{part_id}")
    answer_path = f"{base}/pesanan/{part_id}/keluhan/{complaint_id}"
    empty = await client.post(answer_path, data={"csrf_token": token, "message": ""})
    assert empty.status_code == 422
    assert 'id="e-message"' in empty.text
    answered = await client.post(
        answer_path, data={"csrf_token": token, "message": "Kami kirim ganti besok."}
    )
    assert answered.status_code == 303
    page = await client.get(answered.headers["location"])
    assert "Jawaban terkirim" in page.text
    assert "Kami kirim ganti besok." in page.text


async def test_many_concurrent_ship_forms_ship_the_order_once(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    order = await placed_order(
        client, order_body(order_line(shop.variant_id, 1), payment_method="cod")
    )
    part_id = order["seller_orders"][0]["id"]
    await sign_in_on_pages(client, shop.owner)
    path = f"/penjual/{shop.seller_id}/pesanan/{part_id}"
    token = await page_token(client, path)

    answers = await asyncio.gather(
        *(
            client.post(
                f"{path}/kirim",
                data={"csrf_token": token, "courier": "JNE", "tracking_number": f"JNE{n}"},
            )
            for n in range(8)
        )
    )

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [303] + [409] * 7
    refused = next(answer for answer in answers if answer.status_code == 409)
    assert refused.headers["content-type"].startswith("text/html")
    shipped = await client.get(
        f"/api/v1/sellers/{shop.seller_id}/orders", headers=shop.owner.headers
    )
    [part] = shipped.json()["items"]
    winner = answers.index(next(a for a in answers if a.status_code == 303))
    assert (part["status"], part["tracking_number"]) == ("shipped", f"JNE{winner}")
