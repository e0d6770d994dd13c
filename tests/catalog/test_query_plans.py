"""On PostgreSQL a product list is planned once per connection, not once per request.

Each statement is a prepared statement of the connection. PostgreSQL plans it for the values
of each execution (a custom plan) until a plan for any values (the generic plan) is priced no
higher. With the visibility rule's statuses and the page's LIMIT bound as parameters, the
generic plan of the first page guessed a third of the products published and an unknown
LIMIT, and at 100k products priced itself above the custom one for good: every request was
planned again, which cost the database more CPU than running the page (1.0 -> 0.46 ms of
PostgreSQL's CPU per request, bench/catalog.py's first page at 32 clients). In this test's small
catalog it switched after five custom plans. The code's own constants are now written into the
statement, which has no parameter left: planned once.

On SQLite, the plan a first page gets from a large catalog's statistics (the last test)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text

from marketplace.catalog.search import MIN_FULL_TEXT_MATCHES
from marketplace.config import Settings
from tests.factories import (
    counting_statements,
    create_published_product,
    listening,
    set_up_catalog,
)
from tests.factories.app import http_client, running_app

EXECUTIONS = 8  # PostgreSQL tries five custom plans before it compares the generic one


async def plans_of_statements_containing(app: FastAPI, fragment: str) -> list[tuple[int, int]]:
    """(custom plans, generic plans) of the connection's prepared statements with
    ``fragment`` in their text; the app's pool must hold one connection."""
    async with app.state.engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT custom_plans, generic_plans FROM pg_prepared_statements"
                " WHERE strpos(statement, :fragment) > 0"
                " AND strpos(statement, 'pg_prepared_statements') = 0"
            ),
            {"fragment": fragment},
        )
        return [(row.custom_plans, row.generic_plans) for row in rows]


@pytest.mark.parametrize("params", [{}, {"limit": 5}], ids=["default page", "page of 5"])
async def test_the_first_page_is_not_planned_again_for_each_request(
    app: FastAPI,
    client: AsyncClient,
    settings: Settings,
    is_postgres: bool,
    params: dict[str, int],
) -> None:
    if not is_postgres:
        pytest.skip("prepared statements' plans are PostgreSQL's")
    # Given published products and an app whose pool holds one connection, its cache off
    shop = await set_up_catalog(app, client)
    for number in range(3):
        await create_published_product(client, shop.owner, shop.seller_id, title=f"Lada {number}")
    one_connection = settings.model_copy(
        update={"database_pool_size": 1, "response_cache_enabled": False}
    )
    async with running_app(one_connection) as lone, http_client(lone) as visitor:
        # When the first page is read again and again
        for _ in range(EXECUTIONS):
            response = await visitor.get("/api/v1/products", params=params)
            assert response.status_code == 200, response.text
            assert len(response.json()["items"]) == 3

        # Then its statement was planned once and that plan reused every time
        plans = await plans_of_statements_containing(lone, "page_id")

    assert plans == [(0, EXECUTIONS)]


async def test_a_search_full_text_answers_is_one_statement_planned_once(
    app: FastAPI, client: AsyncClient, settings: Settings, is_postgres: bool
) -> None:
    """Typo tolerance is a statement of its own, run only when full text finds too few: in
    one statement with it, PostgreSQL planned every search again (1.4 ms of its CPU per
    search at 100k products, more than half of running it)."""
    if not is_postgres:
        pytest.skip("prepared statements' plans are PostgreSQL's")
    # Given as many coffees as full text needs to leave typos out, and a misspelt one
    shop = await set_up_catalog(app, client)
    for number in range(MIN_FULL_TEXT_MATCHES):
        await create_published_product(
            client, shop.owner, shop.seller_id, title=f"Kopi Robusta {number}"
        )
    await create_published_product(client, shop.owner, shop.seller_id, title="Kopie Luwak")
    one_connection = settings.model_copy(
        update={"database_pool_size": 1, "response_cache_enabled": False}
    )
    async with running_app(one_connection) as lone, http_client(lone) as visitor:
        # When "kopi" is searched for again and again, and "kopie" (full text finds none)
        with counting_statements(lone) as statements:
            for _ in range(EXECUTIONS):
                found = await visitor.get("/api/v1/products", params={"q": "kopi"})
                assert len(found.json()["items"]) == MIN_FULL_TEXT_MATCHES
        with counting_statements(lone) as typo_statements:
            misspelt = await visitor.get("/api/v1/products", params={"q": "kopie"})

        # Then each search was one statement, planned once
        plans = await plans_of_statements_containing(lone, "full_text_found")

    assert len(statements) == EXECUTIONS
    assert plans[0][1] >= EXECUTIONS - 5  # the first five may be custom plans
    # and a search that full text cannot answer ran again with typo tolerance
    assert len(typo_statements) == 2
    assert "kopie-luwak" in [item["slug"] for item in misspelt.json()["items"]]


