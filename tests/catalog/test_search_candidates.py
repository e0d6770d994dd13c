"""Which products a search ranks: full-text matches first, titles close to the query (typos,
PostgreSQL trigrams) only while full text finds fewer than a page, and any order the buyer
picks applies to every page of the matches."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from marketplace.catalog.search import MIN_FULL_TEXT_MATCHES
from tests.factories import (
    CatalogSetup,
    create_published_product,
    list_products,
    listed_slugs,
    set_up_catalog,
    variant_body,
)

# Full text does not find "kopi" in it (not a stem of "kopie"), trigrams do (similarity 0.8).
MISSPELT_TITLE = "Kopie Luwak"


async def publish_coffees(client: AsyncClient, shop: CatalogSetup, count: int) -> list[str]:
    slugs = []
    for number in range(1, count + 1):
        product = await create_published_product(
            client,
            shop.owner,
            shop.seller_id,
            title=f"Kopi Robusta {number}",
            description="Biji pilihan dari kebun Manggar",
        )
        slugs.append(product["slug"])
    return slugs


async def test_misspelt_title_is_found_while_full_text_finds_fewer_than_a_page(
    app: FastAPI, client: AsyncClient, is_postgres: bool
) -> None:
    if not is_postgres:
        pytest.skip("typo tolerance comes from pg_trgm; SQLite FTS5 has no fuzzy matching")
    # Given one coffee that full text finds and one whose title is misspelt
    shop = await set_up_catalog(app, client)
    coffees = await publish_coffees(client, shop, 1)
    await create_published_product(client, shop.owner, shop.seller_id, title=MISSPELT_TITLE)

    # When the public searches for "kopi"
    slugs = await listed_slugs(client, q="kopi")

    # Then both are found, the full-text match ranked first
    assert slugs == [*coffees, "kopie-luwak"]


async def test_misspelt_title_is_left_out_once_full_text_fills_a_page(
    app: FastAPI, client: AsyncClient, is_postgres: bool
) -> None:
    if not is_postgres:
        pytest.skip("SQLite matches substrings: 'kopi' is in 'kopie', no typo involved")
    # Given as many coffees as full text needs to skip typo matching, and a misspelt title
    shop = await set_up_catalog(app, client)
    coffees = await publish_coffees(client, shop, MIN_FULL_TEXT_MATCHES)
    await create_published_product(client, shop.owner, shop.seller_id, title=MISSPELT_TITLE)

    # When the public searches for "kopi", by relevance and by price
    by_relevance = await listed_slugs(client, q="kopi", limit=100)
    by_price = await listed_slugs(client, q="kopi", limit=100, sort="price_asc")

    # Then only the full-text matches come back, whatever the order
    assert sorted(by_relevance) == sorted(coffees)
    assert sorted(by_price) == sorted(coffees)


async def test_search_sorted_by_price_orders_every_page_by_price(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given three equally relevant honeys, published from the dearest to the cheapest
    shop = await set_up_catalog(app, client)
    for letter, price in (("A", 90_000), ("B", 60_000), ("C", 30_000)):
        await create_published_product(
            client,
            shop.owner,
            shop.seller_id,
            title=f"Madu Hutan {letter}",
            variants=[variant_body(price=price)],
        )

    # When the search for "madu" is read cheapest first, two per page
    first = await list_products(client, q="madu", sort="price_asc", limit=2)
    second = await list_products(
        client, q="madu", sort="price_asc", limit=2, cursor=first["next_cursor"]
    )

    # Then the pages run by price, not by relevance or publication
    assert [item["price"] for item in first["items"]] == [30_000, 60_000]
    assert [item["price"] for item in second["items"]] == [90_000]
    assert second["next_cursor"] is None


async def test_title_match_leads_pages_walked_once_full_text_fills_a_page(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a coffee named so in its title, then a page of sugars that mention coffee only in
    # their descriptions (enough full-text matches that title similarity is not scored)
    shop = await set_up_catalog(app, client)
    coffee = await create_published_product(
        client, shop.owner, shop.seller_id, title="Kopi Robusta Manggar", description="Biji"
    )
    for number in range(1, MIN_FULL_TEXT_MATCHES + 1):
        await create_published_product(
            client,
            shop.owner,
            shop.seller_id,
            title=f"Gula Aren {number}",
            description="Manis untuk kopi",
        )

    # When the public walks the search for "kopi" by relevance, five per page
    walked: list[str] = []
    cursor = None
    while True:
        after = {"cursor": cursor} if cursor else {}
        page = await list_products(client, q="kopi", limit=5, **after)
        walked.extend(item["slug"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break

    # Then the title match comes first, ahead of the newer description-only matches, and
    # every match comes once, in the order of one big page
    assert walked[0] == coffee["slug"]
    assert len(walked) == len(set(walked)) == MIN_FULL_TEXT_MATCHES + 1
    assert walked == await listed_slugs(client, q="kopi", limit=100)
