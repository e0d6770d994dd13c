"""Searching the catalog with q: PostgreSQL full text (Indonesian stems, typo tolerance) and
SQLite FTS5 trigrams behind one query parameter."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import create_published_product, listed_slugs, set_up_catalog

LONG_DESCRIPTION = (
    "Dipanen dari hutan pelawan di Namang, Bangka Tengah. Rasanya pahit manis, warnanya "
    "gelap, dan dikemas dalam botol kaca berisi 250 ml. Cocok untuk teh hangat di pagi hari."
)


async def test_q_madu_finds_the_honey_and_not_the_pepper(app: FastAPI, client: AsyncClient) -> None:
    # Given a honey and a pepper
    shop = await set_up_catalog(app, client)
    await create_published_product(
        client, shop.owner, shop.seller_id, title="Madu Pelawan", description=LONG_DESCRIPTION
    )
    await create_published_product(
        client, shop.owner, shop.seller_id, title="Lada Putih", description="Lada asli Muntok"
    )

    # When the public searches for "madu"
    slugs = await listed_slugs(client, q="madu")

    # Then only the honey is found
    assert slugs == ["madu-pelawan"]


async def test_search_is_case_insensitive(app: FastAPI, client: AsyncClient) -> None:
    # Given a honey
    shop = await set_up_catalog(app, client)
    await create_published_product(client, shop.owner, shop.seller_id, title="Madu Pelawan")

    # When the query is in capitals
    # Then it is still found
    assert await listed_slugs(client, q="MADU PELAWAN") == ["madu-pelawan"]


async def test_jual_finds_a_description_saying_menjual(app: FastAPI, client: AsyncClient) -> None:
    # Given a product whose description says "menjual" (sells), not "jual"
    shop = await set_up_catalog(app, client)
    await create_published_product(
        client,
        shop.owner,
        shop.seller_id,
        title="Kerupuk Ikan Tenggiri",
        description="Kami menjual kerupuk ikan tenggiri asli Belitung",
    )
    await create_published_product(
        client, shop.owner, shop.seller_id, title="Madu Pelawan", description="Madu hutan"
    )

    # When the public searches for "jual"
    slugs = await listed_slugs(client, q="jual")

    # Then the product is found: a stem on PostgreSQL, a substring on SQLite
    assert slugs == ["kerupuk-ikan-tenggiri"]


async def test_search_sees_a_title_change_at_once(app: FastAPI, client: AsyncClient) -> None:
    # Given a product found by its old title, searched once (so the page is cached)
    shop = await set_up_catalog(app, client)
    product = await create_published_product(
        client, shop.owner, shop.seller_id, title="Kopi Manggar", description="Robusta"
    )
    assert await listed_slugs(client, q="kopi") == ["kopi-manggar"]

    # When its title changes
    await client.patch(
        f"/api/v1/products/{product['id']}",
        json={"title": "Teh Daun Gelam"},
        headers=shop.owner.headers,
    )

    # Then the old word no longer finds it and the new one does
    assert await listed_slugs(client, q="kopi") == []
    assert await listed_slugs(client, q="gelam") == ["kopi-manggar"]


async def test_search_combines_with_filters(app: FastAPI, client: AsyncClient) -> None:
    # Given two honeys at different prices
    shop = await set_up_catalog(app, client)
    await create_published_product(client, shop.owner, shop.seller_id, title="Madu Murah")
    expensive = await create_published_product(
        client, shop.owner, shop.seller_id, title="Madu Mahal"
    )
    await client.patch(
        f"/api/v1/products/{expensive['id']}/variants/{expensive['variants'][0]['id']}",
        json={"price": 200_000},
        headers=shop.owner.headers,
    )

    # When searching for honey under Rp 100.000 in the seller's region
    slugs = await listed_slugs(client, q="madu", max_price=100_000, region="19.05")

    # Then only the cheap one is found
    assert slugs == ["madu-murah"]


async def test_typo_lada_puith_finds_lada_putih_on_postgresql(
    app: FastAPI, client: AsyncClient, is_postgres: bool
) -> None:
    if not is_postgres:
        pytest.skip("typo tolerance comes from pg_trgm; SQLite FTS5 has no fuzzy matching")
    # Given "Lada Putih Muntok"
    shop = await set_up_catalog(app, client)
    await create_published_product(client, shop.owner, shop.seller_id, title="Lada Putih Muntok")
    await create_published_product(client, shop.owner, shop.seller_id, title="Madu Pelawan")

    # When someone types "lada puith"
    slugs = await listed_slugs(client, q="lada puith")

    # Then the pepper is found anyway
    assert slugs == ["lada-putih-muntok"]


async def test_title_match_ranks_above_a_description_only_match(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a syrup that mentions honey in a short description, published last, and a honey
    # whose title says "Madu" and whose description is long and never says it again
    shop = await set_up_catalog(app, client)
    await create_published_product(
        client, shop.owner, shop.seller_id, title="Madu Pelawan Asli", description=LONG_DESCRIPTION
    )
    await create_published_product(
        client,
        shop.owner,
        shop.seller_id,
        title="Sirup Jeruk Kunci",
        description="Dengan madu",
    )

    # When the public searches for "madu" (relevance is the default order with q)
    default_order = await listed_slugs(client, q="madu")
    by_relevance = await listed_slugs(client, q="madu", sort="relevance")

    # Then the title match comes first
    assert default_order == ["madu-pelawan-asli", "sirup-jeruk-kunci"]
    assert by_relevance == default_order


async def test_search_sorted_by_price_keeps_only_matches(app: FastAPI, client: AsyncClient) -> None:
    # Given two honeys and a pepper
    shop = await set_up_catalog(app, client)
    for title in ("Madu Hutan", "Madu Kelulut", "Lada Putih"):
        await create_published_product(client, shop.owner, shop.seller_id, title=title)

    # When searching for honey sorted by price
    slugs = await listed_slugs(client, q="madu", sort="price_asc")

    # Then only the honeys come back
    assert sorted(slugs) == ["madu-hutan", "madu-kelulut"]


@pytest.mark.parametrize(
    "query",
    [
        pytest.param('"', id="double-quote"),
        pytest.param('"madu', id="unbalanced-quote"),
        pytest.param("*", id="star"),
        pytest.param("madu*", id="prefix-star"),
        pytest.param("OR", id="or"),
        pytest.param("madu OR lada", id="or-between-words"),
        pytest.param("NEAR(", id="near"),
        pytest.param("NEAR(madu lada, 2)", id="near-call"),
        pytest.param("'; drop table products; --", id="sql"),
        pytest.param("madu -lada", id="minus"),
        pytest.param("title:madu", id="column-filter"),
        pytest.param("^madu", id="caret"),
        pytest.param("(", id="open-paren"),
        pytest.param("\\", id="backslash"),
        pytest.param("%_%", id="like-wildcards"),
        pytest.param("🍯🌶️", id="emoji"),
        pytest.param("madu 🍯", id="word-and-emoji"),
        pytest.param("m" * 100, id="100-chars"),
        pytest.param("madu " * 20, id="20-words"),
        pytest.param("ab", id="two-letters"),
        pytest.param("madu\x00lada", id="nul"),
        pytest.param("\x00", id="only-nul"),
    ],
)
async def test_hostile_search_text_never_errors(
    app: FastAPI, client: AsyncClient, query: str
) -> None:
    # Given a honey in the catalog
    shop = await set_up_catalog(app, client)
    await create_published_product(client, shop.owner, shop.seller_id, title="Madu Pelawan")

    # When the search text is full of query syntax, quotes or odd characters
    response = await client.get("/api/v1/products", params={"q": query})

    # Then the answer is an ordinary page, and products still exist afterwards
    assert response.status_code == 200, response.text
    assert isinstance(response.json()["items"], list)
    assert await listed_slugs(client) == ["madu-pelawan"]


async def test_blank_q_lists_everything_newest_first(app: FastAPI, client: AsyncClient) -> None:
    # Given two products
    shop = await set_up_catalog(app, client)
    await create_published_product(client, shop.owner, shop.seller_id, title="Madu Pelawan")
    await create_published_product(client, shop.owner, shop.seller_id, title="Lada Putih")

    # When q is only spaces (and with sort=relevance)
    blank = await listed_slugs(client, q="   ")
    blank_relevance = await listed_slugs(client, q="   ", sort="relevance")

    # Then it is no search at all: newest first
    assert blank == ["lada-putih", "madu-pelawan"]
    assert blank_relevance == blank


@pytest.mark.parametrize("name", ["seller", "region"])
async def test_nul_character_in_a_filter_finds_nothing_instead_of_failing(
    app: FastAPI, client: AsyncClient, name: str
) -> None:
    # Given a product
    shop = await set_up_catalog(app, client)
    await create_published_product(client, shop.owner, shop.seller_id)

    # When a filter holds a NUL character (PostgreSQL refuses such text)
    response = await client.get("/api/v1/products", params={name: "19.05\x00"})

    # Then it is an empty page, not a server error
    assert response.status_code == 200, response.text
    assert response.json()["items"] == []


async def test_nul_character_in_a_product_slug_is_404(app: FastAPI, client: AsyncClient) -> None:
    # Given a product
    shop = await set_up_catalog(app, client)
    await create_published_product(client, shop.owner, shop.seller_id)

    # When its page is asked for with a NUL in the slug
    response = await client.get("/api/v1/products/lada-putih%00")

    # Then it is not found
    assert response.status_code == 404
