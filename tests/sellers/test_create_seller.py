"""POST /sellers: a signed-in user registers a seller and becomes its owner."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import create_account, create_admin, create_seller


async def test_user_creates_seller_that_starts_pending_with_slug_from_name(
    client: AsyncClient,
) -> None:
    owner = await create_account(client)

    response = await client.post(
        "/api/v1/sellers",
        json={
            "name": "KIM Lada Muntok",
            "kind": "community_group",
            "region_code": "19.05",
            "description": "Petani lada putih Muntok.",
            "whatsapp": "0812-7000-1234",
            "address": "Jl. Jenderal Sudirman 1, Muntok",
        },
        headers=owner.headers,
    )

    assert response.status_code == 201
    seller = response.json()
    assert seller["slug"] == "kim-lada-muntok"
    assert seller["status"] == "pending"
    assert seller["status_reason"] is None
    assert seller["name"] == "KIM Lada Muntok"
    assert seller["kind"] == "community_group"
    assert seller["region_code"] == "19.05"
    assert seller["description"] == "Petani lada putih Muntok."
    assert seller["whatsapp"] == "+6281270001234"
    assert seller["address"] == "Jl. Jenderal Sudirman 1, Muntok"
    assert seller["created_at"].endswith(("Z", "+00:00"))


async def test_second_seller_with_same_name_gets_numbered_slug(client: AsyncClient) -> None:
    first_owner = await create_account(client)
    second_owner = await create_account(client)
    await create_seller(client, first_owner, name="KIM Lada Muntok")

    second = await create_seller(client, second_owner, name="KIM Lada Muntok")
    third = await create_seller(client, second_owner, name="kim  lada  MUNTOK!")

    assert second["slug"] == "kim-lada-muntok-2"
    assert third["slug"] == "kim-lada-muntok-3"


async def test_creator_becomes_owner_listed_in_me(client: AsyncClient) -> None:
    owner = await create_account(client)
    seller = await create_seller(client, owner, name="UMKM Madu Pelawan")

    response = await client.get("/api/v1/me", headers=owner.headers)

    assert response.status_code == 200
    assert response.json()["sellers"] == [
        {
            "id": seller["id"],
            "slug": "umkm-madu-pelawan",
            "name": "UMKM Madu Pelawan",
            "role": "owner",
        }
    ]


async def test_anonymous_cannot_create_seller(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/sellers",
        json={"name": "KIM Lada Muntok", "kind": "umkm", "region_code": "19.05"},
    )

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "Bearer"


async def test_unknown_region_code_is_rejected_on_region_field(client: AsyncClient) -> None:
    owner = await create_account(client)

    response = await client.post(
        "/api/v1/sellers",
        json={"name": "KIM Lada Muntok", "kind": "umkm", "region_code": "19.99"},
        headers=owner.headers,
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert problem["type"].endswith("validation-error")
    assert [error["loc"] for error in problem["errors"]] == [["body", "region_code"]]
    assert problem["errors"][0]["type"] == "unknown_region"


VALID_BODY: dict[str, Any] = {"name": "KIM Lada Muntok", "kind": "umkm", "region_code": "19.05"}


@pytest.mark.parametrize(
    ("body", "bad_field"),
    [
        pytest.param({**VALID_BODY, "kind": "perseroan"}, "kind", id="unknown-kind"),
        pytest.param({"kind": "umkm", "region_code": "19.05"}, "name", id="missing-name"),
        pytest.param({**VALID_BODY, "name": "   "}, "name", id="blank-name"),
        pytest.param({**VALID_BODY, "name": "L" * 121}, "name", id="name-121-chars"),
        pytest.param({**VALID_BODY, "verified": True}, "verified", id="extra-field"),
        pytest.param(
            {**VALID_BODY, "whatsapp": "+60 12-345 6789"}, "whatsapp", id="malaysian-phone"
        ),
        pytest.param({**VALID_BODY, "whatsapp": "12345678"}, "whatsapp", id="phone-without-prefix"),
        pytest.param({**VALID_BODY, "region_code": "Bangka"}, "region_code", id="malformed-region"),
    ],
)
async def test_invalid_seller_body_is_422_and_creates_nothing(
    app: FastAPI, client: AsyncClient, body: dict[str, Any], bad_field: str
) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)

    response = await client.post("/api/v1/sellers", json=body, headers=owner.headers)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [error["loc"] for error in response.json()["errors"]] == [["body", bad_field]]
    me = (await client.get("/api/v1/me", headers=owner.headers)).json()
    assert me["sellers"] == []
    everything = await client.get("/api/v1/admin/sellers", headers=admin.headers)
    assert everything.json() == {"items": [], "next_cursor": None}


async def test_name_of_exactly_120_characters_is_accepted(client: AsyncClient) -> None:
    owner = await create_account(client)

    seller = await create_seller(client, owner, name="L" * 120)

    assert seller["name"] == "L" * 120
    assert seller["slug"] == "l" * 80


async def test_second_seller_with_a_120_character_name_gets_a_slug_that_fits(
    client: AsyncClient,
) -> None:
    # Issue 10: on PostgreSQL the second one's slug ("...-2") overflowed varchar(80): a 500.
    owner = await create_account(client)
    name = "Kelompok Informasi Masyarakat Lada Putih Muntok Sejahtera " * 3

    first = await create_seller(client, owner, name=name[:120])
    second = await create_seller(client, owner, name=name[:120])

    assert len(first["slug"]) <= 80
    assert second["slug"].endswith("-2")
    assert len(second["slug"]) <= 80
    assert second["slug"][:-2] == first["slug"][: len(second["slug"]) - 2]
