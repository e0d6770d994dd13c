"""A list filtered by region, category (with its subcategories) and price range, walked a
page at a time: every match once, in the chosen order, and nothing the filters exclude."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import (
    create_account,
    create_category,
    create_published_product,
    create_verified_seller,
    list_products,
    set_up_catalog,
    variant_body,
)

FILTERS = {"region": "19.05", "category": "rempah", "min_price": 20_000, "max_price": 80_000}


async def walk_pages(client: AsyncClient, **params: Any) -> list[str]:
    """Every page of two, following the cursors: the titles in order."""
    titles: list[str] = []
    cursor = None
    while True:
        after = {"cursor": cursor} if cursor else {}
        page = await list_products(client, limit=2, **params, **after)
        titles.extend(item["title"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return titles


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        pytest.param(
            "newest", ["Lada 80", "Kayu Manis 50", "Lada 40", "Lada 20", "Lada 60"], id="newest"
        ),
        pytest.param(
            "price_asc",
            ["Lada 20", "Lada 40", "Kayu Manis 50", "Lada 60", "Lada 80"],
            id="price_asc",
        ),
    ],
)
async def test_filtered_list_walks_every_match_once_in_order(
    app: FastAPI, client: AsyncClient, sort: str, expected: list[str]
) -> None:
    # Given, in Bangka Barat (19.05): spices under rempah and its subcategory lada at several
    # prices, a honey outside the category, a pepper above the price range; and a pepper
    # of a seller in Belitung (19.02)
    shop = await set_up_catalog(app, client, region_code="19.05", category="rempah")
    await create_category(client, shop.admin, slug="lada", name="Lada", parent="rempah")
    await create_category(client, shop.admin, slug="madu", name="Madu")
    belitung_owner = await create_account(client)
    belitung = await create_verified_seller(
        client, belitung_owner, shop.admin, name="Satam Belitung", region_code="19.02"
    )
    for owner, seller_id, title, category, price in [
        (shop.owner, shop.seller_id, "Lada 60", "lada", 60_000),
        (shop.owner, shop.seller_id, "Lada 20", "lada", 20_000),
        (shop.owner, shop.seller_id, "Madu 30", "madu", 30_000),
        (belitung_owner, belitung["id"], "Lada Belitung 30", "lada", 30_000),
        (shop.owner, shop.seller_id, "Lada 40", "lada", 40_000),
        (shop.owner, shop.seller_id, "Lada 200", "lada", 200_000),
        (shop.owner, shop.seller_id, "Kayu Manis 50", "rempah", 50_000),
        (shop.owner, shop.seller_id, "Lada 80", "lada", 80_000),
    ]:
        await create_published_product(
            client, owner, seller_id, title=title, category=category,
            variants=[variant_body(price=price)],
        )  # fmt: skip

    # When the filtered list is walked two at a time
    titles = await walk_pages(client, sort=sort, **FILTERS)

    # Then each match comes once, in order, and nothing else
    assert titles == expected
