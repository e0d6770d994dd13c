"""GET /categories and POST /admin/categories: the category tree."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import audit_entries, create_account, create_admin, create_category


async def test_categories_list_is_empty_before_any_is_created(client: AsyncClient) -> None:
    response = await client.get("/api/v1/categories")

    assert response.status_code == 200
    assert response.json() == []


async def test_categories_form_a_tree_by_parent_slug(app: FastAPI, client: AsyncClient) -> None:
    admin = await create_admin(app, client)
    await create_category(client, admin, slug="rempah", name="Rempah")
    await create_category(client, admin, slug="lada", name="Lada", parent="rempah")
    await create_category(client, admin, slug="lada-putih", name="Lada Putih", parent="lada")
    await create_category(client, admin, slug="kerajinan", name="Kerajinan")

    response = await client.get("/api/v1/categories")

    assert response.status_code == 200
    assert [(c["slug"], c["name"], c["parent"]) for c in response.json()] == [
        ("kerajinan", "Kerajinan", None),
        ("lada", "Lada", "rempah"),
        ("lada-putih", "Lada Putih", "lada"),
        ("rempah", "Rempah", None),
    ]


async def test_admin_creates_category_and_it_is_audited(app: FastAPI, client: AsyncClient) -> None:
    admin = await create_admin(app, client)
    await create_category(client, admin, slug="makanan", name="Makanan")

    response = await client.post(
        "/api/v1/admin/categories",
        json={"slug": "madu", "name": "Madu", "name_en": "Honey", "parent": "makanan"},
        headers=admin.headers,
    )

    assert response.status_code == 201
    assert response.json() == {
        "slug": "madu",
        "name": "Madu",
        "name_en": "Honey",
        "parent": "makanan",
        "halal_required": False,
    }
    [entry] = await audit_entries(client, admin, target_type="category", target_id="madu")
    assert entry["action"] == "category.create"
    assert entry["actor_id"] == admin.id
    assert entry["before"] is None
    assert entry["after"] == response.json()


async def test_duplicate_category_slug_is_409(app: FastAPI, client: AsyncClient) -> None:
    admin = await create_admin(app, client)
    await create_category(client, admin, slug="kopi", name="Kopi")

    response = await client.post(
        "/api/v1/admin/categories",
        json={"slug": "kopi", "name": "Kopi Lain"},
        headers=admin.headers,
    )

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("category-exists")
    categories = (await client.get("/api/v1/categories")).json()
    assert [(c["slug"], c["name"]) for c in categories] == [("kopi", "Kopi")]


async def test_unknown_parent_is_422_on_parent_field(app: FastAPI, client: AsyncClient) -> None:
    admin = await create_admin(app, client)

    response = await client.post(
        "/api/v1/admin/categories",
        json={"slug": "lada", "name": "Lada", "parent": "rempah"},
        headers=admin.headers,
    )

    assert response.status_code == 422
    assert [(e["loc"], e["type"]) for e in response.json()["errors"]] == [
        (["body", "parent"], "unknown_category")
    ]
    assert (await client.get("/api/v1/categories")).json() == []


@pytest.mark.parametrize(
    ("body", "bad_field"),
    [
        pytest.param({"slug": "Lada Putih", "name": "Lada Putih"}, "slug", id="slug-with-space"),
        pytest.param({"slug": "lada--putih", "name": "Lada"}, "slug", id="double-hyphen"),
        pytest.param({"slug": "-lada", "name": "Lada"}, "slug", id="leading-hyphen"),
        pytest.param({"slug": "lada_putih", "name": "Lada"}, "slug", id="underscore"),
        pytest.param({"slug": "l" * 81, "name": "Lada"}, "slug", id="slug-81-chars"),
        pytest.param({"slug": "lada"}, "name", id="missing-name"),
        pytest.param({"slug": "lada", "name": "L" * 121}, "name", id="name-121-chars"),
        pytest.param(
            {"slug": "lada", "name": "Lada", "parent": "Rempah!"}, "parent", id="bad-parent"
        ),
        pytest.param({"slug": "lada", "name": "Lada", "icon": "x"}, "icon", id="extra-field"),
    ],
)
async def test_invalid_category_is_422(
    app: FastAPI, client: AsyncClient, body: dict[str, Any], bad_field: str
) -> None:
    admin = await create_admin(app, client)

    response = await client.post("/api/v1/admin/categories", json=body, headers=admin.headers)

    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["errors"]] == [["body", bad_field]]
    assert (await client.get("/api/v1/categories")).json() == []


async def test_non_admin_cannot_create_category(client: AsyncClient) -> None:
    user = await create_account(client)

    response = await client.post(
        "/api/v1/admin/categories", json={"slug": "lada", "name": "Lada"}, headers=user.headers
    )

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert (await client.get("/api/v1/categories")).json() == []


async def test_anonymous_cannot_create_category(client: AsyncClient) -> None:
    response = await client.post("/api/v1/admin/categories", json={"slug": "lada", "name": "Lada"})

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert (await client.get("/api/v1/categories")).json() == []


async def test_category_slug_of_80_characters_is_created_and_audited(
    app: FastAPI, client: AsyncClient
) -> None:
    # Issue 10: on PostgreSQL a slug of 65-80 characters overflowed the audit log's varchar(64).
    admin = await create_admin(app, client)
    slug = "kerajinan-timah-dan-pewter-buatan-tangan-pengrajin-pangkalpinang-bangka"[:80]

    response = await client.post(
        "/api/v1/admin/categories", json={"slug": slug, "name": "Kerajinan"}, headers=admin.headers
    )

    assert response.status_code == 201, response.text
    audit = await client.get(
        "/api/v1/admin/audit-log", params={"target_id": slug}, headers=admin.headers
    )
    assert [entry["target_id"] for entry in audit.json()["items"]] == [slug]
