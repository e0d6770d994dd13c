"""Rendered pages are cached by (query, data version): the same bytes and ETag while nothing
they show changes, a new page as soon as an entry, a product, its price, its stock or its
seller does, and a 304 for a copy that is still current."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import change_seller_status, counting_statements, set_up_catalog
from tests.featured.world import ADMIN_FEATURED, featured_product, patch_entry

EMBED = "/embed/featured"


async def page(client: AsyncClient, path: str = EMBED, **params: Any) -> tuple[str, str]:
    """(ETag, body) of a page; asserts 200."""
    response = await client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.headers["etag"], response.text


def reads(statements: list[str]) -> list[str]:
    return [s for s in statements if not s.upper().startswith(("BEGIN", "COMMIT", "ROLLBACK"))]


async def test_unchanged_data_is_served_from_the_cache_with_the_same_etag(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    await featured_product(client, shop, "Lada Putih")
    first = await page(client)

    with counting_statements(app) as statements:
        second = await page(client)

    assert second == first
    # the two data versions (catalog, featured entries), and no rendering query
    assert len(reads(statements)) == 2


async def test_if_none_match_with_the_current_etag_gets_304(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    await featured_product(client, shop, "Lada Putih")
    etag, _ = await page(client)

    for if_none_match in (etag, f"W/{etag}", f'"stale", {etag}', "*"):
        response = await client.get(EMBED, headers={"If-None-Match": if_none_match})
        assert response.status_code == 304, if_none_match
        assert response.content == b""
        assert response.headers["etag"] == etag
        assert response.headers["cache-control"].startswith("public, max-age=60")
    stale = await client.get(EMBED, headers={"If-None-Match": '"0123"'})
    assert stale.status_code == 200


async def test_queries_are_cached_apart(app: FastAPI, client: AsyncClient) -> None:
    shop = await set_up_catalog(app, client)
    await featured_product(client, shop, "Lada Putih")

    pages = {
        await page(client),
        await page(client, lang="en"),
        await page(client, theme="dark"),
        await page(client, "/featured"),
    }
    noise = await page(client, utm_source="berita")

    assert len(pages) == 4
    assert noise == await page(client)


async def test_price_change_renders_a_new_page(app: FastAPI, client: AsyncClient) -> None:
    shop = await set_up_catalog(app, client)
    product, _ = await featured_product(client, shop, "Lada Putih")
    before_etag, before = await page(client)

    response = await client.patch(
        f"/api/v1/products/{product['id']}/variants/{product['variants'][0]['id']}",
        json={"price": 31_500},
        headers=shop.owner.headers,
    )
    assert response.status_code == 200, response.text
    after_etag, after = await page(client)

    assert "Rp 25.000" in before
    assert "Rp 31.500" in after
    assert after_etag != before_etag


async def test_running_out_of_stock_renders_a_new_page(app: FastAPI, client: AsyncClient) -> None:
    shop = await set_up_catalog(app, client)
    product, _ = await featured_product(client, shop, "Lada Putih")
    before_etag, before = await page(client)

    await client.patch(
        f"/api/v1/products/{product['id']}/variants/{product['variants'][0]['id']}",
        json={"stock": 0},
        headers=shop.owner.headers,
    )
    after_etag, after = await page(client)

    assert "Stok habis" not in before
    assert "Stok habis" in after
    assert after_etag != before_etag


async def test_approved_title_change_renders_a_new_page(app: FastAPI, client: AsyncClient) -> None:
    # Given a featured product, retitled by its seller (the edit waits for an admin)
    shop = await set_up_catalog(app, client)
    product, _ = await featured_product(client, shop, "Lada Putih")
    before_etag, _ = await page(client, "/featured")
    await client.patch(
        f"/api/v1/products/{product['id']}",
        json={"title": "Lada Putih Muntok Asli"},
        headers=shop.owner.headers,
    )

    # When an admin approves the edit
    approved = await client.post(
        f"/api/v1/admin/products/{product['id']}/approve", headers=shop.admin.headers
    )
    after_etag, after = await page(client, "/featured")

    # Then the page is rendered anew with the new title
    assert approved.status_code == 200, approved.text
    assert "Lada Putih Muntok Asli" in after
    assert after_etag != before_etag


async def test_suspending_the_seller_takes_the_product_off_the_page(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    await featured_product(client, shop, "Lada Putih")
    before_etag, before = await page(client)

    await change_seller_status(client, shop.admin, shop.seller_id, "suspend", reason="Keluhan")
    after_etag, after = await page(client)

    assert "Lada Putih" in before
    assert "Lada Putih" not in after
    assert after_etag != before_etag


async def test_deleting_an_entry_takes_the_product_off_the_page(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given two entries, the older one about to be deleted (the newest change stays the same)
    shop = await set_up_catalog(app, client)
    _, older = await featured_product(client, shop, "Lada Putih")
    await featured_product(client, shop, "Madu Pelawan")
    before_etag, before = await page(client)

    response = await client.delete(f"{ADMIN_FEATURED}/{older['id']}", headers=shop.admin.headers)
    assert response.status_code == 204
    after_etag, after = await page(client)

    assert "Lada Putih" in before
    assert "Lada Putih" not in after
    assert "Madu Pelawan" in after
    assert after_etag != before_etag


async def test_adding_and_moving_entries_render_a_new_page(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    _, first = await featured_product(client, shop, "Lada Putih")
    one_etag, _ = await page(client)

    await featured_product(client, shop, "Madu Pelawan")
    two_etag, two = await page(client)
    await patch_entry(client, shop.admin, first["id"], position=99)
    moved_etag, moved = await page(client)

    assert len({one_etag, two_etag, moved_etag}) == 3
    assert two.index("Lada Putih") < two.index("Madu Pelawan")
    assert moved.index("Madu Pelawan") < moved.index("Lada Putih")


async def test_an_entry_appears_when_its_start_time_passes(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given an entry starting in a moment, and the page cached before it starts
    shop = await set_up_catalog(app, client)
    await featured_product(client, shop, "Lada Putih")
    starts_at = datetime.now(UTC) + timedelta(seconds=3)
    await featured_product(client, shop, "Madu Pelawan", starts_at=starts_at.isoformat())
    before_etag, before = await page(client)

    # When its start time has passed, with no other change
    await asyncio.sleep((starts_at - datetime.now(UTC)).total_seconds() + 0.2)
    after_etag, after = await page(client)

    # Then the page shows it
    assert "Madu Pelawan" not in before
    assert "Madu Pelawan" in after
    assert after_etag != before_etag
