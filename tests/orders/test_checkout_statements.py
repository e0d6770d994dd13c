"""What a checkout sends to the database. Each statement's round trip cost the worker more CPU
than the database's work on it (issue 17), so what a checkout runs is pinned here; and an
order number drawn twice (one in ~309 million a day) still makes one order each."""

from __future__ import annotations

import uuid

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.db.session import unit_of_work
from marketplace.orders import idempotency, placement
from marketplace.orders.idempotency import IdempotentRequest
from marketplace.orders.models import Order
from marketplace.orders.schemas import OrderCreate
from marketplace.payments.models import Payment
from tests.factories import (
    counting_statements,
    open_shop,
    order_body,
    order_line,
    placed_order,
    variant_stock,
)


def checkout_statements(statements: list[str]) -> list[str]:
    """Without BEGIN/COMMIT (SQLite's go through the cursor) and the outbox's sent mark."""
    return [
        statement
        for statement in statements
        if not statement.upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "UPDATE OUTBOX"))
    ]


async def test_a_checkout_reads_all_it_needs_in_its_first_statement(
    app: FastAPI, client: AsyncClient, is_postgres: bool
) -> None:
    # given a shop, and an order placed before (regions and rates are then kept in memory)
    shop = await open_shop(app, client)
    body = order_body(order_line(shop.variant_id, 2))
    await placed_order(client, body)

    # when a guest places a bank transfer order
    with counting_statements(app) as statements:
        await placed_order(client, body)

    # then its first statement reads the key's lock and record, the rates' version and the
    # variants, and no other statement reads
    sent = checkout_statements(statements)
    first = sent[0]
    for table in ("idempotency_records", "shipping_rates", "product_variants"):
        assert table in first
    assert ("pg_try_advisory_xact_lock" in first) is is_postgres
    assert [s for s in sent[1:] if s.lstrip().upper().startswith("SELECT")] == []
    # and on PostgreSQL that statement inserts the order too, with its payment and the
    # payment's transfer code, and one write follows: the stock, carrying the rest
    if is_postgres:
        for table in ("orders", "payments", "transfer_codes"):
            assert f"INSERT INTO {table}" in first
        assert len(sent) == 2, sent


async def test_an_order_number_already_taken_is_drawn_again_and_the_order_goes_in(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given an order placed today, and a checkout whose first number drawn is that one's
    shop = await open_shop(app, client, stock=10)
    first = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    drawn = iter([first["number"], "BB991231-ACDEFG"])
    body = OrderCreate.model_validate(order_body(order_line(shop.variant_id, 2)))
    checkout = placement.Checkout(
        settings=app.state.settings,
        payments=app.state.gateways.payments,
        limiter=app.state.rate_limiter,
        buyer=None,
        client_address="127.0.0.1",
        numbers=lambda: next(drawn),
    )
    request = IdempotentRequest(
        caller="guest",
        scope=placement.ORDER_SCOPE,
        key=str(uuid.uuid4()),
        request_hash=idempotency.body_hash(body),
    )

    # when it places the order
    async with unit_of_work(sessionmaker, app.state.gateways.mailer) as session:
        placed = await placement.place_order(session, checkout, body, request)

    # then it went in under the next number, whole, and the first order is untouched
    assert (placed.status_code, placed.body["number"]) == (201, "BB991231-ACDEFG")
    assert placed.body["total"] == placed.body["subtotal"] + placed.body["shipping_total"] > 0
    async with sessionmaker() as session:
        numbers = (await session.scalars(select(Order.number).order_by(Order.number))).all()
        stored_total = await session.scalar(
            select(func.sum(Order.total)).where(Order.number == "BB991231-ACDEFG")
        )
    assert sorted(numbers) == sorted([first["number"], "BB991231-ACDEFG"])
    assert stored_total == placed.body["total"]
    assert await variant_stock(sessionmaker, shop.variant_id) == 7


async def test_a_checkout_leaves_its_order_and_payment_updated_at_their_creation(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """The order's totals and the payment's code are written after their rows, in the same
    transaction: they finish the creation, they are not a change. An UPDATE that leaves the
    indexed ``updated_at`` alone is HOT on PostgreSQL (it touches no index); setting it
    wrote every one of the order's eleven indexes a second time per checkout."""
    # given a shop
    shop = await open_shop(app, client)

    # when a guest places a bank transfer order
    order = await placed_order(client, order_body(order_line(shop.variant_id, 2)))

    # then its totals and its payment's code are stored, with nothing marked as updated
    async with sessionmaker() as session:
        stored = (
            await session.execute(select(Order).where(Order.number == order["number"]))
        ).scalar_one()
        payment = (
            await session.execute(select(Payment).where(Payment.order_id == stored.id))
        ).scalar_one()
    assert (stored.total, payment.amount) == (order["total"], order["payment"]["amount"])
    assert payment.unique_code is not None
    assert stored.updated_at == stored.created_at
    assert payment.updated_at == payment.created_at