# sqlite_stat1 as ANALYZE wrote it at 100k products, 200 of 210 sellers verified
# (bench/catalog.py's catalog): a third of the products in each status, half the sellers.
SQLITE_STATISTICS_AT_100K = [
    ("products", "ix_products_category_status_published", "100000 6667 2223 1 1"),
    ("products", "ix_products_region_status_published", "100000 14286 4762 1 1"),
    ("products", "ix_products_seller_status_published", "100000 477 159 1 1"),
    ("products", "ix_products_status_rating", "100000 33334 33334 1"),
    ("products", "ix_products_updated_at", "100000 1"),
    ("products", "ix_products_status_published", "100000 33334 1 1"),
    ("products", "ix_products_status_price", "100000 33334 37 1"),
    ("products", "sqlite_autoindex_products_2", "100000 1"),
    ("products", "sqlite_autoindex_products_1", "100000 1"),
    ("sellers", "ix_sellers_updated_at", "210 210"),
    ("sellers", "ix_sellers_status_name", "210 105 1 1"),
    ("sellers", "ix_sellers_region_code", "210 30"),
    ("sellers", "sqlite_autoindex_sellers_2", "210 1"),
    ("sellers", "sqlite_autoindex_sellers_1", "210 1"),
]


async def test_sqlite_walks_the_first_page_in_list_order_not_seller_by_seller(
    app: FastAPI, client: AsyncClient, is_postgres: bool
) -> None:
    """With these statistics SQLite took the verified sellers first, each one's published
    products by index, and sorted all of them for 21 rows (0.68 ms of SQLite per first page
    at 100k, against 0.19 ms walking the newest-first index)."""
    if is_postgres:
        pytest.skip("SQLite's planner and statistics")
    # Given a published product, and the first page's statement as the app sends it
    shop = await set_up_catalog(app, client)
    await create_published_product(client, shop.owner, shop.seller_id, title="Lada Putih")
    sent: list[tuple[str, Any]] = []
    with listening(app, "before_cursor_execute", lambda *args: sent.append(args[2:4])):
        response = await client.get("/api/v1/products")
    assert response.status_code == 200, response.text
    [(statement, parameters)] = [(s, p) for s, p in sent if "page_id" in s]

    # When SQLite plans it with the statistics of a catalog of 100k products
    async with app.state.engine.connect() as connection:
        await connection.exec_driver_sql("ANALYZE")
        await connection.exec_driver_sql("DELETE FROM sqlite_stat1")
        for table, index, stat in SQLITE_STATISTICS_AT_100K:
            await connection.exec_driver_sql(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", (table, index, stat)
            )
        await connection.exec_driver_sql("ANALYZE sqlite_schema")  # reload the statistics
        result = await connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        plan = [str(row[3]) for row in result]
        await connection.rollback()

    # Then the page's rows come from the newest-first index, each with its seller by key
    assert "SEARCH products USING INDEX ix_products_status_published (status=?)" in plan, plan
    assert not any("ix_products_seller_status_published" in line for line in plan), plan
