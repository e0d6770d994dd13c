"""/sellers/{id}/members: owners manage who acts for their seller."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import (
    add_member,
    create_account,
    create_admin,
    create_verified_seller,
    emailed_code,
)


async def test_owner_invites_staff_who_joins_by_accepting(
    app: FastAPI, client: AsyncClient
) -> None:
    owner = await create_account(client)
    staff = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_verified_seller(client, owner, admin, name="KIM Lada Muntok")

    invited = await client.post(
        f"/api/v1/sellers/{seller['id']}/members",
        json={"email": staff.email.upper(), "role": "staff"},
        headers=owner.headers,
    )
    before_accepting = (await client.get("/api/v1/me", headers=staff.headers)).json()
    code = await emailed_code(client, invited.json()["email"], "seller_invitation")
    accepted = await client.post(
        "/api/v1/invitations/accept", json={"token": code}, headers=staff.headers
    )

    assert invited.status_code == 201
    assert invited.json()["email"].lower() == staff.email
    assert (invited.json()["role"], invited.json()["status"]) == ("staff", "invited")
    assert before_accepting["sellers"] == []
    assert accepted.status_code == 200
    member = accepted.json()
    assert member["user_id"] == staff.id
    assert member["email"] == staff.email
    assert member["full_name"] == "Siti Aminah"
    assert member["role"] == "staff"
    me = (await client.get("/api/v1/me", headers=staff.headers)).json()
    assert me["sellers"] == [
        {"id": seller["id"], "slug": "kim-lada-muntok", "name": "KIM Lada Muntok", "role": "staff"}
    ]


async def test_members_list_shows_owner_then_staff(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    staff = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_verified_seller(client, owner, admin)
    await add_member(client, owner, seller["id"], staff.email)

    for viewer in (owner, staff, admin):
        response = await client.get(
            f"/api/v1/sellers/{seller['id']}/members", headers=viewer.headers
        )

        assert response.status_code == 200
        assert [(m["user_id"], m["role"]) for m in response.json()] == [
            (owner.id, "owner"),
            (staff.id, "staff"),
        ]


async def test_inviting_an_unregistered_email_answers_like_a_registered_one(
    app: FastAPI, client: AsyncClient
) -> None:
    # Issue 10: the answer must not tell an owner which addresses have accounts.
    owner = await create_account(client)
    registered = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_verified_seller(client, owner, admin)

    answers = [
        await client.post(
            f"/api/v1/sellers/{seller['id']}/members",
            json={"email": email, "role": "staff"},
            headers=owner.headers,
        )
        for email in ("belum-daftar@contoh.id", registered.email)
    ]

    assert [answer.status_code for answer in answers] == [201, 201]
    assert [set(answer.json()) for answer in answers] == [{"email", "role", "status"}] * 2
    assert await emailed_code(client, "belum-daftar@contoh.id", "seller_invitation")


async def test_adding_existing_member_again_is_409(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    staff = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_verified_seller(client, owner, admin)
    await add_member(client, owner, seller["id"], staff.email)

    again = await client.post(
        f"/api/v1/sellers/{seller['id']}/members",
        json={"email": staff.email, "role": "owner"},
        headers=owner.headers,
    )
    owner_self = await client.post(
        f"/api/v1/sellers/{seller['id']}/members",
        json={"email": owner.email, "role": "staff"},
        headers=owner.headers,
    )

    assert again.status_code == 409
    assert again.json()["type"].endswith("already-member")
    assert owner_self.status_code == 409
    members = (
        await client.get(f"/api/v1/sellers/{seller['id']}/members", headers=owner.headers)
    ).json()
    assert [(m["user_id"], m["role"]) for m in members] == [
        (owner.id, "owner"),
        (staff.id, "staff"),
    ]


async def test_staff_cannot_add_members(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    staff = await create_account(client)
    newcomer = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_verified_seller(client, owner, admin)
    await add_member(client, owner, seller["id"], staff.email)

    response = await client.post(
        f"/api/v1/sellers/{seller['id']}/members",
        json={"email": newcomer.email, "role": "staff"},
        headers=staff.headers,
    )

    assert response.status_code == 403
    assert (await client.get("/api/v1/me", headers=newcomer.headers)).json()["sellers"] == []


async def test_invalid_role_is_422(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    other = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_verified_seller(client, owner, admin)

    response = await client.post(
        f"/api/v1/sellers/{seller['id']}/members",
        json={"email": other.email, "role": "admin"},
        headers=owner.headers,
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "role"]


async def test_owner_removes_staff(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    staff = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_verified_seller(client, owner, admin)
    await add_member(client, owner, seller["id"], staff.email)

    response = await client.delete(
        f"/api/v1/sellers/{seller['id']}/members/{staff.id}", headers=owner.headers
    )

    assert response.status_code == 204
    assert response.content == b""
    assert (await client.get("/api/v1/me", headers=staff.headers)).json()["sellers"] == []
    again = await client.delete(
        f"/api/v1/sellers/{seller['id']}/members/{staff.id}", headers=owner.headers
    )
    assert again.status_code == 404


async def test_removing_the_last_owner_is_409(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_verified_seller(client, owner, admin)

    response = await client.delete(
        f"/api/v1/sellers/{seller['id']}/members/{owner.id}", headers=owner.headers
    )

    assert response.status_code == 409
    assert response.json()["type"].endswith("last-owner")
    me = (await client.get("/api/v1/me", headers=owner.headers)).json()
    assert [membership["role"] for membership in me["sellers"]] == ["owner"]


async def test_one_of_two_owners_may_leave(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    co_owner = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_verified_seller(client, owner, admin)
    await add_member(client, owner, seller["id"], co_owner.email, role="owner")

    response = await client.delete(
        f"/api/v1/sellers/{seller['id']}/members/{owner.id}", headers=co_owner.headers
    )

    assert response.status_code == 204
    members = (
        await client.get(f"/api/v1/sellers/{seller['id']}/members", headers=co_owner.headers)
    ).json()
    assert [(m["user_id"], m["role"]) for m in members] == [(co_owner.id, "owner")]


async def test_removing_unknown_or_malformed_user_is_404(app: FastAPI, client: AsyncClient) -> None:
    owner = await create_account(client)
    stranger = await create_account(client)
    admin = await create_admin(app, client)
    seller = await create_verified_seller(client, owner, admin)

    not_a_member = await client.delete(
        f"/api/v1/sellers/{seller['id']}/members/{stranger.id}", headers=owner.headers
    )
    not_a_uuid = await client.delete(
        f"/api/v1/sellers/{seller['id']}/members/bukan-uuid", headers=owner.headers
    )

    assert not_a_member.status_code == 404
    assert not_a_uuid.status_code == 404
