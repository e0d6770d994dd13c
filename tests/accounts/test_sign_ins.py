"""Sign-ins end at once: logout, a reused refresh token, a password reset or change; the codes
e-mailed for a reset or an address confirmation are single use and stored only hashed."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.accounts.models import AccountToken, AccountTokenPurpose
from marketplace.db.base import utcnow
from marketplace.db.session import begin_write_transaction
from tests.factories import (
    DEFAULT_PASSWORD,
    create_account,
    emailed_code,
    register,
    sign_in,
)

NEW_PASSWORD = "lada-putih-muntok-77"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def me_status(client: AsyncClient, access_token: str) -> int:
    return (await client.get("/api/v1/me", headers=bearer(access_token))).status_code


async def test_reused_refresh_token_ends_both_access_tokens_of_its_sign_in_at_once(
    client: AsyncClient,
) -> None:
    # Issue 10: after the family was revoked both access tokens still read /me.
    account = await create_account(client)
    rotated = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": account.refresh_token}
    )
    assert rotated.status_code == 200
    second_access = rotated.json()["access_token"]

    reuse = await client.post("/api/v1/auth/refresh", json={"refresh_token": account.refresh_token})

    assert reuse.status_code == 401
    assert await me_status(client, account.access_token) == 401
    assert await me_status(client, second_access) == 401


async def test_logout_ends_that_sign_in_only(client: AsyncClient) -> None:
    account = await create_account(client)
    other_device = await sign_in(client, account.email)

    response = await client.post(
        "/api/v1/auth/logout",
        json={"refresh_token": account.refresh_token},
        headers=account.headers,
    )

    assert response.status_code == 204
    assert await me_status(client, account.access_token) == 401
    refresh = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": account.refresh_token}
    )
    assert refresh.status_code == 401
    assert await me_status(client, other_device["access_token"]) == 200


async def test_logout_with_someone_elses_refresh_token_ends_nothing(client: AsyncClient) -> None:
    siti = await create_account(client)
    budi = await create_account(client)

    response = await client.post(
        "/api/v1/auth/logout", json={"refresh_token": budi.refresh_token}, headers=siti.headers
    )

    assert response.status_code == 204
    assert await me_status(client, budi.access_token) == 200


async def test_password_reset_is_202_for_unknown_and_known_addresses_alike(
    client: AsyncClient,
) -> None:
    account = await create_account(client)

    known = await client.post("/api/v1/auth/password-reset", json={"email": account.email})
    unknown = await client.post(
        "/api/v1/auth/password-reset", json={"email": "tidak-ada@contoh.id"}
    )

    assert (known.status_code, unknown.status_code) == (202, 202)
    assert known.content == unknown.content == b""


async def test_password_reset_code_sets_the_password_once_and_ends_every_sign_in(
    client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(client)
    await client.post("/api/v1/auth/password-reset", json={"email": account.email})
    code = await emailed_code(client, account.email, "password_reset")

    confirmed = await client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": code, "password": NEW_PASSWORD}
    )
    replayed = await client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": code, "password": "lain-lagi-2026!"}
    )

    assert confirmed.status_code == 204
    assert replayed.status_code == 422
    assert replayed.json()["errors"][0]["loc"] == ["body", "token"]
    assert await me_status(client, account.access_token) == 401
    old = await client.post(
        "/api/v1/auth/token", data={"username": account.email, "password": DEFAULT_PASSWORD}
    )
    assert old.status_code == 401
    assert (await sign_in(client, account.email, NEW_PASSWORD))["access_token"]
    async with sessionmaker() as session:
        stored = (
            await session.scalars(
                select(AccountToken.token_hash).where(
                    AccountToken.purpose == AccountTokenPurpose.PASSWORD_RESET
                )
            )
        ).all()
    assert code not in stored
    [digest] = stored
    assert len(digest) == 64


async def test_password_reset_code_older_than_30_minutes_is_refused(
    client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(client)
    await client.post("/api/v1/auth/password-reset", json={"email": account.email})
    code = await emailed_code(client, account.email, "password_reset")
    reset = AccountToken.purpose == AccountTokenPurpose.PASSWORD_RESET
    async with sessionmaker() as session:
        await begin_write_transaction(session)
        created = await session.scalar(select(AccountToken.created_at).where(reset))
        lifetime = await session.scalar(select(AccountToken.expires_at).where(reset))
        assert created is not None
        assert lifetime is not None
        assert lifetime - created == timedelta(minutes=30)
        await session.execute(
            update(AccountToken).where(reset).values(expires_at=utcnow() - timedelta(1))
        )
        await session.commit()

    response = await client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": code, "password": NEW_PASSWORD}
    )

    assert response.status_code == 422
    assert await me_status(client, account.access_token) == 200


async def test_email_confirmation_code_works_once(client: AsyncClient) -> None:
    user = await register(client)
    code = await emailed_code(client, user["email"], "verify_email")

    first = await client.post("/api/v1/auth/verify-email", json={"token": code})
    second = await client.post("/api/v1/auth/verify-email", json={"token": code})

    assert (first.status_code, second.status_code) == (204, 422)
    tokens = await sign_in(client, user["email"])
    me = (await client.get("/api/v1/me", headers=bearer(tokens["access_token"]))).json()
    assert me["email_verified"] is True


async def test_change_password_keeps_this_sign_in_and_ends_the_others(client: AsyncClient) -> None:
    account = await create_account(client)
    other_device = await sign_in(client, account.email)

    wrong = await client.post(
        "/api/v1/me/password",
        json={"current_password": "bukan-sandinya-2026", "new_password": NEW_PASSWORD},
        headers=account.headers,
    )
    changed = await client.post(
        "/api/v1/me/password",
        json={"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
        headers=account.headers,
    )

    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["loc"] == ["body", "current_password"]
    assert changed.status_code == 204
    assert await me_status(client, account.access_token) == 200
    assert await me_status(client, other_device["access_token"]) == 401
    assert (await sign_in(client, account.email, NEW_PASSWORD))["access_token"]


async def test_change_password_to_a_common_one_is_422_naming_new_password(
    client: AsyncClient,
) -> None:
    account = await create_account(client)

    response = await client.post(
        "/api/v1/me/password",
        json={"current_password": DEFAULT_PASSWORD, "new_password": "password123"},
        headers=account.headers,
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "new_password"]


async def test_unconfirmed_address_cannot_create_a_seller_until_confirmed(
    app: FastAPI, client: AsyncClient
) -> None:
    account = await create_account(client, verified=False)
    body = {"name": "KIM Lada Muntok", "kind": "umkm", "region_code": "19.05"}

    refused = await client.post("/api/v1/sellers", json=body, headers=account.headers)
    code = await emailed_code(client, account.email, "verify_email")
    await client.post("/api/v1/auth/verify-email", json={"token": code})
    allowed = await client.post("/api/v1/sellers", json=body, headers=account.headers)

    assert refused.status_code == 403
    assert refused.json()["type"].endswith("email-not-verified")
    assert allowed.status_code == 201
