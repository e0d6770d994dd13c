"""Joining a seller's team: only the invited address, confirmed, and only once."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select

from marketplace.sellers.models import SellerInvitation
from tests.factories import (
    create_account,
    create_admin,
    create_verified_seller,
    invite_member,
)


async def accept(client: AsyncClient, code: str, headers: dict[str, str]) -> int:
    response = await client.post(
        "/api/v1/invitations/accept", json={"token": code}, headers=headers
    )
    return response.status_code


async def test_invitation_accepted_by_another_account_is_404_and_stays_open(
    app: FastAPI, client: AsyncClient
) -> None:
    owner, invited, intruder = [await create_account(client) for _ in range(3)]
    seller = await create_verified_seller(client, owner, await create_admin(app, client))
    code = await invite_member(client, owner, seller["id"], invited.email)

    assert await accept(client, code, intruder.headers) == 404
    assert await accept(client, code, invited.headers) == 200
    assert await accept(client, code, invited.headers) == 404


async def test_unconfirmed_invitee_cannot_join(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    invited = await create_account(client, verified=False)
    seller = await create_verified_seller(client, owner, await create_admin(app, client))
    code = await invite_member(client, owner, seller["id"], invited.email)

    status = await accept(client, code, invited.headers)

    assert status == 403
    members = await client.get(f"/api/v1/sellers/{seller['id']}/members", headers=owner.headers)
    assert [member["user_id"] for member in members.json()] == [owner.id]


async def test_invitation_code_is_emailed_and_only_its_digest_is_stored(
    app: FastAPI, client: AsyncClient
) -> None:
    owner = await create_account(client)
    seller = await create_verified_seller(client, owner, await create_admin(app, client))

    code = await invite_member(client, owner, seller["id"], "calon-staf@contoh.id")

    async with app.state.sessionmaker() as session:
        hashes = (await session.scalars(select(SellerInvitation.token_hash))).all()
    assert len(code) == 43
    assert code not in hashes
