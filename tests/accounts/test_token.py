"""POST /auth/token: the OAuth2 password flow, and its limits on guessing."""

from __future__ import annotations

import uuid
from typing import Any

import jwt
from httpx import AsyncClient, Response

from tests.conftest import TEST_SECRET_KEY
from tests.factories import DEFAULT_PASSWORD, register, unique_email

WRONG_PASSWORD = "salah-sandi-2026"


async def request_token(client: AsyncClient, email: str, password: str) -> Response:
    return await client.post("/api/v1/auth/token", data={"username": email, "password": password})


def without_request_id(problem: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in problem.items() if key != "request_id"}


def retry_after_seconds(response: Response) -> int:
    seconds = int(response.headers["retry-after"])
    assert 0 < seconds <= 15 * 60
    return seconds


async def test_good_credentials_give_a_bearer_token_pair(client: AsyncClient) -> None:
    user = await register(client, email="siti@contoh.id")

    response = await request_token(client, "siti@contoh.id", DEFAULT_PASSWORD)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert len(body["refresh_token"]) >= 43
    claims = jwt.decode(
        body["access_token"], TEST_SECRET_KEY, algorithms=["HS256"], audience="marketplace-api"
    )
    assert uuid.UUID(claims["sub"]) == uuid.UUID(user["id"])
    assert claims["exp"] - claims["iat"] == 900


async def test_token_response_is_not_cached(client: AsyncClient) -> None:
    await register(client, email="siti@contoh.id")

    response = await request_token(client, "siti@contoh.id", DEFAULT_PASSWORD)

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"


async def test_email_is_matched_whatever_its_letter_case(client: AsyncClient) -> None:
    await register(client, email="siti@contoh.id")

    response = await request_token(client, "SITI@Contoh.ID", DEFAULT_PASSWORD)

    assert response.status_code == 200


async def test_two_sign_ins_give_different_token_pairs(client: AsyncClient) -> None:
    await register(client, email="siti@contoh.id")

    first = (await request_token(client, "siti@contoh.id", DEFAULT_PASSWORD)).json()
    second = (await request_token(client, "siti@contoh.id", DEFAULT_PASSWORD)).json()

    assert first["access_token"] != second["access_token"]
    assert first["refresh_token"] != second["refresh_token"]


async def test_wrong_password_answers_401_problem(client: AsyncClient) -> None:
    await register(client, email="siti@contoh.id")

    response = await request_token(client, "siti@contoh.id", WRONG_PASSWORD)

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "Bearer"
    assert without_request_id(response.json()) == {
        "type": "/problems/invalid-credentials",
        "title": "Email atau kata sandi salah",
        "status": 401,
        "detail": "Email atau kata sandi tidak cocok dengan akun mana pun.",
    }


async def test_unknown_email_answers_the_same_401_as_a_wrong_password(
    client: AsyncClient,
) -> None:
    await register(client, email="siti@contoh.id")
    wrong_password = await request_token(client, "siti@contoh.id", WRONG_PASSWORD)

    unknown_email = await request_token(client, "tidak.ada@contoh.id", DEFAULT_PASSWORD)

    assert unknown_email.status_code == 401
    assert without_request_id(unknown_email.json()) == without_request_id(wrong_password.json())


async def test_missing_form_fields_answer_422(client: AsyncClient) -> None:
    response = await client.post("/api/v1/auth/token", data={})

    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["errors"]] == [
        ["body", "username"],
        ["body", "password"],
    ]


async def test_credentials_sent_as_json_instead_of_a_form_answer_422(client: AsyncClient) -> None:
    await register(client, email="siti@contoh.id")

    response = await client.post(
        "/api/v1/auth/token", json={"username": "siti@contoh.id", "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 422


async def test_sixth_attempt_after_five_failures_answers_429_even_with_the_right_password(
    client: AsyncClient,
) -> None:
    await register(client, email="siti@contoh.id")
    failures = [await request_token(client, "siti@contoh.id", WRONG_PASSWORD) for _ in range(5)]

    response = await request_token(client, "siti@contoh.id", DEFAULT_PASSWORD)

    assert [failure.status_code for failure in failures] == [401] * 5
    assert response.status_code == 429
    assert response.headers["content-type"] == "application/problem+json"
    seconds = retry_after_seconds(response)
    assert without_request_id(response.json()) == {
        "type": "/problems/too-many-requests",
        "title": "Terlalu banyak permintaan",
        "status": 429,
        "detail": f"Terlalu banyak percobaan. Coba lagi dalam {seconds} detik.",
    }


async def test_locked_account_is_locked_whatever_the_letter_case_of_its_email(
    client: AsyncClient,
) -> None:
    await register(client, email="siti@contoh.id")
    for _ in range(5):
        await request_token(client, "siti@contoh.id", WRONG_PASSWORD)

    response = await request_token(client, "Siti@Contoh.ID", DEFAULT_PASSWORD)

    assert response.status_code == 429


async def test_locked_account_does_not_lock_another_account_at_the_same_address(
    client: AsyncClient,
) -> None:
    await register(client, email="siti@contoh.id")
    await register(client, email="budi@contoh.id")
    for _ in range(5):
        await request_token(client, "siti@contoh.id", WRONG_PASSWORD)

    response = await request_token(client, "budi@contoh.id", DEFAULT_PASSWORD)

    assert response.status_code == 200


async def test_successful_sign_in_forgives_the_earlier_failures_of_the_account(
    client: AsyncClient,
) -> None:
    await register(client, email="siti@contoh.id")
    for _ in range(4):
        await request_token(client, "siti@contoh.id", WRONG_PASSWORD)
    assert (await request_token(client, "siti@contoh.id", DEFAULT_PASSWORD)).status_code == 200

    later_failures = [
        await request_token(client, "siti@contoh.id", WRONG_PASSWORD) for _ in range(4)
    ]
    response = await request_token(client, "siti@contoh.id", DEFAULT_PASSWORD)

    assert [failure.status_code for failure in later_failures] == [401] * 4
    assert response.status_code == 200


async def test_thirty_failures_on_other_emails_do_not_lock_a_different_user_at_that_address(
    client: AsyncClient,
) -> None:
    # Issue 10: "30 failures from one address locked out a different user" (a whole office or
    # a mobile carrier's shared address). Attempts are counted per account and address.
    await register(client, email="siti@contoh.id")
    failures = [
        await request_token(client, unique_email("guess"), WRONG_PASSWORD) for _ in range(30)
    ]

    response = await request_token(client, "siti@contoh.id", DEFAULT_PASSWORD)

    assert {failure.status_code for failure in failures} == {401}
    assert response.status_code == 200
