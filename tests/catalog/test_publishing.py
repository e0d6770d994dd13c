"""Who sees a product: drafts and archived products only for members and admins; published
products only while their seller is verified."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import (
    add_member,
    change_seller_status,
    create_account,
    create_product,
    create_published_product,
    listed_slugs,
    set_up_catalog,
)


async def test_draft_is_404_to_anonymous_and_strangers_by_id_and_by_slug(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a draft
    shop = await set_up_catalog(app, client)
    draft = await create_product(client, shop.owner, shop.seller_id)
    stranger = await create_account(client)

    # When the public and a stranger look it up
    answers = [
        (await client.get(f"/api/v1/products/{key}", headers=headers)).status_code
        for key in (draft["id"], draft["slug"])
        for headers in ({}, stranger.headers)
    ]

    # Then it does not exist for them, and it is not listed
    assert answers == [404, 404, 404, 404]
    assert await listed_slugs(client) == []


async def test_draft_is_visible_to_owner_staff_and_admin(app: FastAPI, client: AsyncClient) -> None:
    # Given a draft and a staff member
    shop = await set_up_catalog(app, client)
    draft = await create_product(client, shop.owner, shop.seller_id)
    staff = await create_account(client)
    await add_member(client, shop.owner, shop.seller_id, staff.email)

    # When the owner, staff and an admin open it
    responses = [
        await client.get(f"/api/v1/products/{draft['slug']}", headers=account.headers)
        for account in (shop.owner, staff, shop.admin)
    ]

    # Then each sees the draft
    assert [(r.status_code, r.json()["status"]) for r in responses] == [(200, "draft")] * 3


async def test_archived_product_is_hidden_from_the_public_but_not_from_members(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a published product that its owner then archives
    shop = await set_up_catalog(app, client)
    product = await create_published_product(client, shop.owner, shop.seller_id)
    archived = await client.post(
        f"/api/v1/products/{product['id']}/archive", headers=shop.owner.headers
    )
    stranger = await create_account(client)

    # When the public, a stranger, the owner and an admin look
    anonymous = await client.get(f"/api/v1/products/{product['slug']}")
    by_stranger = await client.get(f"/api/v1/products/{product['id']}", headers=stranger.headers)
    by_owner = await client.get(f"/api/v1/products/{product['id']}", headers=shop.owner.headers)
    by_admin = await client.get(f"/api/v1/products/{product['id']}", headers=shop.admin.headers)

    # Then only the member and the admin see it, as archived
    assert archived.json()["status"] == "archived"
    assert (anonymous.status_code, by_stranger.status_code) == (404, 404)
    assert (by_owner.status_code, by_owner.json()["status"]) == (200, "archived")
    assert (by_admin.status_code, by_admin.json()["status"]) == (200, "archived")
    assert await listed_slugs(client) == []


async def test_publishing_a_draft_makes_it_public(app: FastAPI, client: AsyncClient) -> None:
    # Given a draft of a verified seller
    shop = await set_up_catalog(app, client)
    draft = await create_product(client, shop.owner, shop.seller_id)

    # When the owner publishes it
    response = await client.post(
        f"/api/v1/products/{draft['id']}/publish", headers=shop.owner.headers
    )

    # Then it is published with a publication time and anyone can see and list it
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "published"
    assert response.json()["published_at"] is not None
    public = await client.get(f"/api/v1/products/{draft['slug']}")
    assert (public.status_code, public.json()["status"]) == (200, "published")
    assert await listed_slugs(client) == ["lada-putih-muntok"]


async def test_archived_product_can_be_published_again(app: FastAPI, client: AsyncClient) -> None:
    # Given an archived product
    shop = await set_up_catalog(app, client)
    product = await create_published_product(client, shop.owner, shop.seller_id)
    await client.post(f"/api/v1/products/{product['id']}/archive", headers=shop.owner.headers)

    # When it is published again
    response = await client.post(
        f"/api/v1/products/{product['id']}/publish", headers=shop.owner.headers
    )

    # Then it is back in the list
    assert response.json()["status"] == "published"
    assert await listed_slugs(client) == [product["slug"]]


async def test_publishing_at_a_pending_seller_is_409_seller_not_verified(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a draft of a seller still pending verification
    shop = await set_up_catalog(app, client, verified=False)
    draft = await create_product(client, shop.owner, shop.seller_id)

    # When the owner tries to publish it
    response = await client.post(
        f"/api/v1/products/{draft['id']}/publish", headers=shop.owner.headers
    )

    # Then it is a conflict and the product stays a draft
    assert response.status_code == 409, response.text
    assert response.json()["type"] == "/problems/seller-not-verified"
    detail = await client.get(f"/api/v1/products/{draft['id']}", headers=shop.owner.headers)
    assert detail.json()["status"] == "draft"


async def test_suspending_the_seller_hides_its_products_at_once_and_verifying_restores_them(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given two published products of one seller, seen (and cached) by the public
    shop = await set_up_catalog(app, client)
    first = await create_published_product(client, shop.owner, shop.seller_id, title="Lada Putih")
    second = await create_published_product(client, shop.owner, shop.seller_id, title="Lada Hitam")
    assert await listed_slugs(client) == ["lada-hitam", "lada-putih"]
    assert (await client.get(f"/api/v1/products/{first['slug']}")).status_code == 200

    # When an admin suspends the seller
    await change_seller_status(client, shop.admin, shop.seller_id, "suspend", reason="Laporan")

    # Then its products vanish from the list and their pages at once
    assert await listed_slugs(client) == []
    assert (await client.get(f"/api/v1/products/{first['slug']}")).status_code == 404
    assert (await client.get(f"/api/v1/products/{second['id']}")).status_code == 404
    owner_view = await client.get(f"/api/v1/products/{first['id']}", headers=shop.owner.headers)
    assert owner_view.status_code == 200

    # When the admin verifies the seller again
    await change_seller_status(client, shop.admin, shop.seller_id, "verify")

    # Then they are back
    assert await listed_slugs(client) == ["lada-hitam", "lada-putih"]
    assert (await client.get(f"/api/v1/products/{first['slug']}")).status_code == 200


async def test_publishing_at_a_suspended_seller_is_409(app: FastAPI, client: AsyncClient) -> None:
    # Given a suspended seller with a draft
    shop = await set_up_catalog(app, client)
    draft = await create_product(client, shop.owner, shop.seller_id)
    await change_seller_status(client, shop.admin, shop.seller_id, "suspend")

    # When the owner tries to publish
    response = await client.post(
        f"/api/v1/products/{draft['id']}/publish", headers=shop.owner.headers
    )

    # Then it is refused
    assert response.status_code == 409
    assert response.json()["type"] == "/problems/seller-not-verified"


async def test_changing_the_seller_region_moves_its_products_to_the_new_region(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a seller in Bangka Barat (19.05) with a published product, listed under 19.05
    shop = await set_up_catalog(app, client, region_code="19.05")
    product = await create_published_product(client, shop.owner, shop.seller_id)
    assert await listed_slugs(client, region="19.05") == [product["slug"]]

    # When the owner moves the seller to Pangkalpinang (19.71)
    moved = await client.patch(
        f"/api/v1/sellers/{shop.seller_id}",
        json={"region_code": "19.71"},
        headers=shop.owner.headers,
    )

    # Then the product is found under 19.71 and no longer under 19.05
    assert moved.status_code == 200, moved.text
    assert await listed_slugs(client, region="19.71") == [product["slug"]]
    assert await listed_slugs(client, region="19.05") == []
    detail = await client.get(f"/api/v1/products/{product['slug']}")
    assert detail.json()["region_code"] == "19.71"
    created_later = await create_product(client, shop.owner, shop.seller_id, title="Lada Hitam")
    assert created_later["region_code"] == "19.71"


@pytest.mark.parametrize("status", ["draft", "published", "archived"])
async def test_seller_product_list_shows_every_status_to_members(
    app: FastAPI, client: AsyncClient, status: str
) -> None:
    # Given one draft, one published and one archived product
    shop = await set_up_catalog(app, client)
    await create_product(client, shop.owner, shop.seller_id, title="Produk Draf")
    await create_published_product(client, shop.owner, shop.seller_id, title="Produk Terbit")
    archived = await create_published_product(
        client, shop.owner, shop.seller_id, title="Produk Arsip"
    )
    await client.post(f"/api/v1/products/{archived['id']}/archive", headers=shop.owner.headers)

    # When the owner lists the seller's products by status
    everything = await client.get(
        f"/api/v1/sellers/{shop.seller_id}/products", headers=shop.owner.headers
    )
    filtered = await client.get(
        f"/api/v1/sellers/{shop.seller_id}/products",
        params={"status": status},
        headers=shop.owner.headers,
    )

    # Then all three appear, and the filter keeps the one in that status
    expected = {"draft": "produk-draf", "published": "produk-terbit", "archived": "produk-arsip"}
    assert {item["status"] for item in everything.json()["items"]} == {
        "draft",
        "published",
        "archived",
    }
    assert [item["slug"] for item in filtered.json()["items"]] == [expected[status]]
