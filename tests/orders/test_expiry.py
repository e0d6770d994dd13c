"""Unpaid orders past their time give their stock back: by the sweep inside ``serve`` and by
``marketplace expire-orders``, safely however many run at once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from typer.testing import CliRunner, Result

from marketplace.cli import app as cli
from marketplace.config import Settings, get_settings
from marketplace.db.base import utcnow
from marketplace.orders.models import Order
from marketplace.orders.tasks import expire_due_orders
from tests.conftest import make_settings
from tests.factories import (
    confirm_payment,
    http_client,
    open_shop,
    order_body,
    order_line,
    placed_order,
    read_guest_order,
    running_app,
    set_order_expiry,
    variant_stock,
)

A_MINUTE_AGO = timedelta(minutes=-1)


async def cancel_reason(
    sessionmaker: async_sessionmaker[AsyncSession], order_id: str
) -> str | None:
    async with sessionmaker() as session:
        order = await session.get(Order, uuid.UUID(order_id))
    assert order is not None
    return order.cancel_reason


async def test_unpaid_order_past_its_expiry_is_cancelled_and_its_stock_returns(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given an unpaid bank transfer order of 2 of 10 whose time ran out a minute ago
    shop = await open_shop(app, client, stock=10)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 2)))
    await set_order_expiry(sessionmaker, order["id"], utcnow() + A_MINUTE_AGO)
    assert await variant_stock(sessionmaker, shop.variant_id) == 8

    # when the sweep runs
    expired = await expire_due_orders(app.state.sessionmaker, app.state.gateways)

    # then the order is cancelled as expired, with its stock back and its transfer void
    assert expired == 1
    final = await read_guest_order(client, order)
    assert final["status"] == "cancelled"
    assert final["cancelled_at"] is not None
    assert [part["status"] for part in final["seller_orders"]] == ["cancelled"]
    assert final["payment"]["status"] == "cancelled"
    assert await cancel_reason(sessionmaker, order["id"]) == "expired"
    assert await variant_stock(sessionmaker, shop.variant_id) == 10
    # and a second sweep finds nothing more to do
    assert await expire_due_orders(app.state.sessionmaker, app.state.gateways) == 0
    assert await variant_stock(sessionmaker, shop.variant_id) == 10


async def test_sweep_leaves_orders_not_yet_due_paid_cod_and_cancelled_ones_alone(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given four orders of 1 from 10: one not yet due, and three whose expiry is in the past
    # but which are paid, cash on delivery, or already cancelled by the buyer
    shop = await open_shop(app, client, stock=10)
    not_due = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    paid = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    assert (await confirm_payment(client, shop.admin, paid["payment"]["id"])).status_code == 200
    cod = await placed_order(
        client, order_body(order_line(shop.variant_id, 1), payment_method="cod")
    )
    cancelled = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    cancel = await client.post(
        f"/api/v1/orders/{cancelled['id']}/cancel",
        headers={"X-Order-Token": cancelled["access_token"]},
    )
    assert cancel.status_code == 200
    for order in (paid, cod, cancelled):
        await set_order_expiry(sessionmaker, order["id"], utcnow() + A_MINUTE_AGO)

    # when the sweep runs
    expired = await expire_due_orders(app.state.sessionmaker, app.state.gateways)

    # then none of them is touched, and the cancelled order's stock was returned only once
    assert expired == 0
    assert (await read_guest_order(client, not_due))["status"] == "pending"
    assert (await read_guest_order(client, paid))["status"] == "processing"
    assert (await read_guest_order(client, cod))["status"] == "processing"
    assert await cancel_reason(sessionmaker, cancelled["id"]) == "buyer"
    assert await variant_stock(sessionmaker, shop.variant_id) == 7


async def test_two_sweeps_at_once_expire_each_order_exactly_once(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given three expired orders of 2 each from 10
    shop = await open_shop(app, client, stock=10)
    orders = [
        await placed_order(client, order_body(order_line(shop.variant_id, 2))) for _ in range(3)
    ]
    for order in orders:
        await set_order_expiry(sessionmaker, order["id"], utcnow() + A_MINUTE_AGO)
    assert await variant_stock(sessionmaker, shop.variant_id) == 4

    # when two instances sweep at the same moment
    counts = await asyncio.gather(
        expire_due_orders(app.state.sessionmaker, app.state.gateways),
        expire_due_orders(app.state.sessionmaker, app.state.gateways),
    )

    # then the three are expired between them, and the stock comes back once
    assert sum(counts) == 3
    assert await variant_stock(sessionmaker, shop.variant_id) == 10


async def test_background_work_inside_serve_expires_due_orders(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    # given an expired order, and an instance serving with its background timer on
    shop = await open_shop(app, client, stock=10)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 3)))
    await set_order_expiry(sessionmaker, order["id"], utcnow() + A_MINUTE_AGO)
    serving = make_settings(
        settings.database_url,
        background_tasks_enabled=True,
        background_interval_seconds=0.05,
    )

    # when that instance runs for a moment
    async with running_app(serving):
        for _ in range(200):
            if await variant_stock(sessionmaker, shop.variant_id) == 10:
                break
            await asyncio.sleep(0.05)

    # then its timer expired the order
    assert await variant_stock(sessionmaker, shop.variant_id) == 10
    assert (await read_guest_order(client, order))["status"] == "cancelled"
    assert await cancel_reason(sessionmaker, order["id"]) == "expired"


# --- marketplace expire-orders ---------------------------------------------------------------


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh SQLite file that the command finds through MARKETPLACE_DATABASE_URL."""
    url = f"sqlite:///{tmp_path / 'cli' / 'marketplace.db'}"
    monkeypatch.setenv("MARKETPLACE_DATABASE_URL", url)
    monkeypatch.setenv("MARKETPLACE_ENVIRONMENT", "test")
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


async def run_cli(*arguments: str) -> Result:
    """In a worker thread: the command calls asyncio.run, which needs a thread of its own."""
    return await asyncio.to_thread(CliRunner().invoke, cli, list(arguments))


async def test_expire_orders_command_cancels_due_orders_and_returns_their_stock(
    cli_database: str,
) -> None:
    # given a database with one expired and one current order of 2 each from 10
    assert (await run_cli("db", "upgrade")).exit_code == 0
    async with running_app(make_settings(cli_database)) as app, http_client(app) as client:
        shop = await open_shop(app, client, stock=10)
        due = await placed_order(client, order_body(order_line(shop.variant_id, 2)))
        current = await placed_order(client, order_body(order_line(shop.variant_id, 2)))
        await set_order_expiry(app.state.sessionmaker, due["id"], utcnow() + A_MINUTE_AGO)
        await app.state.gateways.mailer.drain()

        # when cron runs the command
        result = await run_cli("expire-orders")

        # then it reports one, and only that order gave its stock back
        assert result.exit_code == 0, result.output
        assert "1 orders expired" in result.output
        assert await variant_stock(app.state.sessionmaker, shop.variant_id) == 8
        assert (await read_guest_order(client, due))["status"] == "cancelled"
        assert (await read_guest_order(client, current))["status"] == "pending"
