"""The public list and detail read a fixed number of SQL statements, whatever their size:
no N+1 can hide behind a page of 50 or a product with many variants and photos."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import (
    CatalogSetup,
    counting_statements,
    create_published_product,
    image_bytes,
    set_up_catalog,
    upload_image,
    variant_body,
)

# The catalog version (the cache key) and the page itself.
STATEMENTS_FOR_A_LIST = 2
# Product, seller, variants, images, category.
MOST_STATEMENTS_FOR_A_DETAIL = 5


def without_transaction_control(statements: list[str]) -> list[str]:
    """Only the statements that read data (SQLite's BEGIN goes through the cursor too)."""
    return [s for s in statements if not s.upper().startswith(("BEGIN", "COMMIT", "ROLLBACK"))]


async def product_with(
    client: AsyncClient, shop: CatalogSetup, title: str, *, variants: int, images: int
) -> dict[str, Any]:
    product = await create_published_product(
        client,
        shop.owner,
        shop.seller_id,
        title=title,
        variants=[variant_body(f"Ukuran {n}", price=10_000 + n) for n in range(variants)],
    )
    for number in range(images):
        response = await upload_image(
            client, shop.owner, product["id"], image_bytes(color=(number * 20, 90, 90))
        )
        assert response.status_code == 201, response.text
    return product


async def test_list_reads_the_same_few_statements_for_5_and_50_items(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given 20 published products, each with 3 variants and 2 photos
    shop = await set_up_catalog(app, client)
    for number in range(20):
        await product_with(client, shop, f"Produk {number}", variants=3, images=2)

    # When a page of 5 and a page of 50 are read, each with an empty response cache
    await app.state.response_cache.clear()
    with counting_statements(app) as small_page:
        five = await client.get("/api/v1/products", params={"limit": 5})
    await app.state.response_cache.clear()
    with counting_statements(app) as large_page:
        fifty = await client.get("/api/v1/products", params={"limit": 50})

    # Then both pages are complete, with photos, and took the same small number of statements
    assert len(five.json()["items"]) == 5
    assert len(fifty.json()["items"]) == 20
    assert all(item["image"] is not None for item in fifty.json()["items"])
    assert len(small_page) == len(large_page)
    assert len(without_transaction_control(large_page)) == STATEMENTS_FOR_A_LIST


async def test_filtered_search_list_reads_the_same_statements_for_any_page_size(
    app: FastAPI, client: AsyncClient, is_postgres: bool
) -> None:
    # Given 12 honeys with variants and a photo each
    shop = await set_up_catalog(app, client)
    for number in range(12):
        await product_with(client, shop, f"Madu {number}", variants=2, images=1)

    # When a filtered search is read with limit 2 and with limit 50
    params = {"q": "madu", "category": "rempah", "seller": shop.seller["slug"], "min_price": 1}
    await app.state.response_cache.clear()
    with counting_statements(app) as small_page:
        two = await client.get("/api/v1/products", params={**params, "limit": 2})
    await app.state.response_cache.clear()
    with counting_statements(app) as large_page:
        fifty = await client.get("/api/v1/products", params={**params, "limit": 50})

    # Then the statement count does not depend on the page size: one more than the plain
    # list, to resolve the seller's slug (the category's subtree is part of the page's
    # statement), and on PostgreSQL one more again, the search with typo tolerance: full text
    # found 12, fewer than a page
    assert (len(two.json()["items"]), len(fifty.json()["items"])) == (2, 12)
    assert len(small_page) == len(large_page)
    typo_search = 1 if is_postgres else 0
    assert len(without_transaction_control(large_page)) == STATEMENTS_FOR_A_LIST + 1 + typo_search


async def test_cached_list_reads_only_the_catalog_version(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a product and a first read of the list
    shop = await set_up_catalog(app, client)
    await product_with(client, shop, "Madu Pelawan", variants=1, images=1)
    await client.get("/api/v1/products")

    # When the same list is read again
    with counting_statements(app) as statements:
        again = await client.get("/api/v1/products")

    # Then one statement (the catalog version) answers it
    assert again.status_code == 200
    assert len(without_transaction_control(statements)) == 1


async def test_detail_reads_the_same_statements_for_1_and_30_variants_and_10_images(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a plain product and one with 30 variants and 10 photos
    shop = await set_up_catalog(app, client)
    plain = await product_with(client, shop, "Produk Polos", variants=1, images=0)
    rich = await product_with(client, shop, "Produk Lengkap", variants=30, images=10)

    # When the public opens each
    with counting_statements(app) as plain_statements:
        plain_detail = await client.get(f"/api/v1/products/{plain['slug']}")
    with counting_statements(app) as rich_statements:
        rich_detail = await client.get(f"/api/v1/products/{rich['slug']}")

    # Then both took the same small number of statements
    assert len(plain_detail.json()["variants"]) == 1
    assert (len(rich_detail.json()["variants"]), len(rich_detail.json()["images"])) == (30, 10)
    assert len(plain_statements) == len(rich_statements)
    assert len(without_transaction_control(rich_statements)) <= MOST_STATEMENTS_FOR_A_DETAIL
