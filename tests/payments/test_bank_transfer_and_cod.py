"""Bank transfer (instructions naming the order, an admin confirms the money arrived) and cash on
delivery (paid when the sellers hand over the goods): no provider, refunds settled by hand."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.db.base import utcnow
from marketplace.orders.tasks import expire_due_orders
from marketplace.payments.models import PaymentAttemptStatus, RefundStatus
from tests.factories import (
    Account,
    Shop,
    guest_headers,
    open_shop,
    order_body,
    order_line,
    placed_order,
    set_order_expiry,
    variant_stock,
)
from tests.payments import records
from tests.payments.card_checkout import order_seen_by_buyer

Sessionmaker = async_sessionmaker[AsyncSession]
SUBTOTAL = 110_000  # two packs at Rp 55.000
SHIPPING = 12_000  # to Pangkalpinang
TOTAL = 122_000
COMMISSION = 5_500  # 5 % of the goods


async def _transfer_order(client: AsyncClient, shop: Shop, quantity: int = 2) -> dict[str, Any]:
    return await placed_order(client, order_body(order_line(shop.variant_id, quantity)))


async def _confirm(client: AsyncClient, admin: Account, payment_id: str) -> Response:
    return await client.post(f"/api/v1/admin/payments/{payment_id}/confirm", headers=admin.headers)


async def _status(client: AsyncClient, order: dict[str, Any]) -> tuple[str, str]:
    seen = await order_seen_by_buyer(client, order)
    return seen["status"], seen["payment_status"]


async def test_bank_transfer_order_shows_instructions_that_identify_the_order(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)

    order = await _transfer_order(client, shop)

    payment = order["payment"]
    assert (payment["method"], payment["status"], payment["amount"]) == (
        "bank_transfer",
        "pending",
        TOTAL + payment["unique_code"],
    )
    assert payment["client_secret"] is None
    instructions = payment["instructions"]
    assert instructions["bank_name"] == "Bank Sumsel Babel"
    assert instructions["account_number"] == "150.00.12345.6"
    assert instructions["account_holder"] == "Koperasi Pasar Digital Babel"
    assert (instructions["amount"], instructions["currency"]) == (payment["amount"], "IDR")
    assert instructions["reference"] == order["number"]
    assert order["number"] in instructions["text"]
    assert "150.00.12345.6" in instructions["text"]


async def test_admin_confirming_a_transfer_marks_it_paid_and_credits_the_seller(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a bank-transfer order and no money for the seller yet
    shop = await open_shop(app, client)
    order = await _transfer_order(client, shop)
    assert await records.balance_of(client, shop.owner, shop.seller_id) == 0

    # when an admin sees the transfer arrive
    confirmed = await _confirm(client, shop.admin, order["payment"]["id"])

    # then the payment is paid, the order processing and the seller credited
    assert confirmed.status_code == 200, confirmed.text
    assert (confirmed.json()["status"], confirmed.json()["amount"]) == (
        "paid",
        TOTAL + order["payment"]["unique_code"],
    )
    seen = await order_seen_by_buyer(client, order)
    assert (seen["status"], seen["payment_status"]) == ("processing", "paid")
    assert [part["status"] for part in seen["seller_orders"]] == ["to_ship"]
    ledger = await records.ledger_of(client, shop.owner, shop.seller_id)
    assert records.kinds_and_amounts(ledger) == [("commission", -COMMISSION), ("sale", TOTAL)]

    # and confirming it again is a conflict that changes nothing
    again = await _confirm(client, shop.admin, order["payment"]["id"])
    assert again.status_code == 409
    assert await records.balance_of(client, shop.owner, shop.seller_id) == TOTAL - COMMISSION


async def test_two_admins_confirming_one_transfer_at_once_apply_it_once(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given a bank-transfer order
    shop = await open_shop(app, client)
    order = await _transfer_order(client, shop)

    # when two confirmations of it race
    responses = await asyncio.gather(
        *(_confirm(client, shop.admin, order["payment"]["id"]) for _ in range(2))
    )

    # then one wins, the other is a conflict, and nothing is refunded
    assert sorted(r.status_code for r in responses) == [200, 409]
    assert await _status(client, order) == ("processing", "paid")
    assert await records.refunds_of(sessionmaker, order["id"]) == []
    [payment] = await records.payments_of(sessionmaker, order["id"])
    assert payment.status is PaymentAttemptStatus.PAID
    assert await records.balance_of(client, shop.owner, shop.seller_id) == TOTAL - COMMISSION


async def test_only_admins_confirm_transfers_and_only_transfers(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    order = await _transfer_order(client, shop)
    card = await placed_order(
        client, order_body(order_line(shop.variant_id, 1), payment_method="stripe")
    )
    payment_id = order["payment"]["id"]

    anonymous = await client.post(f"/api/v1/admin/payments/{payment_id}/confirm")
    seller = await _confirm(client, shop.owner, payment_id)
    unknown = await _confirm(client, shop.admin, "0190f0e0-0000-7000-8000-000000000000")
    not_a_uuid = await _confirm(client, shop.admin, "nope")
    card_payment = await _confirm(client, shop.admin, card["payment"]["id"])

    assert anonymous.status_code == 401
    assert seller.status_code == 403
    assert unknown.status_code == 404
    assert not_a_uuid.status_code == 404
    assert card_payment.status_code == 409
    assert await _status(client, order) == ("pending", "unpaid")


async def test_transfer_confirmed_after_the_order_expired_revives_it_when_stock_is_there(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given a bank-transfer order that expired (its stock released)
    shop = await open_shop(app, client, stock=10)
    order = await _transfer_order(client, shop)
    await set_order_expiry(sessionmaker, order["id"], utcnow() - timedelta(minutes=1))
    assert await expire_due_orders(sessionmaker, app.state.gateways) == 1
    assert await _status(client, order) == ("cancelled", "unpaid")
    assert await variant_stock(sessionmaker, shop.variant_id) == 10

    # when the money turns up and an admin confirms it
    confirmed = await _confirm(client, shop.admin, order["payment"]["id"])

    # then the order takes its stock again and goes on
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "paid"
    seen = await order_seen_by_buyer(client, order)
    assert (seen["status"], seen["payment_status"]) == ("processing", "paid")
    assert [part["status"] for part in seen["seller_orders"]] == ["to_ship"]
    assert await variant_stock(sessionmaker, shop.variant_id) == 8
    assert await records.balance_of(client, shop.owner, shop.seller_id) == TOTAL - COMMISSION


async def test_transfer_confirmed_after_expiry_when_sold_out_is_refunded_by_hand(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given the last two packs: ordered, expired, then bought by someone else
    shop = await open_shop(app, client, stock=2)
    order = await _transfer_order(client, shop)
    await set_order_expiry(sessionmaker, order["id"], utcnow() - timedelta(minutes=1))
    assert await expire_due_orders(sessionmaker, app.state.gateways) == 1
    await _transfer_order(client, shop)
    assert await variant_stock(sessionmaker, shop.variant_id) == 0

    # when the first buyer's transfer is confirmed after all
    confirmed = await _confirm(client, shop.admin, order["payment"]["id"])

    # then the order stays cancelled and the money is due back, recorded for the operator
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "refunded"
    assert await _status(client, order) == ("cancelled", "refunded")
    # (the whole transfer, unique code included, goes back)
    [refund] = await records.refunds_of(sessionmaker, order["id"])
    assert (refund.amount, refund.status, refund.provider_refund_id) == (
        order["payment"]["amount"],
        RefundStatus.MANUAL,
        None,
    )
    [email] = await records.emails_with_template(sessionmaker, "payment_refunded")
    assert email.recipient == order["buyer"]["email"]
    assert await records.balance_of(client, shop.owner, shop.seller_id) == 0


async def test_cancelling_a_confirmed_transfer_order_records_a_manual_refund_and_debits_seller(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given a bank-transfer order an admin confirmed
    shop = await open_shop(app, client, stock=10)
    order = await _transfer_order(client, shop)
    assert (await _confirm(client, shop.admin, order["payment"]["id"])).status_code == 200

    # when the buyer cancels it before it ships
    cancelled = await client.post(
        f"/api/v1/orders/{order['id']}/cancel", headers=guest_headers(order)
    )

    # then the refund is recorded for the operator to pay by hand, and the seller debited
    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["status"], cancelled.json()["payment_status"]) == (
        "cancelled",
        "refunded",
    )
    [refund] = await records.refunds_of(sessionmaker, order["id"])
    assert (refund.amount, refund.status, refund.provider_refund_id) == (
        order["payment"]["amount"],
        RefundStatus.MANUAL,
        None,
    )
    [payment] = await records.payments_of(sessionmaker, order["id"])
    assert (payment.status, payment.refunded_amount) == (
        PaymentAttemptStatus.REFUNDED,
        order["payment"]["amount"],
    )
    ledger = await records.ledger_of(client, shop.owner, shop.seller_id)
    assert records.kinds_and_amounts(ledger) == [
        ("commission", -COMMISSION),
        ("commission_return", COMMISSION),
        ("refund", -TOTAL),
        ("sale", TOTAL),
    ]
    assert await records.balance_of(client, shop.owner, shop.seller_id) == 0
    assert await variant_stock(sessionmaker, shop.variant_id) == 10


async def test_cancelling_an_unconfirmed_transfer_order_refunds_nothing(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    shop = await open_shop(app, client)
    order = await _transfer_order(client, shop)

    cancelled = await client.post(
        f"/api/v1/orders/{order['id']}/cancel", headers=guest_headers(order)
    )

    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["payment_status"] == "unpaid"
    assert cancelled.json()["payment"]["status"] == "cancelled"
    assert await records.refunds_of(sessionmaker, order["id"]) == []


async def _ship_and_deliver(client: AsyncClient, member: Account, part_id: str) -> None:
    shipped = await client.post(
        f"/api/v1/seller-orders/{part_id}/ship",
        json={"courier": "JNE", "tracking_number": f"JNE-{part_id[-8:]}"},
        headers=member.headers,
    )
    assert shipped.status_code == 200, shipped.text
    delivered = await client.post(
        f"/api/v1/seller-orders/{part_id}/deliver", headers=member.headers
    )
    assert delivered.status_code == 200, delivered.text


async def test_cod_is_paid_when_every_seller_collected_and_only_commission_is_booked(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given a cash-on-delivery order across two sellers (processing at once, nothing paid)
    lada = await open_shop(app, client)
    kerupuk = await open_shop(
        app,
        client,
        admin=lada.admin,
        seller_name="UMKM Kerupuk Belinyu",
        title="Kerupuk Ikan Belinyu",
        price=30_000,
        weight_grams=250,
    )
    order = await placed_order(
        client,
        order_body(
            order_line(lada.variant_id, 2), order_line(kerupuk.variant_id, 1), payment_method="cod"
        ),
    )
    assert (order["status"], order["payment_status"]) == ("processing", "unpaid")
    assert (order["payment"]["method"], order["payment"]["status"]) == ("cod", "pending")
    parts = {part["seller"]["id"]: part for part in order["seller_orders"]}
    assert {part["status"] for part in parts.values()} == {"to_ship"}
    kerupuk_part = parts[kerupuk.seller_id]

    # when the lada seller delivers and collects its cash
    await _ship_and_deliver(client, lada.owner, parts[lada.seller_id]["id"])

    # then the order is not paid while a part is still on its way, and the lada seller owes
    # the platform its commission (the cash is in its hands; nothing is held or credited)
    assert await _status(client, order) == ("processing", "unpaid")
    assert await records.balances_of(client, lada.owner, lada.seller_id) == {
        "pending": 0,
        "available": -COMMISSION,
        "paid_out": 0,
    }
    assert await records.balance_of(client, kerupuk.owner, kerupuk.seller_id) == 0

    # when the kerupuk seller delivers too
    await _ship_and_deliver(client, kerupuk.owner, kerupuk_part["id"])

    # then the order is complete and paid, and each seller's ledger holds only the commission
    seen = await order_seen_by_buyer(client, order)
    assert (seen["status"], seen["payment_status"]) == ("completed", "paid")
    assert seen["payment"]["status"] == "paid"
    lada_ledger = await records.ledger_of(client, lada.owner, lada.seller_id)
    assert records.kinds_and_amounts(lada_ledger) == [("cod_commission", -COMMISSION)]
    kerupuk_ledger = await records.ledger_of(client, kerupuk.owner, kerupuk.seller_id)
    assert records.kinds_and_amounts(kerupuk_ledger) == [("cod_commission", -1_500)]
    assert {entry["bucket"] for entry in kerupuk_ledger} == {"available"}


async def test_cancelling_an_undelivered_cash_on_delivery_order_refunds_nothing(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    shop = await open_shop(app, client, stock=10)
    order = await placed_order(
        client, order_body(order_line(shop.variant_id, 2), payment_method="cod")
    )

    cancelled = await client.post(
        f"/api/v1/orders/{order['id']}/cancel", headers=guest_headers(order)
    )

    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["status"], cancelled.json()["payment_status"]) == (
        "cancelled",
        "unpaid",
    )
    assert await records.refunds_of(sessionmaker, order["id"]) == []
    assert await records.balance_of(client, shop.owner, shop.seller_id) == 0
    assert await variant_stock(sessionmaker, shop.variant_id) == 10
