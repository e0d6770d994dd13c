"""Who may create and change products: members of the seller, admins for edits and archiving."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.catalog.models import Product
from tests.factories import (
    add_member,
    audit_entries,
    count_rows,
    create_account,
    create_product,
    create_published_product,
    product_body,
    set_up_catalog,
)


async def test_staff_member_can_create_and_edit_a_product(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a staff member of a verified seller
    shop = await set_up_catalog(app, client)
    staff = await create_account(client)
    await add_member(client, shop.owner, shop.seller_id, staff.email, role="staff")

    # When they create a product and then rename it
    product = await create_product(client, staff, shop.seller_id, title="Kopi Manggar")
    edited = await client.patch(
        f"/api/v1/products/{product['id']}",
        json={"title": "Kopi Manggar Robusta"},
        headers=staff.headers,
    )

    # Then both succeed
    assert product["status"] == "draft"
    assert edited.status_code == 200, edited.text
    assert edited.json()["title"] == "Kopi Manggar Robusta"


async def test_stranger_creating_at_a_verified_seller_is_403(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # Given a verified seller and a signed-in user who is not a member
    shop = await set_up_catalog(app, client)
    stranger = await create_account(client)

    # When the stranger tries to list a product there
    response = await client.post(
        f"/api/v1/sellers/{shop.seller_id}/products", json=product_body(), headers=stranger.headers
    )

    # Then it is forbidden and nothing is created
    assert response.status_code == 403, response.text
    assert response.json()["type"] == "/problems/forbidden"
    assert await count_rows(sessionmaker, Product) == 0


async def test_stranger_creating_at_a_pending_seller_is_404(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # Given a seller still pending verification (invisible to the public)
    shop = await set_up_catalog(app, client, verified=False)
    stranger = await create_account(client)

    # When a stranger tries to list a product there
    response = await client.post(
        f"/api/v1/sellers/{shop.seller_id}/products", json=product_body(), headers=stranger.headers
    )

    # Then the seller does not exist for them
    assert response.status_code == 404, response.text
    assert await count_rows(sessionmaker, Product) == 0


async def test_anonymous_create_is_401(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # Given a verified seller
    shop = await set_up_catalog(app, client)

    # When someone without a token posts a product
    response = await client.post(f"/api/v1/sellers/{shop.seller_id}/products", json=product_body())

    # Then it is 401 and nothing is created
    assert response.status_code == 401, response.text
    assert await count_rows(sessionmaker, Product) == 0


async def test_pending_seller_owner_can_prepare_drafts(app: FastAPI, client: AsyncClient) -> None:
    # Given a seller not yet verified
    shop = await set_up_catalog(app, client, verified=False)

    # When the owner creates a product
    product = await create_product(client, shop.owner, shop.seller_id)

    # Then the draft exists
    assert product["status"] == "draft"


async def test_admin_who_is_not_a_member_cannot_create_a_product(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # Given a verified seller
    shop = await set_up_catalog(app, client)

    # When an admin (not a member) tries to list a product for it
    response = await client.post(
        f"/api/v1/sellers/{shop.seller_id}/products",
        json=product_body(),
        headers=shop.admin.headers,
    )

    # Then it is forbidden: listing is the seller's job
    assert response.status_code == 403, response.text
    assert await count_rows(sessionmaker, Product) == 0


async def test_admin_edit_of_a_product_is_recorded_in_the_audit_log(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a published product
    shop = await set_up_catalog(app, client)
    product = await create_published_product(
        client, shop.owner, shop.seller_id, title="Madu Palsu Murah"
    )

    # When an admin renames it
    response = await client.patch(
        f"/api/v1/products/{product['id']}",
        json={"title": "Madu Hutan"},
        headers=shop.admin.headers,
    )

    # Then the change applies and the audit log shows before and after
    assert response.status_code == 200, response.text
    assert response.json()["title"] == "Madu Hutan"
    entries = await audit_entries(
        client, shop.admin, target_type="product", target_id=product["id"]
    )
    assert [entry["action"] for entry in entries] == ["product.update"]
    assert entries[0]["actor_id"] == shop.admin.id
    assert entries[0]["before"]["title"] == "Madu Palsu Murah"
    assert entries[0]["after"]["title"] == "Madu Hutan"


async def test_admin_archive_hides_the_product_and_is_audited(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a published product
    shop = await set_up_catalog(app, client)
    product = await create_published_product(client, shop.owner, shop.seller_id)

    # When an admin archives it
    response = await client.post(
        f"/api/v1/products/{product['id']}/archive", headers=shop.admin.headers
    )

    # Then it is archived, gone from the public, and the audit log says who did it
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "archived"
    assert (await client.get(f"/api/v1/products/{product['id']}")).status_code == 404
    entries = await audit_entries(
        client, shop.admin, target_type="product", target_id=product["id"]
    )
    assert [entry["action"] for entry in entries] == ["product.archive"]
    assert entries[0]["before"]["status"] == "published"
    assert entries[0]["after"]["status"] == "archived"


async def test_owner_edits_leave_no_audit_entry(app: FastAPI, client: AsyncClient) -> None:
    # Given a product
    shop = await set_up_catalog(app, client)
    product = await create_product(client, shop.owner, shop.seller_id)

    # When its owner edits and archives it
    await client.patch(
        f"/api/v1/products/{product['id']}",
        json={"title": "Lada Hitam"},
        headers=shop.owner.headers,
    )
    await client.post(f"/api/v1/products/{product['id']}/archive", headers=shop.owner.headers)

    # Then the admin audit log has nothing about it
    assert (
        await audit_entries(client, shop.admin, target_type="product", target_id=product["id"])
        == []
    )


async def test_stranger_editing_a_published_product_is_403_and_a_draft_is_404(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a published product and a draft of a verified seller
    shop = await set_up_catalog(app, client)
    published = await create_published_product(client, shop.owner, shop.seller_id)
    draft = await create_product(client, shop.owner, shop.seller_id, title="Lada Hitam")
    stranger = await create_account(client)

    # When a stranger tries to edit, archive or publish them
    edit_published = await client.patch(
        f"/api/v1/products/{published['id']}", json={"title": "Diretas"}, headers=stranger.headers
    )
    archive_published = await client.post(
        f"/api/v1/products/{published['id']}/archive", headers=stranger.headers
    )
    edit_draft = await client.patch(
        f"/api/v1/products/{draft['id']}", json={"title": "Diretas"}, headers=stranger.headers
    )
    publish_draft = await client.post(
        f"/api/v1/products/{draft['id']}/publish", headers=stranger.headers
    )

    # Then the visible product is 403, the invisible one 404, and nothing changed
    assert edit_published.status_code == 403
    assert archive_published.status_code == 403
    assert edit_draft.status_code == 404
    assert publish_draft.status_code == 404
    detail = await client.get(f"/api/v1/products/{published['id']}")
    assert (detail.json()["title"], detail.json()["status"]) == ("Lada Putih Muntok", "published")


async def test_anonymous_edit_of_a_published_product_is_401(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a published product
    shop = await set_up_catalog(app, client)
    product = await create_published_product(client, shop.owner, shop.seller_id)

    # When someone without a token edits it
    response = await client.patch(f"/api/v1/products/{product['id']}", json={"title": "Diretas"})

    # Then it is 401
    assert response.status_code == 401
