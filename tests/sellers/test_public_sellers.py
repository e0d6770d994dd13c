"""GET /sellers and GET /sellers/{id_or_slug}: what anyone may see of sellers."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from marketplace.core.pagination import CursorCodec
from tests.conftest import TEST_SECRET_KEY
from tests.factories import (
    Account,
    add_member,
    change_seller_status,
    create_account,
    create_admin,
    create_seller,
    create_verified_seller,
)


async def _walk_pages(client: AsyncClient, params: dict[str, Any]) -> list[list[str]]:
    """Follow ``next_cursor`` to the end; the names on each page."""
    pages: list[list[str]] = []
    cursor: str | None = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/api/v1/sellers", params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append([item["name"] for item in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages
        assert len(pages) < 20, "pagination does not end"


async def test_public_list_shows_only_verified_sellers_by_name(
    app: FastAPI, client: AsyncClient
) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    await create_verified_seller(client, owner, admin, name="UMKM Terasi Toboali")
    await create_verified_seller(client, owner, admin, name="KIM Kopi Manggar")
    await create_seller(client, owner, name="KIM Kemplang Sungailiat")  # stays pending
    rejected = await create_seller(client, owner, name="Koperasi Batik Cual")
    await change_seller_status(client, admin, rejected["id"], "reject", reason="Dokumen kurang")

    response = await client.get("/api/v1/sellers")

    assert response.status_code == 200
    body = response.json()
    assert [item["name"] for item in body["items"]] == ["KIM Kopi Manggar", "UMKM Terasi Toboali"]
    assert {item["status"] for item in body["items"]} == {"verified"}
    assert body["next_cursor"] is None
    assert "status_reason" not in body["items"][0]


async def test_public_list_filters_by_region(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    await create_verified_seller(client, owner, admin, name="KIM Lada Muntok", region_code="19.05")
    await create_verified_seller(client, owner, admin, name="Batik Cual", region_code="19.02")
    await create_verified_seller(client, owner, admin, name="Kopi Tanjung", region_code="19.02")

    response = await client.get("/api/v1/sellers", params={"region": "19.02"})

    assert response.status_code == 200
    items = response.json()["items"]
    assert [(item["name"], item["region_code"]) for item in items] == [
        ("Batik Cual", "19.02"),
        ("Kopi Tanjung", "19.02"),
    ]


async def test_public_list_filters_by_name_fragment_case_insensitively(
    app: FastAPI, client: AsyncClient
) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    await create_verified_seller(client, owner, admin, name="KIM Lada Muntok")
    await create_verified_seller(client, owner, admin, name="Lada Putih Mentok")
    await create_verified_seller(client, owner, admin, name="UMKM Madu Pelawan")
    await create_verified_seller(client, owner, admin, name="Toko 100% Lada")

    lada = await client.get("/api/v1/sellers", params={"q": "LADA"})
    percent = await client.get("/api/v1/sellers", params={"q": "0%"})
    nothing = await client.get("/api/v1/sellers", params={"q": "durian"})

    assert [item["name"] for item in lada.json()["items"]] == [
        "KIM Lada Muntok",
        "Lada Putih Mentok",
        "Toko 100% Lada",
    ]
    # '%' is matched literally, not as a wildcard
    assert [item["name"] for item in percent.json()["items"]] == ["Toko 100% Lada"]
    assert nothing.json() == {"items": [], "next_cursor": None}


async def test_keyset_pages_walk_every_verified_seller_once(
    app: FastAPI, client: AsyncClient
) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    # Three sellers share a name, so the page boundary must fall between equal names.
    names = ["Kopi A", "Kopi B", "Kopi B", "Kopi B", "Kopi C", "Kopi D", "Kopi E"]
    for name in names:
        await create_verified_seller(client, owner, admin, name=name)
    await create_seller(client, owner, name="Kopi Baru")  # pending, never listed

    pages = await _walk_pages(client, {"limit": 2})

    assert pages == [
        ["Kopi A", "Kopi B"],
        ["Kopi B", "Kopi B"],
        ["Kopi C", "Kopi D"],
        ["Kopi E"],
    ]
    slugs: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = (await client.get("/api/v1/sellers", params=params)).json()
        slugs += [item["slug"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(slugs) == 7
    assert len(set(slugs)) == 7


async def test_cursor_stays_valid_when_sellers_are_added_before_it(
    app: FastAPI, client: AsyncClient
) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    for name in ("Kopi B", "Kopi C", "Kopi D"):
        await create_verified_seller(client, owner, admin, name=name)
    first = (await client.get("/api/v1/sellers", params={"limit": 2})).json()

    await create_verified_seller(client, owner, admin, name="Kopi A")
    second = await client.get(
        "/api/v1/sellers", params={"limit": 2, "cursor": first["next_cursor"]}
    )

    assert [item["name"] for item in first["items"]] == ["Kopi B", "Kopi C"]
    assert [item["name"] for item in second.json()["items"]] == ["Kopi D"]
    assert second.json()["next_cursor"] is None


async def test_filters_apply_on_every_page(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    for name in ("Lada 1", "Lada 2", "Lada 3"):
        await create_verified_seller(client, owner, admin, name=name, region_code="19.05")
    await create_verified_seller(client, owner, admin, name="Lada 4", region_code="19.01")

    pages = await _walk_pages(client, {"limit": 2, "region": "19.05", "q": "lada"})

    assert pages == [["Lada 1", "Lada 2"], ["Lada 3"]]


def _tampered(cursor: str) -> str:
    """The same signature over a different payload: what an edited cursor looks like."""
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    signature, payload = raw[:12], raw[12:]
    edited = payload.replace(b"Kopi", b"Kopa")
    assert edited != payload
    return base64.urlsafe_b64encode(signature + edited).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param("garbage", id="garbage"),
        pytest.param("!!!", id="not-base64"),
        pytest.param("zeros", id="all-zero-signature-and-no-payload"),
        pytest.param("tampered", id="tampered"),
        pytest.param("other-list", id="cursor-of-another-list"),
        pytest.param("wrong-shape", id="signed-but-wrong-shape"),
    ],
)
async def test_bad_cursor_is_422_problem(app: FastAPI, client: AsyncClient, cursor: str) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    for name in ("Kopi A", "Kopi B"):
        await create_verified_seller(client, owner, admin, name=name)
    good = (await client.get("/api/v1/sellers", params={"limit": 1})).json()["next_cursor"]
    sent = {
        "tampered": _tampered(good),
        "other-list": CursorCodec(TEST_SECRET_KEY, purpose="audit").encode(["Kopi A", "x"]),
        "wrong-shape": CursorCodec(TEST_SECRET_KEY, purpose="sellers").encode(["Kopi A"]),
        "zeros": "AAAAAAAAAAAAAAAA",
    }.get(cursor, cursor)

    response = await client.get("/api/v1/sellers", params={"limit": 1, "cursor": sent})

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert problem["errors"] == [
        {"loc": ["query", "cursor"], "msg": "invalid cursor", "type": "invalid_cursor"}
    ]


@pytest.mark.parametrize("limit", ["0", "101", "-1", "dua"])
async def test_limit_outside_1_to_100_is_422(client: AsyncClient, limit: str) -> None:
    response = await client.get("/api/v1/sellers", params={"limit": limit})

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [error["loc"] for error in response.json()["errors"]] == [["query", "limit"]]


@pytest.mark.parametrize("limit", [1, 100])
async def test_limit_at_bounds_is_accepted(client: AsyncClient, limit: int) -> None:
    response = await client.get("/api/v1/sellers", params={"limit": limit})

    assert response.status_code == 200
    assert response.json() == {"items": [], "next_cursor": None}


async def test_verified_seller_profile_is_public_by_id_and_by_slug(
    app: FastAPI, client: AsyncClient
) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_verified_seller(
        client, owner, admin, name="KIM Lada Muntok", description="Lada putih."
    )

    by_id = await client.get(f"/api/v1/sellers/{seller['id']}")
    by_slug = await client.get("/api/v1/sellers/kim-lada-muntok")

    assert by_id.status_code == 200
    assert by_slug.status_code == 200
    assert by_id.json() == by_slug.json()
    profile = by_id.json()
    assert profile["id"] == seller["id"]
    assert profile["slug"] == "kim-lada-muntok"
    assert profile["status"] == "verified"
    assert profile["description"] == "Lada putih."
    assert "status_reason" not in profile


@pytest.mark.parametrize(
    "id_or_slug",
    ["tidak-ada", "00000000-0000-0000-0000-000000000000", "0192f8a0-zzzz"],
)
async def test_unknown_seller_profile_is_404(client: AsyncClient, id_or_slug: str) -> None:
    response = await client.get(f"/api/v1/sellers/{id_or_slug}")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def _pending_seller_with_reason(
    app: FastAPI, client: AsyncClient
) -> tuple[Account, Account, dict[str, Any]]:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_seller(client, owner, name="KIM Kopi Manggar")
    return owner, admin, seller


async def test_pending_seller_is_hidden_from_anonymous_and_strangers(
    app: FastAPI, client: AsyncClient
) -> None:
    _, _, seller = await _pending_seller_with_reason(app, client)
    stranger = await create_account(client)

    for path in (f"/api/v1/sellers/{seller['id']}", "/api/v1/sellers/kim-kopi-manggar"):
        anonymous = await client.get(path)
        other_user = await client.get(path, headers=stranger.headers)

        assert anonymous.status_code == 404
        assert other_user.status_code == 404
        # the same answer as for a seller that does not exist: nothing leaks
        assert anonymous.json()["type"] == other_user.json()["type"]
        assert anonymous.json()["type"].endswith("seller-not-found")


async def test_members_and_admins_see_pending_seller_with_status_reason(
    app: FastAPI, client: AsyncClient
) -> None:
    owner, admin, seller = await _pending_seller_with_reason(app, client)
    staff = await create_account(client)
    await add_member(client, owner, seller["id"], staff.email)

    for viewer in (owner, staff, admin):
        response = await client.get("/api/v1/sellers/kim-kopi-manggar", headers=viewer.headers)

        assert response.status_code == 200
        assert response.json()["status"] == "pending"
        assert response.json()["status_reason"] is None


async def test_owner_reads_reason_of_rejection(app: FastAPI, client: AsyncClient) -> None:
    owner, admin, seller = await _pending_seller_with_reason(app, client)
    await change_seller_status(client, admin, seller["id"], "reject", reason="NIB tidak terbaca")

    response = await client.get(f"/api/v1/sellers/{seller['id']}", headers=owner.headers)
    anonymous = await client.get(f"/api/v1/sellers/{seller['id']}")

    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["status_reason"] == "NIB tidak terbaca"
    assert anonymous.status_code == 404


async def test_suspended_seller_disappears_from_public_list_and_profile(
    app: FastAPI, client: AsyncClient
) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_verified_seller(client, owner, admin, name="UMKM Terasi Toboali")
    await create_verified_seller(client, owner, admin, name="KIM Lada Muntok")
    assert (await client.get(f"/api/v1/sellers/{seller['id']}")).status_code == 200

    await change_seller_status(client, admin, seller["id"], "suspend", reason="Keluhan pembeli")

    listed = (await client.get("/api/v1/sellers")).json()["items"]
    assert [item["name"] for item in listed] == ["KIM Lada Muntok"]
    assert (await client.get(f"/api/v1/sellers/{seller['id']}")).status_code == 404
    assert (await client.get("/api/v1/sellers/umkm-terasi-toboali")).status_code == 404
    own_view = await client.get(f"/api/v1/sellers/{seller['id']}", headers=owner.headers)
    assert own_view.json()["status"] == "suspended"
    assert own_view.json()["status_reason"] == "Keluhan pembeli"
