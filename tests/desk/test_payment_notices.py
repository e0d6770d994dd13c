"""Payment e-mails through the outbox, Indonesian first: payment received, order cancelled or
expired, and one reminder before an unpaid transfer expires (a sweep, once per order)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.config import Settings
from marketplace.core.formatting import format_rupiah
from marketplace.db.base import utcnow
from marketplace.notifications.models import OutboxEmail
from marketplace.orders.tasks import expire_due_orders, remind_unpaid_transfers
from tests.factories import (
    confirm_payment,
    guest_headers,
    open_shop,
    order_body,
    order_line,
    placed_order,
    set_order_expiry,
)

Sessionmaker = async_sessionmaker[AsyncSession]


async def outbox(sessionmaker: Sessionmaker, template: str) -> list[OutboxEmail]:
    async with sessionmaker() as session:
        result = await session.execute(
            select(OutboxEmail)
            .where(OutboxEmail.template == template)
            .order_by(OutboxEmail.created_at)
        )
        return list(result.scalars())


async def test_unpaid_transfer_gets_one_reminder_hours_before_it_expires(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker, settings: Settings
) -> None:
    # given two unpaid transfer orders, one expiring in 2 hours and one in 20
    shop = await open_shop(app, client)
    soon = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    later = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    await set_order_expiry(sessionmaker, soon["id"], utcnow() + timedelta(hours=2))
    await set_order_expiry(sessionmaker, later["id"], utcnow() + timedelta(hours=20))

    # when the reminder sweep runs twice (reminders 6 hours ahead by default)
    first = await remind_unpaid_transfers(sessionmaker, app.state.gateways)
    second = await remind_unpaid_transfers(sessionmaker, app.state.gateways)

    # then only the order expiring soon was reminded, once, with its unique amount
    assert (first, second) == (1, 0)
    [mail] = await outbox(sessionmaker, "payment_reminder")
    assert mail.recipient == "budi@contoh.id"
    assert mail.subject.startswith(f"Pengingat: bayar pesanan {soon['number']} sebelum")
    assert mail.subject.endswith("WIB")
    assert f"Transfer tepat {format_rupiah(soon['payment']['amount'])}" in mail.body_text


async def test_paid_or_cash_orders_get_no_reminder(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker, settings: Settings
) -> None:
    shop = await open_shop(app, client)
    paid = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    await set_order_expiry(sessionmaker, paid["id"], utcnow() + timedelta(hours=1))
    assert (await confirm_payment(client, shop.admin, paid["payment"]["id"])).status_code == 200
    await placed_order(client, order_body(order_line(shop.variant_id, 1), payment_method="cod"))

    assert await remind_unpaid_transfers(sessionmaker, app.state.gateways) == 0
    assert await outbox(sessionmaker, "payment_reminder") == []


async def test_confirmed_transfer_tells_the_buyer_the_payment_arrived(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    shop = await open_shop(app, client)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 1), language="en"))

    assert (await confirm_payment(client, shop.admin, order["payment"]["id"])).status_code == 200

    [mail] = await outbox(sessionmaker, "payment_received")
    assert mail.subject == f"Payment for order {order['number']} received"
    assert format_rupiah(order["payment"]["amount"]) in mail.body_text


async def test_expired_transfer_order_tells_the_buyer_it_expired(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    shop = await open_shop(app, client)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    await set_order_expiry(sessionmaker, order["id"], utcnow() - timedelta(minutes=1))

    assert await expire_due_orders(sessionmaker, app.state.gateways) == 1

    [mail] = await outbox(sessionmaker, "order_cancelled")
    assert mail.subject == f"Pesanan {order['number']} kedaluwarsa"
    assert "tidak kami terima tepat waktu" in mail.body_text


async def test_cancelled_paid_order_tells_the_buyer_what_is_refunded(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    shop = await open_shop(app, client)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    assert (await confirm_payment(client, shop.admin, order["payment"]["id"])).status_code == 200

    cancelled = await client.post(
        f"/api/v1/orders/{order['id']}/cancel", headers=guest_headers(order)
    )

    assert cancelled.status_code == 200, cancelled.text
    [mail] = await outbox(sessionmaker, "order_cancelled")
    assert mail.subject == f"Pesanan {order['number']} dibatalkan"
    refunded = format_rupiah(order["payment"]["amount"])
    assert f"Pembayaran Anda sebesar {refunded} akan dikembalikan." in mail.body_text
