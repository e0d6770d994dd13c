"""A verified seller's new name is checked by an admin before the public sees it; names that
read like a government body are queued for an admin whatever the seller's status."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import create_account, create_seller, set_up_catalog
from tests.moderation.helpers import queue

GOVERNMENT_NAME = "Dinas Koperasi Provinsi Babel (Resmi)"


async def test_verified_seller_renamed_as_a_government_body_keeps_its_checked_name(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a verified seller
    shop = await set_up_catalog(app, client, seller_name="KIM Lada Muntok")

    # When its owner renames it after a government office
    response = await client.patch(
        f"/api/v1/sellers/{shop.seller_id}",
        json={"name": GOVERNMENT_NAME},
        headers=shop.owner.headers,
    )

    # Then the public still sees the checked name, and an admin must decide
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "KIM Lada Muntok"
    assert response.json()["pending_name"] == GOVERNMENT_NAME
    public = (await client.get(f"/api/v1/sellers/{shop.seller_id}")).json()
    assert public["name"] == "KIM Lada Muntok"
    assert public["status"] == "verified"
    [item] = await queue(client, shop.admin)
    assert item["kind"] == "seller_profile"
    assert item["reasons"] == [{"code": "government_name", "detail": "dinas, resmi"}]
    assert item["diff"] == {"name": {"before": "KIM Lada Muntok", "after": GOVERNMENT_NAME}}

    # When an admin rejects it, nothing changes
    decided = await client.post(
        f"/api/v1/admin/moderation/{item['id']}/decide",
        json={"action": "reject", "note": "Meniru nama instansi"},
        headers=shop.admin.headers,
    )
    assert decided.status_code == 200
    public = (await client.get(f"/api/v1/sellers/{shop.seller_id}")).json()
    assert public["name"] == "KIM Lada Muntok"


async def test_verified_sellers_ordinary_rename_goes_public_once_approved(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client, seller_name="KIM Lada Muntok")
    await client.patch(
        f"/api/v1/sellers/{shop.seller_id}",
        json={"name": "KIM Lada Putih Muntok"},
        headers=shop.owner.headers,
    )
    [item] = await queue(client, shop.admin)
    assert item["reasons"][0]["code"] == "verified_seller_renamed"

    decided = await client.post(
        f"/api/v1/admin/moderation/{item['id']}/decide",
        json={"action": "approve"},
        headers=shop.admin.headers,
    )

    assert decided.status_code == 200
    public = (await client.get(f"/api/v1/sellers/{shop.seller_id}")).json()
    assert public["name"] == "KIM Lada Putih Muntok"


async def test_new_seller_with_a_government_name_is_queued_for_the_admin(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    owner = await create_account(client)

    seller = await create_seller(client, owner, name="Pemprov Babel Official Store")

    assert seller["status"] == "pending"
    [item] = await queue(client, shop.admin)
    assert item["seller_id"] == seller["id"]
    assert item["reasons"] == [{"code": "government_name", "detail": "pemprov, official"}]


async def test_admin_renames_a_verified_seller_at_once(app: FastAPI, client: AsyncClient) -> None:
    shop = await set_up_catalog(app, client)

    response = await client.patch(
        f"/api/v1/sellers/{shop.seller_id}",
        json={"name": "KIM Lada Muntok Jaya"},
        headers=shop.admin.headers,
    )

    assert response.json()["name"] == "KIM Lada Muntok Jaya"
    assert await queue(client, shop.admin) == []
