"""GET /me, and which access tokens open it."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from httpx import AsyncClient, Response
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.accounts.models import User
from tests.conftest import TEST_SECRET_KEY
from tests.factories import (
    Account,
    add_member,
    create_account,
    create_seller,
    register,
    sign_in,
)


def claims_for(account: Account, *, expires_in: timedelta = timedelta(minutes=5)) -> dict[str, Any]:
    """Claims for ``account``'s live sign-in (the ``sid`` of the token it was given)."""
    now = datetime.now(UTC)
    sign_in = jwt.decode(account.access_token, options={"verify_signature": False})["sid"]
    return {
        "sub": account.id,
        "sid": sign_in,
        "aud": "marketplace-api",
        "iat": now,
        "exp": now + expires_in,
    }


def signed(claims: dict[str, Any], secret: str = TEST_SECRET_KEY) -> str:
    return jwt.encode(claims, secret, algorithm="HS256")


def unsigned(claims: dict[str, Any]) -> str:
    """A token with ``alg: none`` and no signature, written by hand."""

    def part(value: dict[str, Any]) -> str:
        raw = json.dumps(value, default=lambda moment: int(moment.timestamp())).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


async def read_me(client: AsyncClient, token: str) -> Response:
    return await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def assert_unauthorized(response: Response) -> None:
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "Bearer"
    body = response.json()
    assert body["type"] == "/problems/unauthorized"
    assert body["title"] == "Perlu masuk"
    assert body["detail"] == "Token akses tidak ada, tidak valid, atau kedaluwarsa."


async def test_me_shows_the_profile_of_the_signed_in_user(client: AsyncClient) -> None:
    user = await register(
        client, email="rina@contoh.id", full_name="Rina Wati", phone="+62 812 1111 2222"
    )
    tokens = await sign_in(client, "rina@contoh.id")

    response = await read_me(client, tokens["access_token"])

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == user["id"]
    assert body["email"] == "rina@contoh.id"
    assert body["full_name"] == "Rina Wati"
    assert body["phone"] == "+6281211112222"
    assert body["is_admin"] is False
    assert body["sellers"] == []
    assert "password_hash" not in body


async def test_me_without_a_token_answers_401_asking_for_a_bearer_token(
    client: AsyncClient,
) -> None:
    response = await client.get("/api/v1/me")

    assert_unauthorized(response)


async def test_me_with_basic_credentials_answers_401(client: AsyncClient) -> None:
    account = await create_account(client)
    basic = base64.b64encode(f"{account.email}:{account.password}".encode()).decode()

    response = await client.get("/api/v1/me", headers={"Authorization": f"Basic {basic}"})

    assert_unauthorized(response)


async def test_me_accepts_a_token_signed_with_the_server_secret(client: AsyncClient) -> None:
    account = await create_account(client)

    response = await read_me(client, signed(claims_for(account)))

    assert response.status_code == 200
    assert response.json()["id"] == account.id


async def test_me_with_an_expired_access_token_answers_401(client: AsyncClient) -> None:
    account = await create_account(client)
    expired = signed(claims_for(account, expires_in=timedelta(seconds=-1)))

    response = await read_me(client, expired)

    assert_unauthorized(response)


async def test_me_with_a_token_signed_by_another_secret_answers_401(client: AsyncClient) -> None:
    account = await create_account(client)
    forged = signed(claims_for(account), secret="another-secret-that-is-long-enough-000")

    response = await read_me(client, forged)

    assert_unauthorized(response)


async def test_me_with_an_unsigned_alg_none_token_answers_401(client: AsyncClient) -> None:
    account = await create_account(client)

    response = await read_me(client, unsigned(claims_for(account)))

    assert_unauthorized(response)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"aud": "another-api"}, id="other-audience"),
        pytest.param({"aud": None}, id="no-audience"),
        pytest.param({"exp": None}, id="no-expiry"),
        pytest.param({"sub": "bukan-uuid"}, id="subject-not-a-uuid"),
        pytest.param({"sub": str(uuid.uuid4())}, id="unknown-user"),
    ],
)
async def test_me_with_a_token_of_wrong_claims_answers_401(
    client: AsyncClient, change: dict[str, Any]
) -> None:
    account = await create_account(client)
    claims = {**claims_for(account), **change}
    claims = {name: value for name, value in claims.items() if value is not None}

    response = await read_me(client, signed(claims))

    assert_unauthorized(response)


async def test_me_with_a_mangled_token_answers_401(client: AsyncClient) -> None:
    account = await create_account(client)

    response = await read_me(client, account.access_token[:-4] + "AAAA")

    assert_unauthorized(response)


async def test_access_token_of_a_deactivated_user_answers_401(
    client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(client)
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(User).where(User.id == uuid.UUID(account.id)).values(is_active=False)
        )

    response = await client.get("/api/v1/me", headers=account.headers)

    assert_unauthorized(response)


async def test_me_lists_the_sellers_of_the_user_with_the_role_there(client: AsyncClient) -> None:
    rina = await create_account(client, email="rina@contoh.id")
    other_owner = await create_account(client)
    own = await create_seller(client, rina, name="KIM Lada Muntok")
    joined = await create_seller(client, other_owner, name="Koperasi Kopi Manggar")
    await add_member(client, other_owner, joined["id"], "rina@contoh.id", role="staff")

    response = await client.get("/api/v1/me", headers=rina.headers)

    assert response.status_code == 200
    sellers = sorted(response.json()["sellers"], key=lambda seller: seller["name"])
    assert sellers == [
        {"id": own["id"], "slug": own["slug"], "name": "KIM Lada Muntok", "role": "owner"},
        {
            "id": joined["id"],
            "slug": joined["slug"],
            "name": "Koperasi Kopi Manggar",
            "role": "staff",
        },
    ]
