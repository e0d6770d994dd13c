"""POST /auth/register."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.accounts.models import User
from tests.factories import DEFAULT_PASSWORD, count_rows, register


async def test_register_answers_201_with_the_user_and_no_password(
    client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        json={
            "email": "siti.aminah@contoh.id",
            "password": DEFAULT_PASSWORD,
            "full_name": "  Siti Aminah  ",
            "phone": "0812-3456-7890",
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {
        "id",
        "email",
        "full_name",
        "phone",
        "language",
        "is_admin",
        "email_verified",
        "created_at",
    }
    assert body["email_verified"] is False
    assert uuid.UUID(body["id"])
    assert body["email"] == "siti.aminah@contoh.id"
    assert body["full_name"] == "Siti Aminah"
    assert body["phone"] == "+6281234567890"
    assert body["language"] == "id"
    assert body["is_admin"] is False
    assert datetime.fromisoformat(body["created_at"]).tzinfo is not None
    assert DEFAULT_PASSWORD not in response.text
    assert "argon2" not in response.text
    async with sessionmaker() as session:
        user = await session.scalar(select(User).where(User.id == uuid.UUID(body["id"])))
    assert user is not None
    assert user.password_hash.startswith("$argon2id$")
    assert user.email_normalized == "siti.aminah@contoh.id"


async def test_register_keeps_the_chosen_language(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        json={
            "email": "tourist@contoh.id",
            "password": DEFAULT_PASSWORD,
            "full_name": "Anna Berg",
            "language": "en",
        },
    )

    assert response.status_code == 201
    assert response.json()["language"] == "en"
    assert response.json()["phone"] is None


async def test_register_with_an_email_taken_in_other_letter_case_answers_409(
    client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await register(client, email="Dewi.Lestari@contoh.id")

    response = await client.post(
        "/api/v1/auth/register",
        json={"email": "DEWI.LESTARI@contoh.id", "password": "lain-lagi-2026", "full_name": "D"},
    )

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "/problems/email-taken"
    assert body["title"] == "Email sudah terdaftar"
    assert body["status"] == 409
    assert body["detail"] == "Sudah ada akun dengan email ini."
    assert await count_rows(sessionmaker, User) == 1


@pytest.mark.parametrize(
    ("password", "error_type"),
    [
        ("pendek-123", None),  # exactly 10 characters: accepted
        ("pendek123", "password_too_short"),
        ("password123", "password_too_common"),
        ("qwertyuiop", "password_too_common"),
        ("1234567890", "password_too_common"),
        ("Bismillah123", "password_too_common"),
        ("aaaaaaaaaaaa", "password_too_common"),
    ],
)
async def test_register_refuses_a_weak_password_with_422_on_the_password_field(
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    password: str,
    error_type: str | None,
) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": "budi@contoh.id", "password": password, "full_name": "Budi"},
    )

    if error_type is None:
        assert response.status_code == 201
        return
    assert response.status_code == 422
    body = response.json()
    assert body["type"] == "/problems/validation-error"
    assert len(body["errors"]) == 1
    assert body["errors"][0]["loc"] == ["body", "password"]
    assert body["errors"][0]["type"] == error_type
    assert await count_rows(sessionmaker, User) == 0


async def test_weak_password_message_names_the_minimum_length(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": "budi@contoh.id", "password": "pendek123", "full_name": "Budi"},
    )

    assert response.json()["errors"][0]["msg"] == "Kata sandi minimal 10 karakter."


VALID_BODY: dict[str, Any] = {
    "email": "rina@contoh.id",
    "password": DEFAULT_PASSWORD,
    "full_name": "Rina Wati",
}


@pytest.mark.parametrize(
    ("body", "locations"),
    [
        pytest.param(
            {},
            [["body", "email"], ["body", "password"], ["body", "full_name"]],
            id="missing-fields",
        ),
        pytest.param(
            {"email": 12345, "password": ["kopi"], "full_name": None},
            [["body", "email"], ["body", "password"], ["body", "full_name"]],
            id="wrong-types",
        ),
        pytest.param({**VALID_BODY, "email": "bukan-email"}, [["body", "email"]], id="bad-email"),
        pytest.param(
            {**VALID_BODY, "full_name": "S" * 121}, [["body", "full_name"]], id="name-121-chars"
        ),
        pytest.param({**VALID_BODY, "full_name": "   "}, [["body", "full_name"]], id="blank-name"),
        pytest.param(
            {**VALID_BODY, "password": "k" * 129}, [["body", "password"]], id="password-129-chars"
        ),
        pytest.param(
            {**VALID_BODY, "email": "a" * 60 + "@" + "b" * 229 + ".id"},
            [["body", "email"]],
            id="email-300-chars",
        ),
        pytest.param({**VALID_BODY, "is_admin": True}, [["body", "is_admin"]], id="unknown-field"),
        pytest.param({**VALID_BODY, "phone": "12345"}, [["body", "phone"]], id="bad-phone"),
        pytest.param({**VALID_BODY, "language": "fr"}, [["body", "language"]], id="bad-language"),
    ],
)
async def test_register_with_an_invalid_body_answers_422_and_creates_nothing(
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    body: dict[str, Any],
    locations: list[list[str]],
) -> None:
    response = await client.post("/api/v1/auth/register", json=body)

    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "/problems/validation-error"
    assert [error["loc"] for error in problem["errors"]] == locations
    assert await count_rows(sessionmaker, User) == 0


async def test_register_accepts_the_longest_allowed_name_and_password(
    client: AsyncClient,
) -> None:
    longest_password = ("lada-putih-muntok-" * 8)[:128]
    user = await register(client, full_name="S" * 120, password=longest_password)

    tokens = await client.post(
        "/api/v1/auth/token", data={"username": user["email"], "password": longest_password}
    )

    assert len(longest_password) == 128
    assert len(user["full_name"]) == 120
    assert tokens.status_code == 200


async def test_register_with_an_unknown_field_grants_nothing(
    client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    response = await client.post("/api/v1/auth/register", json={**VALID_BODY, "is_admin": True})

    assert response.status_code == 422
    assert response.json()["errors"][0]["type"] == "extra_forbidden"
    signing_in = await client.post(
        "/api/v1/auth/token", data={"username": VALID_BODY["email"], "password": DEFAULT_PASSWORD}
    )
    assert signing_in.status_code == 401
