"""/admin/sellers: the verification queue and status changes, each one audited."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import (
    audit_entries,
    change_seller_status,
    create_account,
    create_admin,
    create_seller,
    create_verified_seller,
)


@pytest.mark.parametrize(
    ("action", "new_status"),
    [("verify", "verified"), ("reject", "rejected")],
)
async def test_admin_decides_on_pending_seller_with_reason_and_audit_entry(
    app: FastAPI, client: AsyncClient, action: str, new_status: str
) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_seller(client, owner, name="KIM Kopi Manggar")

    response = await client.post(
        f"/api/v1/admin/sellers/{seller['id']}/{action}",
        json={"reason": "  Dokumen diperiksa  "},
        headers=admin.headers,
    )

    assert response.status_code == 200
    assert response.json()["id"] == seller["id"]
    assert response.json()["status"] == new_status
    assert response.json()["status_reason"] == "Dokumen diperiksa"
    owner_view = await client.get(f"/api/v1/sellers/{seller['id']}", headers=owner.headers)
    assert owner_view.json()["status"] == new_status
    [entry] = await audit_entries(client, admin, target_type="seller", target_id=seller["id"])
    assert entry["action"] == f"seller.{action}"
    assert entry["actor_id"] == admin.id
    assert entry["before"] == {"status": "pending"}
    assert entry["after"] == {"status": new_status}
    assert entry["reason"] == "Dokumen diperiksa"
    assert entry["created_at"].endswith(("Z", "+00:00"))


async def test_admin_suspends_verified_seller_then_reinstates_it(
    app: FastAPI, client: AsyncClient
) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_verified_seller(client, owner, admin)

    suspended = await change_seller_status(
        client, admin, seller["id"], "suspend", reason="Keluhan pembeli berulang"
    )
    reinstated = await change_seller_status(
        client, admin, seller["id"], "verify", reason="Keluhan selesai"
    )

    assert suspended["status"] == "suspended"
    assert suspended["status_reason"] == "Keluhan pembeli berulang"
    assert reinstated["status"] == "verified"
    entries = await audit_entries(client, admin, target_type="seller", target_id=seller["id"])
    # newest first
    assert [(e["action"], e["before"], e["after"], e["reason"]) for e in entries] == [
        ("seller.verify", {"status": "suspended"}, {"status": "verified"}, "Keluhan selesai"),
        (
            "seller.suspend",
            {"status": "verified"},
            {"status": "suspended"},
            "Keluhan pembeli berulang",
        ),
        ("seller.verify", {"status": "pending"}, {"status": "verified"}, None),
    ]


async def test_status_change_without_body_has_no_reason(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_seller(client, owner)

    response = await client.post(
        f"/api/v1/admin/sellers/{seller['id']}/verify", headers=admin.headers
    )

    assert response.status_code == 200
    assert response.json()["status_reason"] is None


async def test_blank_reason_is_422(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_seller(client, owner)

    response = await client.post(
        f"/api/v1/admin/sellers/{seller['id']}/reject", json={"reason": "  "}, headers=admin.headers
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "reason"]
    owner_view = await client.get(f"/api/v1/sellers/{seller['id']}", headers=owner.headers)
    assert owner_view.json()["status"] == "pending"


@pytest.mark.parametrize(
    ("start", "action"),
    [
        pytest.param("verified", "verify", id="verify-a-verified-seller"),
        pytest.param("verified", "reject", id="reject-a-verified-seller"),
        pytest.param("pending", "suspend", id="suspend-a-pending-seller"),
        pytest.param("rejected", "reject", id="reject-a-rejected-seller"),
        pytest.param("rejected", "suspend", id="suspend-a-rejected-seller"),
        pytest.param("suspended", "suspend", id="suspend-a-suspended-seller"),
        pytest.param("suspended", "reject", id="reject-a-suspended-seller"),
    ],
)
async def test_illegal_status_change_is_409_and_changes_nothing(
    app: FastAPI, client: AsyncClient, start: str, action: str
) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_seller(client, owner)
    setup = {
        "pending": [],
        "verified": ["verify"],
        "rejected": ["reject"],
        "suspended": ["verify", "suspend"],
    }[start]
    for step in setup:
        await change_seller_status(client, admin, seller["id"], step, reason=f"awal: {step}")
    before = (await client.get(f"/api/v1/sellers/{seller['id']}", headers=admin.headers)).json()
    entries_before = await audit_entries(
        client, admin, target_type="seller", target_id=seller["id"]
    )

    response = await client.post(
        f"/api/v1/admin/sellers/{seller['id']}/{action}",
        json={"reason": "tidak boleh"},
        headers=admin.headers,
    )

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 409
    assert problem["type"].endswith("seller-status-conflict")
    after = (await client.get(f"/api/v1/sellers/{seller['id']}", headers=admin.headers)).json()
    assert after == before
    assert after["status"] == start
    entries_after = await audit_entries(client, admin, target_type="seller", target_id=seller["id"])
    assert entries_after == entries_before


@pytest.mark.parametrize("action", ["verify", "reject", "suspend"])
@pytest.mark.parametrize(
    "seller_id", ["00000000-0000-7000-8000-000000000000", "bukan-uuid", "kim-lada-muntok"]
)
async def test_status_change_of_unknown_seller_is_404(
    app: FastAPI, client: AsyncClient, action: str, seller_id: str
) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    await create_seller(client, owner, name="KIM Lada Muntok")

    response = await client.post(
        f"/api/v1/admin/sellers/{seller_id}/{action}", headers=admin.headers
    )

    assert response.status_code == 404
    assert response.json()["type"].endswith("seller-not-found")


async def test_admin_lists_pending_queue(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    await create_verified_seller(client, owner, admin, name="KIM Lada Muntok")
    await create_seller(client, owner, name="UMKM Terasi Toboali")
    await create_seller(client, owner, name="KIM Kopi Manggar")
    rejected = await create_seller(client, owner, name="Koperasi Batik")
    await change_seller_status(client, admin, rejected["id"], "reject", reason="Tidak lengkap")

    pending = await client.get(
        "/api/v1/admin/sellers", params={"status": "pending"}, headers=admin.headers
    )
    rejected_list = await client.get(
        "/api/v1/admin/sellers", params={"status": "rejected"}, headers=admin.headers
    )
    everything = await client.get("/api/v1/admin/sellers", headers=admin.headers)

    assert pending.status_code == 200
    assert [(s["name"], s["status"]) for s in pending.json()["items"]] == [
        ("KIM Kopi Manggar", "pending"),
        ("UMKM Terasi Toboali", "pending"),
    ]
    assert pending.json()["next_cursor"] is None
    assert [(s["name"], s["status_reason"]) for s in rejected_list.json()["items"]] == [
        ("Koperasi Batik", "Tidak lengkap")
    ]
    assert len(everything.json()["items"]) == 4


async def test_admin_queue_pages_with_cursor(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    for name in ("Kopi A", "Kopi B", "Kopi C"):
        await create_seller(client, owner, name=name)

    first = await client.get(
        "/api/v1/admin/sellers", params={"status": "pending", "limit": 2}, headers=admin.headers
    )
    second = await client.get(
        "/api/v1/admin/sellers",
        params={"status": "pending", "limit": 2, "cursor": first.json()["next_cursor"]},
        headers=admin.headers,
    )

    assert [s["name"] for s in first.json()["items"]] == ["Kopi A", "Kopi B"]
    assert [s["name"] for s in second.json()["items"]] == ["Kopi C"]
    assert second.json()["next_cursor"] is None


async def test_unknown_status_filter_is_422(app: FastAPI, client: AsyncClient) -> None:
    admin = await create_admin(app, client)

    response = await client.get(
        "/api/v1/admin/sellers", params={"status": "aktif"}, headers=admin.headers
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "status"]


async def test_non_admin_cannot_use_admin_seller_routes(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    seller = await create_seller(client, owner)

    queue = await client.get("/api/v1/admin/sellers", headers=owner.headers)
    verify_own = await client.post(
        f"/api/v1/admin/sellers/{seller['id']}/verify", headers=owner.headers
    )
    audit = await client.get("/api/v1/admin/audit-log", headers=owner.headers)

    assert queue.status_code == 403
    assert verify_own.status_code == 403
    assert audit.status_code == 403
    own_view = await client.get(f"/api/v1/sellers/{seller['id']}", headers=owner.headers)
    assert own_view.json()["status"] == "pending"


async def test_audit_log_pages_newest_first(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    sellers = [await create_seller(client, owner, name=f"Kopi {n}") for n in range(3)]
    for seller in sellers:
        await change_seller_status(client, admin, seller["id"], "verify")

    first = await client.get("/api/v1/admin/audit-log", params={"limit": 2}, headers=admin.headers)
    second = await client.get(
        "/api/v1/admin/audit-log",
        params={"limit": 2, "cursor": first.json()["next_cursor"]},
        headers=admin.headers,
    )
    bad = await client.get(
        "/api/v1/admin/audit-log", params={"cursor": "rusak"}, headers=admin.headers
    )

    targets = [e["target_id"] for e in first.json()["items"] + second.json()["items"]]
    assert targets == [sellers[2]["id"], sellers[1]["id"], sellers[0]["id"]]
    assert second.json()["next_cursor"] is None
    assert bad.status_code == 422
