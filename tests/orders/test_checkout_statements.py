"""What a checkout sends to the database. Each statement's round trip cost the worker more CPU
than the database's work on it (issue 17), so what a checkout runs is pinned here."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import counting_statements, open_shop, order_body, order_line, placed_order


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
    # and on PostgreSQL the writes are three: the order, the transfer code carrying the
    # seller-orders and lines, the stock carrying the rest
    if is_postgres:
        assert len(sent) == 4, sent
