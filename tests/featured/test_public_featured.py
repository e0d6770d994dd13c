"""GET /api/v1/featured: what shows, in what order, filtered how."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import change_seller_status, create_category, set_up_catalog, upload_image
from tests.featured.world import (
    feature,
    featured_items,
    featured_product,
    featured_titles,
    listed_product,
    moment,
    patch_entry,
)


async def test_only_entries_whose_window_holds_now_show(app: FastAPI, client: AsyncClient) -> None:
    # Given four entries: open, inside a window, not started yet, ended already
    shop = await set_up_catalog(app, client)
    await featured_product(client, shop, "Lada Terbuka")
    await featured_product(
        client, shop, "Madu Berjangka", starts_at=moment(hours=-1), ends_at=moment(hours=1)
    )
    await featured_product(client, shop, "Kopi Nanti", starts_at=moment(days=1))
    await featured_product(
        client, shop, "Getas Lama", starts_at=moment(days=-10), ends_at=moment(days=-1)
    )

    # When anyone asks for the featured list
    titles = await featured_titles(client)

    # Then only the two that show now are there
    assert titles == ["Lada Terbuka", "Madu Berjangka"]


async def test_only_published_products_of_verified_sellers_show(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    suspended = await set_up_catalog(app, client, admin=shop.admin, seller_name="UMKM Terasi")
    await featured_product(client, shop, "Lada Terbit")
    draft = await listed_product(client, shop, "Lada Draf", published=False)
    await feature(client, shop.admin, draft["id"])
    archived, _ = await featured_product(client, shop, "Lada Arsip")
    await client.post(f"/api/v1/products/{archived['id']}/archive", headers=shop.owner.headers)
    await featured_product(client, suspended, "Terasi Toboali")
    await change_seller_status(client, shop.admin, suspended.seller_id, "suspend", reason="Uji")

    assert await featured_titles(client) == ["Lada Terbit"]


async def test_featured_products_come_by_position(app: FastAPI, client: AsyncClient) -> None:
    shop = await set_up_catalog(app, client)
    await featured_product(client, shop, "Ketiga", position=30)
    await featured_product(client, shop, "Pertama", position=10)
    _, moved = await featured_product(client, shop, "Kedua", position=40)
    await patch_entry(client, shop.admin, moved["id"], position=20)

    items = await featured_items(client)

    assert [(item["title"], item["position"]) for item in items] == [
        ("Pertama", 10),
        ("Kedua", 20),
        ("Ketiga", 30),
    ]


async def test_each_item_is_a_product_summary_with_its_position(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    product = await listed_product(client, shop, "Lada Putih Muntok", price=150_000)
    await upload_image(client, shop.owner, product["id"])
    await feature(client, shop.admin, product["id"], position=7)

    [item] = await featured_items(client)

    assert item["id"] == product["id"]
    assert item["slug"] == product["slug"]
    assert item["price"] == 150_000
    assert item["currency"] == "IDR"
    assert item["in_stock"] is True
    assert item["image"]["thumbnail_url"].endswith("_thumb.webp")
    assert item["category"] == "rempah"
    assert item["region_code"] == "19.05"
    assert item["seller"] == {
        "id": shop.seller_id,
        "slug": shop.seller["slug"],
        "name": "KIM Lada Muntok",
    }
    assert item["position"] == 7


async def test_region_category_and_limit_narrow_the_list(app: FastAPI, client: AsyncClient) -> None:
    # Given featured products in two regencies and two categories (one a subcategory)
    shop = await set_up_catalog(app, client, region_code="19.05")
    belitung = await set_up_catalog(
        app, client, admin=shop.admin, region_code="19.02", seller_name="KIM Belitung"
    )
    await create_category(client, shop.admin, slug="madu", name="Madu")
    await create_category(client, shop.admin, slug="lada-hitam", name="Lada Hitam", parent="rempah")
    await featured_product(client, shop, "Lada Bangka Barat", position=1)
    madu = await listed_product(client, belitung, "Madu Belitung", category="madu")
    await feature(client, shop.admin, madu["id"], position=2)
    hitam = await listed_product(client, belitung, "Lada Hitam Belitung", category="lada-hitam")
    await feature(client, shop.admin, hitam["id"], position=3)

    # Then each filter keeps what it names
    assert await featured_titles(client, region="19.02") == ["Madu Belitung", "Lada Hitam Belitung"]
    assert await featured_titles(client, category="rempah") == [
        "Lada Bangka Barat",
        "Lada Hitam Belitung",
    ]
    assert await featured_titles(client, category="madu", region="19.05") == []
    assert await featured_titles(client, limit=2) == ["Lada Bangka Barat", "Madu Belitung"]
    assert await featured_titles(client, region="99.99") == []


async def test_unknown_category_or_bad_limit_is_invalid(app: FastAPI, client: AsyncClient) -> None:
    unknown = await client.get("/api/v1/featured", params={"category": "tidak-ada"})
    too_many = await client.get("/api/v1/featured", params={"limit": 101})

    assert unknown.status_code == too_many.status_code == 422
    assert unknown.json()["errors"][0]["loc"] == ["query", "category"]


async def test_long_list_comes_in_pages(app: FastAPI, client: AsyncClient) -> None:
    shop = await set_up_catalog(app, client)
    for position, title in enumerate(("Satu", "Dua", "Tiga"), start=1):
        await featured_product(client, shop, title, position=position)

    first = await client.get("/api/v1/featured", params={"limit": 2})
    second = await client.get(
        "/api/v1/featured", params={"limit": 2, "cursor": first.json()["next_cursor"]}
    )
    tampered = await client.get("/api/v1/featured", params={"cursor": "bm90LWEtY3Vyc29y"})

    assert [item["title"] for item in first.json()["items"]] == ["Satu", "Dua"]
    assert [item["title"] for item in second.json()["items"]] == ["Tiga"]
    assert second.json()["next_cursor"] is None
    assert tampered.status_code == 422
