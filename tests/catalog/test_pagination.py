"""Keyset pages of GET /products: complete, stable under inserts, tamper-proof cursors."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import (
    CatalogSetup,
    create_published_product,
    list_products,
    set_up_catalog,
    variant_body,
)

# Prices with ties, so the id tie-breaker is exercised.
PRICES = [30_000, 10_000, 20_000, 10_000, 50_000, 20_000, 10_000]


async def publish_priced(client: AsyncClient, shop: CatalogSetup) -> dict[str, int]:
    """Seven products named "Madu Produk N" (all found by q=madu): slug -> price."""
    prices = {}
    for number, price in enumerate(PRICES, start=1):
        product = await create_published_product(
            client,
            shop.owner,
            shop.seller_id,
            title=f"Madu Produk {number}",
            description="madu " * number,
            variants=[variant_body(price=price)],
        )
        prices[product["slug"]] = price
    return prices


async def walk(
    client: AsyncClient, *, cursor: str | None = None, **params: Any
) -> tuple[list[str], int]:
    """Every page with limit 2 from ``cursor`` on: the slugs in order and how many pages."""
    slugs: list[str] = []
    pages = 0
    while True:
        if cursor is not None:
            params["cursor"] = cursor
        page = await list_products(client, limit=2, **params)
        pages += 1
        assert len(page["items"]) <= 2
        slugs.extend(item["slug"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return slugs, pages


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"sort": "newest"}, id="newest"),
        pytest.param({"sort": "price_asc"}, id="price_asc"),
        pytest.param({"sort": "price_desc"}, id="price_desc"),
        pytest.param({"q": "madu", "sort": "relevance"}, id="relevance"),
    ],
)
async def test_walking_every_page_of_two_returns_each_product_once_in_order(
    app: FastAPI, client: AsyncClient, params: dict[str, str]
) -> None:
    # Given seven published products, some at equal prices
    shop = await set_up_catalog(app, client)
    prices = await publish_priced(client, shop)

    # When every page of two is fetched in turn
    slugs, pages = await walk(client, **params)
    in_one_page = [
        item["slug"] for item in (await list_products(client, limit=100, **params))["items"]
    ]

    # Then each product comes exactly once, in the same order as one big page, in four pages
    assert sorted(slugs) == sorted(prices)
    assert len(slugs) == len(set(slugs)) == 7
    assert slugs == in_one_page
    assert pages == 4
    if params["sort"] == "price_asc":
        assert [prices[slug] for slug in slugs] == sorted(PRICES)
    if params["sort"] == "price_desc":
        assert [prices[slug] for slug in slugs] == sorted(PRICES, reverse=True)
    if params["sort"] == "newest":
        assert slugs == [f"madu-produk-{n}" for n in range(7, 0, -1)]


@pytest.mark.parametrize("sort", ["newest", "price_asc", "price_desc"])
async def test_product_published_between_page_fetches_does_not_shift_the_pages(
    app: FastAPI, client: AsyncClient, sort: str
) -> None:
    # Given seven products and the first page of two
    shop = await set_up_catalog(app, client)
    prices = await publish_priced(client, shop)
    first = await list_products(client, limit=2, sort=sort)
    seen = [item["slug"] for item in first["items"]]

    # When a new product (priced among the others) is published before the next fetch
    await create_published_product(
        client, shop.owner, shop.seller_id, title="Madu Baru", variants=[variant_body(price=20_000)]
    )
    rest, _ = await walk(client, sort=sort, cursor=first["next_cursor"])

    # Then no product is repeated or skipped; the new one shows up once when it sorts after
    # the first page (by price), and not at all when it sorts before it (newest first)
    together = seen + rest
    new_ones = [] if sort == "newest" else ["madu-baru"]
    assert sorted(together) == sorted([*prices, *new_ones])


async def test_garbage_cursor_is_422(app: FastAPI, client: AsyncClient) -> None:
    # Given a catalog
    await set_up_catalog(app, client)

    # When the cursor is not one we issued
    responses = [
        await client.get("/api/v1/products", params={"cursor": cursor})
        for cursor in ("bukan-kursor", "AAAA", "!!!", "eyJpZCI6MX0")
    ]

    # Then each is a 422 naming the cursor
    assert [r.status_code for r in responses] == [422] * 4
    assert all(r.json()["errors"][0]["loc"] == ["query", "cursor"] for r in responses)


async def test_tampered_cursor_is_422(app: FastAPI, client: AsyncClient) -> None:
    # Given a real cursor
    shop = await set_up_catalog(app, client)
    await publish_priced(client, shop)
    cursor = (await list_products(client, limit=2))["next_cursor"]

    # When one of its characters is changed
    position = len(cursor) // 2
    replacement = "A" if cursor[position] != "A" else "B"
    tampered = cursor[:position] + replacement + cursor[position + 1 :]
    response = await client.get("/api/v1/products", params={"cursor": tampered, "limit": 2})

    # Then it is refused
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "cursor"]


async def test_cursor_of_one_sort_used_with_another_is_422(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a cursor issued for sort=price_asc
    shop = await set_up_catalog(app, client)
    await publish_priced(client, shop)
    cursor = (await list_products(client, limit=2, sort="price_asc"))["next_cursor"]

    # When it is used with sort=newest (and with price_desc)
    newest = await client.get("/api/v1/products", params={"cursor": cursor, "sort": "newest"})
    desc = await client.get("/api/v1/products", params={"cursor": cursor, "sort": "price_desc"})
    same = await client.get("/api/v1/products", params={"cursor": cursor, "sort": "price_asc"})

    # Then both other sorts refuse it, and the sort it came from accepts it
    assert newest.status_code == 422
    assert desc.status_code == 422
    assert same.status_code == 200


async def test_cursor_longer_than_500_characters_is_422(app: FastAPI, client: AsyncClient) -> None:
    # Given a catalog
    await set_up_catalog(app, client)

    # When the cursor is absurdly long
    response = await client.get("/api/v1/products", params={"cursor": "A" * 501})

    # Then it is refused without being decoded
    assert response.status_code == 422
