"""POST /auth/refresh: rotation, and a reused token revoking its family."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from httpx import AsyncClient, Response
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.accounts.models import RefreshToken, User
from marketplace.core.security import hash_opaque_token
from marketplace.db.base import utcnow
from tests.factories import create_account, sign_in


async def refresh(client: AsyncClient, refresh_token: str) -> Response:
    return await client.post("/api/v1/auth/refresh", json={"refresh_token": refresh_token})


async def family_of(
    sessionmaker: async_sessionmaker[AsyncSession], refresh_token: str
) -> list[RefreshToken]:
    async with sessionmaker() as session:
        token = await session.scalar(
            select(RefreshToken).where(RefreshToken.token_hash == hash_opaque_token(refresh_token))
        )
        assert token is not None
        rows = await session.scalars(
            select(RefreshToken).where(RefreshToken.family_id == token.family_id)
        )
        return list(rows)


def assert_invalid_refresh_token(response: Response) -> None:
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "Bearer"
    body = response.json()
    assert body["type"] == "/problems/invalid-refresh-token"
    assert body["title"] == "Token penyegar tidak valid"
    assert body["status"] == 401


async def test_refresh_returns_a_new_working_pair(client: AsyncClient) -> None:
    account = await create_account(client)

    response = await refresh(client, account.refresh_token)

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    pair = response.json()
    assert pair["token_type"] == "bearer"
    assert pair["expires_in"] == 900
    assert pair["refresh_token"] != account.refresh_token
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {pair['access_token']}"})
    assert me.status_code == 200
    assert me.json()["id"] == account.id


async def test_each_new_refresh_token_refreshes_again(client: AsyncClient) -> None:
    account = await create_account(client)

    second = (await refresh(client, account.refresh_token)).json()["refresh_token"]
    third = await refresh(client, second)

    assert third.status_code == 200


async def test_refresh_token_used_twice_revokes_its_family(
    client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(client)
    rotated = (await refresh(client, account.refresh_token)).json()["refresh_token"]

    replay = await refresh(client, account.refresh_token)

    assert_invalid_refresh_token(replay)
    assert_invalid_refresh_token(await refresh(client, rotated))
    # The revocation was committed although the replaying request failed.
    family = await family_of(sessionmaker, rotated)
    assert len(family) == 2
    assert all(token.revoked_at is not None for token in family)


async def test_reused_refresh_token_leaves_the_other_sign_ins_alone(client: AsyncClient) -> None:
    account = await create_account(client)
    phone = await sign_in(client, account.email)
    await refresh(client, account.refresh_token)

    await refresh(client, account.refresh_token)

    assert (await refresh(client, phone["refresh_token"])).status_code == 200


async def test_refresh_token_sent_twice_at_once_is_spent_once(
    client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(client)

    responses = await asyncio.gather(
        refresh(client, account.refresh_token), refresh(client, account.refresh_token)
    )

    assert sorted(response.status_code for response in responses) == [200, 401]
    family = await family_of(sessionmaker, account.refresh_token)
    assert sum(token.used_at is not None for token in family) == 1


async def test_garbage_refresh_token_answers_401(client: AsyncClient) -> None:
    await create_account(client)

    response = await refresh(client, "bukan-token-yang-sah")

    assert_invalid_refresh_token(response)


async def test_expired_refresh_token_answers_401(
    client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(client)
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(RefreshToken)
            .where(RefreshToken.token_hash == hash_opaque_token(account.refresh_token))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )

    response = await refresh(client, account.refresh_token)

    assert_invalid_refresh_token(response)


async def test_refresh_token_of_a_deactivated_user_answers_401(
    client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(client)
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(User).where(User.id == uuid.UUID(account.id)).values(is_active=False)
        )

    response = await refresh(client, account.refresh_token)

    assert_invalid_refresh_token(response)


async def test_refresh_without_a_token_answers_422(client: AsyncClient) -> None:
    empty = await client.post("/api/v1/auth/refresh", json={"refresh_token": ""})
    missing = await client.post("/api/v1/auth/refresh", json={})
    too_long = await client.post("/api/v1/auth/refresh", json={"refresh_token": "x" * 201})

    for response in (empty, missing, too_long):
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "refresh_token"]
