"""Public reads of one statement run it outside a transaction (no BEGIN and COMMIT round
trips); reads of several statements and every write keep their transaction; a one-statement
read refuses a second statement or a write; and what it reads is current after a write."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.catalog.models import Category, Product
from marketplace.config import Settings
from marketplace.db.session import (
    SQLITE_BEGIN_OPTION,
    OneStatementReadBroken,
    one_statement_read,
    unit_of_work,
)
from tests.conftest import make_settings
from tests.factories import create_published_product, set_up_catalog, variant_body
from tests.factories.app import http_client, listening, running_app

PRODUCTS = "/api/v1/products"


@pytest.fixture(params=["cache off", "version remembered"])
async def reading_app(
    request: pytest.FixtureRequest, settings: Settings, app: FastAPI
) -> AsyncIterator[FastAPI]:
    """An app whose public reads take the one-statement path: with the response cache off,
    and with it on while the catalog version is remembered (the shared ``app`` reads the
    version every time); ``app`` is taken so its tables are emptied after the test."""
    overrides: dict[str, object] = (
        {"response_cache_enabled": False}
        if request.param == "cache off"
        else {"catalog_version_ttl_seconds": 60}
    )
    async with running_app(
        make_settings(settings.database_url, media_root=settings.media_root, **overrides)
    ) as application:
        yield application


@pytest.fixture
async def reading_client(reading_app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with http_client(reading_app) as client:
        yield client


def _outside_transaction(options: dict[str, Any]) -> bool:
    return options.get("isolation_level") == "AUTOCOMMIT" or (
        SQLITE_BEGIN_OPTION in options and options[SQLITE_BEGIN_OPTION] is None
    )


@contextmanager
def connections_used(app: FastAPI) -> Iterator[list[bool]]:
    """For each connection the app's engine begins to use while the block runs: True when
    its statements run outside a transaction."""
    used: list[bool] = []

    def record(connection: Connection) -> None:
        used.append(_outside_transaction(dict(connection.get_execution_options())))

    with listening(app, "begin", record):
        yield used


async def driver_in_transaction(session: AsyncSession) -> bool:
    """Whether the database driver's connection is inside a transaction block right now."""
    connection = await session.connection()
    driver = (await connection.get_raw_connection()).driver_connection
    if hasattr(driver, "is_in_transaction"):  # asyncpg
        return bool(driver.is_in_transaction())
    return bool(driver.in_transaction)  # aiosqlite, as sqlite3


async def test_one_statement_read_runs_outside_a_transaction(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # When a one-statement read and a read transaction each run a SELECT
    async with one_statement_read(sessionmaker) as session:
        await session.execute(select(func.count()).select_from(Product))
        alone = await driver_in_transaction(session)
    async with unit_of_work(sessionmaker, None, write=False) as session:
        await session.execute(select(func.count()).select_from(Product))
        in_read_transaction = await driver_in_transaction(session)

    # Then only the read transaction had begun one
    assert alone is False
    assert in_read_transaction is True


async def test_one_statement_read_refuses_a_second_statement(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with one_statement_read(sessionmaker) as session:
        await session.execute(select(func.count()).select_from(Product))
        with pytest.raises(OneStatementReadBroken):
            await session.execute(select(func.count()).select_from(Category))


async def test_one_statement_read_refuses_to_write(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # When a one-statement read tries an UPDATE, and then to flush a new row
    async with one_statement_read(sessionmaker) as session:
        with pytest.raises(OneStatementReadBroken):
            await session.execute(update(Category).values(name="Diubah"))
    async with one_statement_read(sessionmaker) as session:
        session.add(Category(slug="baru", name="Baru"))
        with pytest.raises(OneStatementReadBroken):
            await session.flush()

    # Then nothing was written
    async with sessionmaker() as session:
        names = (await session.execute(select(Category.slug, Category.name))).all()
    assert ("baru", "Baru") not in names
    assert all(name != "Diubah" for _, name in names)


async def test_first_page_and_public_detail_run_outside_a_transaction(
    reading_app: FastAPI, reading_client: AsyncClient
) -> None:
    # Given a published product, its page and detail read once (the version is remembered)
    shop = await set_up_catalog(reading_app, reading_client)
    product = await create_published_product(
        reading_client, shop.owner, shop.seller_id, title="Lada Putih"
    )
    await reading_client.get(PRODUCTS)

    # When the first page, a page of its category (and the categories below it) and the
    # product are read, the response cache emptied before each
    by_category = f"{PRODUCTS}?category={shop.category}"
    paths = (PRODUCTS, by_category, f"{PRODUCTS}/{product['slug']}", f"{PRODUCTS}/{product['id']}")
    for path in paths:
        await reading_app.state.response_cache.clear()
        with connections_used(reading_app) as used:
            response = await reading_client.get(path)

        # Then each ran on one connection, outside a transaction
        assert response.status_code == 200, response.text
        assert used == [True], path


async def test_reads_of_several_statements_and_writes_keep_their_transaction(
    reading_app: FastAPI, reading_client: AsyncClient
) -> None:
    # Given a published product
    shop = await set_up_catalog(reading_app, reading_client)
    product = await create_published_product(
        reading_client, shop.owner, shop.seller_id, title="Lada Putih"
    )

    # When a page of a seller named by slug (looked up first), the product read by its
    # seller, and a change to it are sent
    with connections_used(reading_app) as used:
        by_seller = await reading_client.get(PRODUCTS, params={"seller": shop.seller["slug"]})
        as_member = await reading_client.get(
            f"{PRODUCTS}/{product['id']}", headers=shop.owner.headers
        )
        changed = await reading_client.patch(
            f"{PRODUCTS}/{product['id']}", json={"title": "Lada Hitam"}, headers=shop.owner.headers
        )

    # Then every one of them ran in a transaction
    for response in (by_seller, as_member, changed):
        assert response.status_code == 200, response.text
    assert used
    assert not any(used)


async def test_one_statement_reads_show_a_change_right_after_it(
    reading_app: FastAPI, reading_client: AsyncClient
) -> None:
    # Given a published product in stock, read once in the list and in detail
    shop = await set_up_catalog(reading_app, reading_client)
    product = await create_published_product(
        reading_client,
        shop.owner,
        shop.seller_id,
        title="Lada Putih",
        variants=[variant_body("250 g", price=45_000, stock=3)],
    )
    detail = f"{PRODUCTS}/{product['slug']}"
    assert (await reading_client.get(detail)).json()["in_stock"] is True
    assert (await reading_client.get(PRODUCTS)).json()["items"][0]["title"] == "Lada Putih"

    # When its seller renames it and its stock runs out
    variant_id = product["variants"][0]["id"]
    renamed = await reading_client.patch(
        f"{PRODUCTS}/{product['id']}", json={"title": "Lada Hitam"}, headers=shop.owner.headers
    )
    emptied = await reading_client.patch(
        f"{PRODUCTS}/{product['id']}/variants/{variant_id}",
        json={"stock": 0},
        headers=shop.owner.headers,
    )
    assert renamed.status_code == 200, renamed.text
    assert emptied.status_code == 200, emptied.text

    # Then the next reads show both at once
    listed = (await reading_client.get(PRODUCTS)).json()["items"][0]
    shown = (await reading_client.get(detail)).json()
    assert (listed["title"], listed["in_stock"]) == ("Lada Hitam", False)
    assert (shown["title"], shown["in_stock"], shown["variants"][0]["stock"]) == (
        "Lada Hitam",
        False,
        0,
    )
