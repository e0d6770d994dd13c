"""PATCH /sellers/{id}: owners and admins change a seller's profile."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import (
    add_member,
    audit_entries,
    create_account,
    create_admin,
    create_seller,
    create_verified_seller,
)


async def test_owner_updates_only_the_fields_sent(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_verified_seller(
        client, owner, admin, name="KIM Lada Muntok", description="Lama", whatsapp="081270001234"
    )

    response = await client.patch(
        f"/api/v1/sellers/{seller['id']}",
        json={"description": "Lada putih kualitas ekspor.", "region_code": "19.01"},
        headers=owner.headers,
    )

    assert response.status_code == 200
    updated = response.json()
    assert updated["description"] == "Lada putih kualitas ekspor."
    assert updated["region_code"] == "19.01"
    assert updated["name"] == "KIM Lada Muntok"
    assert updated["slug"] == "kim-lada-muntok"
    assert updated["whatsapp"] == "+6281270001234"
    assert updated["status"] == "verified"
    public = (await client.get(f"/api/v1/sellers/{seller['id']}")).json()
    assert public["description"] == "Lada putih kualitas ekspor."
    # an owner's own edit is not an admin action
    assert [
        entry["action"]
        for entry in await audit_entries(
            client, admin, target_type="seller", target_id=seller["id"]
        )
    ] == ["seller.verify"]


async def test_owner_updates_own_pending_seller(client: AsyncClient) -> None:
    owner = await create_account(client)
    seller = await create_seller(client, owner)

    response = await client.patch(
        f"/api/v1/sellers/{seller['id']}", json={"kind": "cooperative"}, headers=owner.headers
    )

    assert response.status_code == 200
    assert response.json()["kind"] == "cooperative"
    assert response.json()["status"] == "pending"


async def test_owner_clears_optional_field_with_null(client: AsyncClient) -> None:
    owner = await create_account(client)
    seller = await create_seller(client, owner, address="Jl. Pelabuhan 3")

    response = await client.patch(
        f"/api/v1/sellers/{seller['id']}", json={"address": None}, headers=owner.headers
    )

    assert response.status_code == 200
    assert response.json()["address"] is None


async def test_update_refuses_null_name_and_unknown_region(client: AsyncClient) -> None:
    owner = await create_account(client)
    seller = await create_seller(client, owner, name="KIM Lada Muntok")

    null_name = await client.patch(
        f"/api/v1/sellers/{seller['id']}", json={"name": None}, headers=owner.headers
    )
    unknown_region = await client.patch(
        f"/api/v1/sellers/{seller['id']}", json={"region_code": "19.99"}, headers=owner.headers
    )
    extra = await client.patch(
        f"/api/v1/sellers/{seller['id']}", json={"status": "verified"}, headers=owner.headers
    )

    assert null_name.status_code == 422
    assert null_name.json()["errors"][0]["loc"] == ["body", "name"]
    assert unknown_region.status_code == 422
    assert unknown_region.json()["errors"][0]["loc"] == ["body", "region_code"]
    assert extra.status_code == 422
    assert extra.json()["errors"][0]["loc"] == ["body", "status"]
    unchanged = (await client.get(f"/api/v1/sellers/{seller['id']}", headers=owner.headers)).json()
    assert (unchanged["name"], unchanged["region_code"], unchanged["status"]) == (
        "KIM Lada Muntok",
        "19.05",
        "pending",
    )


async def test_staff_member_cannot_update_seller(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    staff = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_verified_seller(client, owner, admin, description="Asli")
    await add_member(client, owner, seller["id"], staff.email, role="staff")

    response = await client.patch(
        f"/api/v1/sellers/{seller['id']}", json={"description": "Diubah"}, headers=staff.headers
    )

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert (await client.get(f"/api/v1/sellers/{seller['id']}")).json()["description"] == "Asli"


async def test_stranger_gets_403_on_verified_seller(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    stranger = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_verified_seller(client, owner, admin, description="Asli")

    response = await client.patch(
        f"/api/v1/sellers/{seller['id']}", json={"description": "Diubah"}, headers=stranger.headers
    )

    assert response.status_code == 403
    assert (await client.get(f"/api/v1/sellers/{seller['id']}")).json()["description"] == "Asli"


async def test_stranger_gets_404_on_pending_seller(client: AsyncClient) -> None:
    owner = await create_account(client)
    stranger = await create_account(client)
    seller = await create_seller(client, owner, description="Asli")

    response = await client.patch(
        f"/api/v1/sellers/{seller['id']}", json={"description": "Diubah"}, headers=stranger.headers
    )

    assert response.status_code == 404
    assert response.json()["type"].endswith("seller-not-found")
    own_view = await client.get(f"/api/v1/sellers/{seller['id']}", headers=owner.headers)
    assert own_view.json()["description"] == "Asli"


async def test_anonymous_update_is_401(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_verified_seller(client, owner, admin)

    response = await client.patch(f"/api/v1/sellers/{seller['id']}", json={"description": "X"})

    assert response.status_code == 401


async def test_patch_by_slug_is_404(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    await create_verified_seller(client, owner, admin, name="KIM Lada Muntok")

    response = await client.patch(
        "/api/v1/sellers/kim-lada-muntok", json={"description": "X"}, headers=owner.headers
    )

    assert response.status_code == 404


async def test_admin_update_is_recorded_in_audit_log(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_seller(client, owner, name="KIM Lada Muntok", description="Lama")

    response = await client.patch(
        f"/api/v1/sellers/{seller['id']}",
        json={"name": "KIM Lada Putih Muntok", "description": "Baru"},
        headers=admin.headers,
    )

    assert response.status_code == 200
    assert response.json()["name"] == "KIM Lada Putih Muntok"
    assert response.json()["description"] == "Baru"
    entries = await audit_entries(client, admin, target_type="seller", target_id=seller["id"])
    assert len(entries) == 1
    entry = entries[0]
    assert entry["action"] == "seller.update"
    assert entry["actor_id"] == admin.id
    assert entry["target_type"] == "seller"
    assert entry["target_id"] == seller["id"]
    assert entry["before"] == {"name": "KIM Lada Muntok", "description": "Lama"}
    assert entry["after"] == {"name": "KIM Lada Putih Muntok", "description": "Baru"}
    assert entry["reason"] is None
