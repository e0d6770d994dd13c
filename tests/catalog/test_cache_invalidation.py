"""The cached public list follows stock taken by orders, even within the same second."""

from datetime import timedelta

from fastapi import FastAPI
from httpx import AsyncClient

from marketplace.config import Settings
from marketplace.db.base import utcnow
from marketplace.gateways import started
from marketplace.orders.tasks import expire_due_orders
from tests.conftest import make_settings
from tests.factories import open_shop, order_body, order_line, placed_order, upload_image
from tests.factories.app import http_client, running_app
from tests.factories.orders import set_order_expiry


async def test_list_shows_out_of_stock_right_after_an_order_takes_the_last_units(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a listed product with 2 units, its page cached
    shop = await open_shop(app, client, stock=2)
    before = await client.get("/api/v1/products")
    assert before.json()["items"][0]["in_stock"] is True

    # when an order takes both units at once
    await placed_order(client, order_body(order_line(shop.variant_id, 2)))
    after = await client.get("/api/v1/products")

    # then the very next read is fresh: a new ETag, and out of stock
    assert after.headers["etag"] != before.headers["etag"]
    assert after.json()["items"][0]["in_stock"] is False


async def test_public_product_detail_is_cached_and_follows_an_order_at_once(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a listed product with 2 units, its public detail read once
    shop = await open_shop(app, client, stock=2)
    before = await client.get(f"/api/v1/products/{shop.product_id}")
    assert before.status_code == 200
    assert before.json()["variants"][0]["stock"] == 2

    # when the same detail is asked again with its ETag
    again = await client.get(
        f"/api/v1/products/{shop.product_id}", headers={"If-None-Match": before.headers["etag"]}
    )

    # then it is not sent again
    assert again.status_code == 304

    # and when an order takes both units, the next read is fresh
    await placed_order(client, order_body(order_line(shop.variant_id, 2)))
    after = await client.get(f"/api/v1/products/{shop.product_id}")
    assert after.headers["etag"] != before.headers["etag"]
    assert after.json()["in_stock"] is False
    assert after.json()["variants"][0]["stock"] == 0


async def test_public_product_detail_says_what_the_members_view_says(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a listed product with a photo
    shop = await open_shop(app, client, stock=7)
    await upload_image(client, shop.owner, shop.product_id)

    # when the public (by slug) and the seller's owner (by id, with a token) read it
    member = (
        await client.get(f"/api/v1/products/{shop.product_id}", headers=shop.owner.headers)
    ).json()
    public = (await client.get(f"/api/v1/products/{member['slug']}")).json()

    # then both show the same listing; only members see the moderation block
    assert member.pop("moderation") is not None
    assert public.pop("moderation") is None
    assert public == member
    assert public["image"]["url"] == public["images"][0]["url"]
    assert public["variants"][0]["stock"] == 7


async def test_public_product_detail_of_a_draft_or_unknown_slug_is_not_found(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a published product withdrawn to the archive by its owner
    shop = await open_shop(app, client)
    archived = await client.post(
        f"/api/v1/products/{shop.product_id}/archive", headers=shop.owner.headers
    )
    assert archived.status_code == 200

    # when the public asks for it, or for a slug nobody has
    hidden = await client.get(f"/api/v1/products/{shop.product_id}")
    unknown = await client.get("/api/v1/products/tidak-ada-produk-ini")

    # then both are a 404 problem, like any product the caller may not see
    assert hidden.status_code == 404
    assert unknown.status_code == 404
    assert hidden.json()["type"] == unknown.json()["type"]


async def test_stock_released_by_the_expiry_command_shows_on_a_cached_product_page_at_once(
    app: FastAPI, client: AsyncClient, settings: Settings, redis_url: str
) -> None:
    # given a server sharing Redis that remembers the catalog version for a minute, and an
    # unpaid order of 2 of 10 units whose time ran out, the product's page read after it
    shop = await open_shop(app, client, stock=10)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 2)))
    await set_order_expiry(app.state.sessionmaker, order["id"], utcnow() - timedelta(minutes=1))
    shared = make_settings(
        settings.database_url,
        media_root=settings.media_root,
        redis_url=redis_url,
        catalog_version_ttl_seconds=60,
    )
    path = f"/api/v1/products/{shop.product_id}"
    async with running_app(shared) as server, http_client(server) as server_client:
        before = [await server_client.get(path) for _ in range(2)]
        assert before[1].json()["variants"][0]["stock"] == 8

        # when the expiry sweep runs as the command runs it, in a process's own database setup
        async with started(shared) as (sessionmaker, gateways):
            assert await expire_due_orders(sessionmaker, gateways) == 1

        # then the server's very next read shows the 2 units back
        after = await server_client.get(path)
    assert after.headers["etag"] != before[1].headers["etag"]
    assert after.json()["variants"][0]["stock"] == 10
