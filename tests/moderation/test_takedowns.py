"""Admins' takedowns stick: an archived or removed listing cannot be published again by its
seller (409) until an admin approves it; the seller is e-mailed the reason and may ask for
another review."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import create_published_product, listed_slugs, set_up_catalog
from tests.featured.world import feature
from tests.moderation.helpers import approve, emails_to, queue, remove


async def test_seller_cannot_republish_a_product_an_admin_archived(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a published product that an admin archived
    shop = await set_up_catalog(app, client)
    product = await create_published_product(client, shop.owner, shop.seller_id)
    archived = await client.post(
        f"/api/v1/products/{product['id']}/archive", headers=shop.admin.headers
    )
    assert archived.status_code == 200

    # When its seller publishes it again
    response = await client.post(
        f"/api/v1/products/{product['id']}/publish", headers=shop.owner.headers
    )

    # Then it is refused and the product stays off the public list
    assert response.status_code == 409
    assert response.json()["type"].endswith("/product-removed")
    assert await listed_slugs(client) == []


async def test_seller_may_republish_what_they_archived_themselves(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    product = await create_published_product(client, shop.owner, shop.seller_id)
    await client.post(f"/api/v1/products/{product['id']}/archive", headers=shop.owner.headers)

    response = await client.post(
        f"/api/v1/products/{product['id']}/publish", headers=shop.owner.headers
    )

    assert response.status_code == 200
    assert response.json()["status"] == "published"


async def test_removed_product_is_emailed_refused_and_back_only_after_approval(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a published product
    shop = await set_up_catalog(app, client)
    product = await create_published_product(client, shop.owner, shop.seller_id)

    # When an admin removes it with a reason
    removed = await remove(client, shop.admin, product["id"], "Foto bukan produk sebenarnya")

    # Then it is removed, off the list, the owner is e-mailed the reason ...
    assert removed["status"] == "removed"
    assert removed["moderation"]["takedown_reason"] == "Foto bukan produk sebenarnya"
    assert await listed_slugs(client) == []
    [email] = await emails_to(app, shop.owner.email)
    assert email.template == "product_removed"
    assert "Foto bukan produk sebenarnya" in email.body_text
    # ... and neither publishing nor archiving gets it out of "removed"
    for action in ("publish", "archive"):
        response = await client.post(
            f"/api/v1/products/{product['id']}/{action}", headers=shop.owner.headers
        )
        assert response.status_code == 409, action
    detail = await client.get(f"/api/v1/products/{product['id']}", headers=shop.owner.headers)
    assert detail.json()["status"] == "removed"

    # When the seller asks for a review and an admin approves
    asked = await client.post(
        f"/api/v1/products/{product['id']}/review-request",
        json={"note": "Foto sudah diganti"},
        headers=shop.owner.headers,
    )
    assert asked.status_code == 201, asked.text
    [item] = await queue(client, shop.admin, kind="appeal")
    assert item["product_id"] == product["id"]
    assert item["note"] == "Foto sudah diganti"
    approved = await approve(client, shop.admin, product["id"])

    # Then it is public again and the queue is empty
    assert approved["status"] == "published"
    assert await listed_slugs(client) == [product["slug"]]
    assert await queue(client, shop.admin) == []


async def test_review_request_for_a_listing_not_taken_down_is_a_conflict(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    product = await create_published_product(client, shop.owner, shop.seller_id)

    response = await client.post(
        f"/api/v1/products/{product['id']}/review-request", json={}, headers=shop.owner.headers
    )

    assert response.status_code == 409
    assert await queue(client, shop.admin) == []


async def test_remove_needs_a_reason_and_changes_nothing_without_one(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    product = await create_published_product(client, shop.owner, shop.seller_id)

    for body in ({}, {"reason": ""}, {"reason": 42}, {"reason": "x" * 1001}):
        response = await client.post(
            f"/api/v1/admin/products/{product['id']}/remove", json=body, headers=shop.admin.headers
        )
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"

    assert await listed_slugs(client) == [product["slug"]]


async def test_approve_and_remove_of_unknown_products_are_not_found(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    unknown = "01920000-0000-7000-8000-000000000000"

    approved = await client.post(
        f"/api/v1/admin/products/{unknown}/approve", headers=shop.admin.headers
    )
    removed = await client.post(
        "/api/v1/admin/products/not-an-id/remove",
        json={"reason": "Tidak layak"},
        headers=shop.admin.headers,
    )

    assert approved.status_code == 404
    assert removed.status_code == 404


async def test_approving_a_draft_is_a_conflict(app: FastAPI, client: AsyncClient) -> None:
    shop = await set_up_catalog(app, client)
    draft = await client.post(
        f"/api/v1/sellers/{shop.seller_id}/products",
        json={
            "title": "Lada Hitam",
            "category": "rempah",
            "variants": [{"name": "100 g", "price": 20000, "stock": 5, "weight_grams": 120}],
        },
        headers=shop.owner.headers,
    )

    response = await client.post(
        f"/api/v1/admin/products/{draft.json()['id']}/approve", headers=shop.admin.headers
    )

    assert response.status_code == 409
    assert response.json()["type"].endswith("/nothing-to-approve")


async def test_featured_entry_of_a_removed_product_says_why_it_is_hidden(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    product = await create_published_product(client, shop.owner, shop.seller_id)
    await feature(client, shop.admin, product["id"])

    await remove(client, shop.admin, product["id"], "Label tidak sesuai")

    [entry] = (await client.get("/api/v1/admin/featured", headers=shop.admin.headers)).json()[
        "items"
    ]
    assert entry["state"] == "hidden"
    assert entry["hidden_reason"] == "product_removed"
    assert (await client.get("/api/v1/featured")).json()["items"] == []
