"""GET /products: what the public list shows, its filters, sorts and HTTP caching."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import (
    create_account,
    create_category,
    create_product,
    create_published_product,
    create_verified_seller,
    list_products,
    listed_slugs,
    set_up_catalog,
    variant_body,
)


async def test_list_summary_has_exactly_the_contract_fields(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a published product in two sizes
    shop = await set_up_catalog(app, client, region_code="19.05")
    product = await create_published_product(
        client,
        shop.owner,
        shop.seller_id,
        variants=[variant_body("250 g", price=55_000), variant_body("100 g", price=25_000)],
    )

    # When the public lists products
    response = await client.get("/api/v1/products")

    # Then the one summary carries exactly the contract's fields and values
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "next_cursor"}
    assert body["next_cursor"] is None
    assert body["items"] == [
        {
            "id": product["id"],
            "slug": "lada-putih-muntok",
            "title": "Lada Putih Muntok",
            "price": 25_000,
            "currency": "IDR",
            "in_stock": True,
            "image": None,
            "category": "rempah",
            "region_code": "19.05",
            "seller": {
                "id": shop.seller_id,
                "slug": shop.seller["slug"],
                "name": "KIM Lada Muntok",
            },
            "rating": {"average": None, "count": 0},
        }
    ]


async def test_product_whose_variants_all_have_no_stock_is_not_in_stock(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given one product sold out in every size and one with a single unit left
    shop = await set_up_catalog(app, client)
    await create_published_product(
        client,
        shop.owner,
        shop.seller_id,
        title="Habis Terjual",
        variants=[variant_body("A", stock=0), variant_body("B", stock=0)],
    )
    await create_published_product(
        client,
        shop.owner,
        shop.seller_id,
        title="Sisa Satu",
        variants=[variant_body("A", stock=0), variant_body("B", stock=1)],
    )

    # When the list is read
    items = (await client.get("/api/v1/products")).json()["items"]

    # Then only the sold-out one says in_stock false
    assert {item["slug"]: item["in_stock"] for item in items} == {
        "habis-terjual": False,
        "sisa-satu": True,
    }


async def test_only_published_products_of_verified_sellers_are_listed(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a draft, an archived and a published product
    shop = await set_up_catalog(app, client)
    await create_product(client, shop.owner, shop.seller_id, title="Masih Draf")
    archived = await create_published_product(client, shop.owner, shop.seller_id, title="Diarsip")
    await client.post(f"/api/v1/products/{archived['id']}/archive", headers=shop.owner.headers)
    await create_published_product(client, shop.owner, shop.seller_id, title="Terbit")

    # When anyone lists products (even the owner)
    public = await listed_slugs(client)
    as_owner = await client.get("/api/v1/products", headers=shop.owner.headers)

    # Then only the published one is there
    assert public == ["terbit"]
    assert [item["slug"] for item in as_owner.json()["items"]] == ["terbit"]


async def test_category_filter_includes_subcategories(app: FastAPI, client: AsyncClient) -> None:
    # Given rempah > lada > lada-putih, and a separate madu category
    shop = await set_up_catalog(app, client, category="rempah")
    await create_category(client, shop.admin, slug="lada", name="Lada", parent="rempah")
    await create_category(client, shop.admin, slug="lada-putih", name="Lada Putih", parent="lada")
    await create_category(client, shop.admin, slug="madu", name="Madu")
    for title, category in [
        ("Kayu Manis", "rempah"),
        ("Lada Hitam", "lada"),
        ("Lada Putih", "lada-putih"),
        ("Madu Pelawan", "madu"),
    ]:
        await create_published_product(
            client, shop.owner, shop.seller_id, title=title, category=category
        )

    # When the list is filtered by each category
    by_category = {
        slug: sorted(await listed_slugs(client, category=slug))
        for slug in ("rempah", "lada", "lada-putih", "madu")
    }

    # Then a category shows its own products and those of every category below it
    assert by_category == {
        "rempah": ["kayu-manis", "lada-hitam", "lada-putih"],
        "lada": ["lada-hitam", "lada-putih"],
        "lada-putih": ["lada-putih"],
        "madu": ["madu-pelawan"],
    }


async def test_unknown_category_filter_is_422(app: FastAPI, client: AsyncClient) -> None:
    # Given a catalog
    await set_up_catalog(app, client)

    # When the list is filtered by a category that does not exist
    response = await client.get("/api/v1/products", params={"category": "tidak-ada"})

    # Then it is a 422 naming the query parameter
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["errors"]] == [["query", "category"]]


async def test_a_category_without_products_is_an_empty_page_not_a_422(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a category with products and one without (the page tells the two apart itself)
    shop = await set_up_catalog(app, client, category="rempah")
    await create_category(client, shop.admin, slug="madu", name="Madu")
    await create_published_product(client, shop.owner, shop.seller_id, title="Lada Putih")

    # When each is listed, also as a later page sorted by price
    empty = await client.get("/api/v1/products", params={"category": "madu"})
    empty_later = await client.get(
        "/api/v1/products", params={"category": "madu", "sort": "price_asc", "limit": 1}
    )

    # Then the empty one is a page with no items, nothing null leaking into it
    assert empty.status_code == 200, empty.text
    assert empty.json() == {"items": [], "next_cursor": None}
    assert empty_later.json() == {"items": [], "next_cursor": None}
    assert await listed_slugs(client, category="rempah") == ["lada-putih"]


async def test_category_pages_keep_their_order_across_cursors(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given five products of one category at different prices, and one of another category
    shop = await set_up_catalog(app, client, category="rempah")
    await create_category(client, shop.admin, slug="madu", name="Madu")
    for title, price in [("Lada A", 30_000), ("Lada B", 10_000), ("Lada C", 50_000)]:
        await create_published_product(
            client, shop.owner, shop.seller_id, title=title, variants=[variant_body(price=price)]
        )
    await create_published_product(
        client, shop.owner, shop.seller_id, title="Madu", category="madu",
        variants=[variant_body(price=20_000)],
    )  # fmt: skip

    # When the category is paged two at a time, cheapest first and dearest first
    pages = {
        sort: await all_pages(client, category="rempah", sort=sort, limit=2)
        for sort in ("price_asc", "price_desc")
    }

    # Then each order holds across the pages and shows only that category
    assert pages == {
        "price_asc": ["lada-b", "lada-a", "lada-c"],
        "price_desc": ["lada-c", "lada-a", "lada-b"],
    }


async def all_pages(client: AsyncClient, **params: object) -> list[str]:
    slugs: list[str] = []
    cursor = None
    while True:
        page = await list_products(client, **params, **({"cursor": cursor} if cursor else {}))
        slugs.extend(item["slug"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return slugs


async def test_region_filter_shows_products_of_sellers_in_that_region(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a seller in Bangka Barat (19.05) and one in Belitung (19.02)
    shop = await set_up_catalog(app, client, region_code="19.05")
    belitung_owner = await create_account(client)
    belitung = await create_verified_seller(
        client, belitung_owner, shop.admin, name="Satam Belitung", region_code="19.02"
    )
    await create_published_product(client, shop.owner, shop.seller_id, title="Lada Muntok")
    await create_published_product(client, belitung_owner, belitung["id"], title="Kerupuk Ikan")

    # When the list is filtered by region
    # Then each region shows its own seller's products, and an empty region none
    assert await listed_slugs(client, region="19.05") == ["lada-muntok"]
    assert await listed_slugs(client, region="19.02") == ["kerupuk-ikan"]
    assert await listed_slugs(client, region="19.71") == []


async def test_seller_filter_accepts_id_and_slug(app: FastAPI, client: AsyncClient) -> None:
    # Given two sellers with a product each
    shop = await set_up_catalog(app, client)
    other_owner = await create_account(client)
    other = await create_verified_seller(client, other_owner, shop.admin, name="Madu Pelawan")
    await create_published_product(client, shop.owner, shop.seller_id, title="Lada Putih")
    await create_published_product(client, other_owner, other["id"], title="Madu Hutan")

    # When the list is filtered by seller id, then by seller slug
    by_id = await listed_slugs(client, seller=other["id"])
    by_slug = await listed_slugs(client, seller="madu-pelawan")
    unknown = await listed_slugs(client, seller="tidak-ada")

    # Then both name the same seller; an unknown seller has nothing
    assert by_id == ["madu-hutan"]
    assert by_slug == ["madu-hutan"]
    assert unknown == []


async def test_price_range_filters_on_the_lowest_variant_price(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given products priced 10.000, 25.000 (with a 90.000 size) and 50.000
    shop = await set_up_catalog(app, client)
    for title, prices in [("Murah", [10_000]), ("Sedang", [90_000, 25_000]), ("Mahal", [50_000])]:
        await create_published_product(
            client,
            shop.owner,
            shop.seller_id,
            title=title,
            variants=[variant_body(f"Ukuran {price}", price=price) for price in prices],
        )

    # When the list is filtered by price ranges (bounds included)
    # Then a product is in range when its lowest price is
    assert sorted(await listed_slugs(client, min_price=25_000)) == ["mahal", "sedang"]
    assert sorted(await listed_slugs(client, max_price=25_000)) == ["murah", "sedang"]
    assert await listed_slugs(client, min_price=20_000, max_price=30_000) == ["sedang"]
    assert await listed_slugs(client, min_price=60_000, max_price=95_000) == []


async def test_inverted_price_range_is_422(app: FastAPI, client: AsyncClient) -> None:
    # Given a catalog
    await set_up_catalog(app, client)

    # When min_price is above max_price
    response = await client.get("/api/v1/products", params={"min_price": 5000, "max_price": 10})

    # Then it is a 422 naming min_price
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["errors"]] == [["query", "min_price"]]


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"limit": 0}, id="limit-0"),
        pytest.param({"limit": 101}, id="limit-101"),
        pytest.param({"min_price": -1}, id="negative-min-price"),
        pytest.param({"sort": "cheapest"}, id="unknown-sort"),
        pytest.param({"q": "m" * 101}, id="q-101-chars"),
    ],
)
async def test_invalid_list_parameters_are_422(
    app: FastAPI, client: AsyncClient, params: dict[str, int | str]
) -> None:
    # Given a catalog
    await set_up_catalog(app, client)

    # When the list is asked for with an out-of-range parameter
    response = await client.get("/api/v1/products", params=params)

    # Then it is a 422 problem
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


async def test_limit_1_and_100_are_accepted(app: FastAPI, client: AsyncClient) -> None:
    # Given two published products
    shop = await set_up_catalog(app, client)
    await create_published_product(client, shop.owner, shop.seller_id, title="Satu")
    await create_published_product(client, shop.owner, shop.seller_id, title="Dua")

    # When the list is read with limit 1 and limit 100
    one = (await client.get("/api/v1/products", params={"limit": 1})).json()
    hundred = (await client.get("/api/v1/products", params={"limit": 100})).json()

    # Then the first page has one item and a cursor; the second has both and none
    assert (len(one["items"]), one["next_cursor"] is not None) == (1, True)
    assert (len(hundred["items"]), hundred["next_cursor"]) == (2, None)


async def test_sorts_order_by_publication_and_price(app: FastAPI, client: AsyncClient) -> None:
    # Given three products published in the order B (30.000), A (10.000), C (20.000)
    shop = await set_up_catalog(app, client)
    for title, price in [("Produk B", 30_000), ("Produk A", 10_000), ("Produk C", 20_000)]:
        await create_published_product(
            client, shop.owner, shop.seller_id, title=title, variants=[variant_body(price=price)]
        )

    # When the list is sorted each way
    # Then newest is the default, and prices sort both ways
    assert await listed_slugs(client) == ["produk-c", "produk-a", "produk-b"]
    assert await listed_slugs(client, sort="newest") == ["produk-c", "produk-a", "produk-b"]
    assert await listed_slugs(client, sort="price_asc") == ["produk-a", "produk-c", "produk-b"]
    assert await listed_slugs(client, sort="price_desc") == ["produk-b", "produk-c", "produk-a"]


async def test_list_sends_etag_and_answers_304_to_a_matching_if_none_match(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a published product and a first read of the list
    shop = await set_up_catalog(app, client)
    await create_published_product(client, shop.owner, shop.seller_id)
    first = await client.get("/api/v1/products")
    etag = first.headers["etag"]

    # When the list is read again with that ETag
    again = await client.get("/api/v1/products", headers={"If-None-Match": etag})
    other_tag = await client.get("/api/v1/products", headers={"If-None-Match": '"something"'})

    # Then it is 304 with no body and the same ETag; a different tag gets the full page
    assert etag.startswith('"')
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert other_tag.status_code == 200
    assert other_tag.json() == first.json()


async def test_price_change_changes_the_etag_and_the_cached_body(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a listed product at Rp 25.000, read once (so the page is cached)
    shop = await set_up_catalog(app, client)
    product = await create_published_product(client, shop.owner, shop.seller_id)
    before = await client.get("/api/v1/products")
    assert before.json()["items"][0]["price"] == 25_000

    # When its variant's price changes to Rp 30.000
    await client.patch(
        f"/api/v1/products/{product['id']}/variants/{product['variants'][0]['id']}",
        json={"price": 30_000},
        headers=shop.owner.headers,
    )
    after = await client.get("/api/v1/products", headers={"If-None-Match": before.headers["etag"]})

    # Then the old ETag no longer matches: a new ETag and the new price
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    assert after.json()["items"][0]["price"] == 30_000


async def test_etag_differs_between_different_queries(app: FastAPI, client: AsyncClient) -> None:
    # Given a published product
    shop = await set_up_catalog(app, client)
    await create_published_product(client, shop.owner, shop.seller_id)

    # When two different lists are read
    newest = await client.get("/api/v1/products", params={"sort": "newest"})
    cheapest = await client.get("/api/v1/products", params={"sort": "price_asc"})
    default = await client.get("/api/v1/products")

    # Then their ETags differ, except where the query means the same thing
    assert newest.headers["etag"] != cheapest.headers["etag"]
    assert default.headers["etag"] == newest.headers["etag"]


async def test_if_none_match_with_a_weak_tag_or_a_list_of_tags_answers_304(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a first read of the list
    shop = await set_up_catalog(app, client)
    await create_published_product(client, shop.owner, shop.seller_id)
    etag = (await client.get("/api/v1/products")).headers["etag"]

    # When the tag comes back weakened (as a compressing proxy sends it) or in a list
    weak = await client.get("/api/v1/products", headers={"If-None-Match": f"W/{etag}"})
    listed = await client.get("/api/v1/products", headers={"If-None-Match": f'"lama", {etag}'})
    star = await client.get("/api/v1/products", headers={"If-None-Match": "*"})

    # Then each is a 304
    assert (weak.status_code, listed.status_code, star.status_code) == (304, 304, 304)


async def test_every_bad_list_parameter_is_named_in_one_problem(client: AsyncClient) -> None:
    # When the list is asked with several bad values at once (the last of a repeated one counts)
    response = await client.get(
        "/api/v1/products",
        params=[
            ("q", "x" * 101),
            ("min_price", "-1"),
            ("max_price", "1.5"),
            ("sort", "newest"),
            ("sort", "cheapest"),
            ("limit", "5"),
            ("limit", "0"),
            ("cursor", "c" * 501),
            ("region", "r" * 14),
            ("unknown", "ignored"),
        ],
    )

    # Then one validation problem names each of them, in the order the list declares them
    assert response.status_code == 422
    body = response.json()
    assert body["type"] == "/problems/validation-error"
    assert [(error["loc"], error["type"]) for error in body["errors"]] == [
        (["query", "q"], "string_too_long"),
        (["query", "region"], "string_too_long"),
        (["query", "min_price"], "greater_than_equal"),
        (["query", "max_price"], "int_parsing"),
        (["query", "sort"], "enum"),
        (["query", "limit"], "greater_than_equal"),
        (["query", "cursor"], "string_too_long"),
    ]
