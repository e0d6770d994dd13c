"""The seller console's team: members and their roles; owners invite by e-mail (the invitee
gets a code) and remove members after confirming; anyone accepts a code they were sent."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from marketplace.consoles import labels
from marketplace.consoles.seller_access import SELLER_HOME, Desk, FormDesk, SellerDesk
from marketplace.consoles.web import CheckedForm, ConsoleRoute, confirmation_needed
from marketplace.core.errors import AppError
from marketplace.core.i18n import N_
from marketplace.db.session import DbSession
from marketplace.sellers import invitations
from marketplace.sellers import service as sellers_service
from marketplace.sellers.models import MemberRole
from marketplace.sellers.schemas import MemberCreate

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
ShortText = Annotated[str, Form(max_length=300)]


async def _team_context(session: AsyncSession, desk: SellerDesk) -> dict[str, Any]:
    return {
        "desk": desk,
        "here": "team",
        "members": await sellers_service.list_members(session, desk.seller),
        "role_options": [(r.value, desk.console.text(labels.MEMBER_ROLE[r])) for r in MemberRole],
    }


@router.get("/penjual/{seller_id}/tim")
async def team_page(desk: Desk, session: DbSession) -> Response:
    context = await _team_context(session, desk)
    return desk.console.render("seller/team.html", values={"role": "staff"}, **context)


@router.post("/penjual/{seller_id}/tim/undang")
async def invite(
    desk: FormDesk, session: DbSession, email: ShortText = "", role: ShortText = ""
) -> Response:
    desk.require_owner()
    values = {"email": email.strip(), "role": role}
    context = await _team_context(session, desk)
    try:
        data = MemberCreate.model_validate(values)
        await invitations.invite_member(
            session, desk.console.settings, desk.seller, desk.console.user, data
        )
    except (AppError, ValidationError) as problem:
        raise desk.console.form_failed(
            "seller/team.html", problem, values=values, **context
        ) from problem
    return desk.console.redirect(
        desk.path("tim"), success=N_("Invitation sent to %(email)s."), email=email
    )


@router.post("/penjual/{seller_id}/tim/{user_id}/keluarkan")
async def remove(desk: FormDesk, session: DbSession, user_id: str) -> Response:
    desk.require_owner()
    members = await sellers_service.list_members(session, desk.seller)
    member = next((m for m in members if str(m.user_id) == user_id), None)
    asked = confirmation_needed(
        desk.console,
        await desk.console.request.form(),
        N_("Remove %(name)s from the team? They can no longer manage this shop."),
        back=desk.console.url(desk.path("tim")),
        name=member.full_name if member else user_id,
    )
    if asked is not None:
        return asked
    context = await _team_context(session, desk)
    try:
        await sellers_service.remove_member(session, desk.seller, user_id)
    except AppError as problem:
        raise desk.console.form_failed(
            "seller/team.html", problem, values={"role": "staff"}, **context
        ) from problem
    return desk.console.redirect(desk.path("tim"), success=N_("Member removed."))


@router.post("/penjual/undangan")
async def accept_invitation(
    console: CheckedForm, session: DbSession, code: ShortText = ""
) -> Response:
    """The code from the invitation e-mail makes the signed-in person a member."""
    try:
        await invitations.accept_invitation(session, console.user, code.strip())
    except AppError as problem:
        memberships = await sellers_service.list_memberships_of_user(session, console.user.id)
        raise console.form_failed(
            "seller/start.html", problem, memberships=memberships, values={"code": code}
        ) from problem
    return console.redirect(SELLER_HOME, success=N_("You have joined the shop."))
