"""/sellers and /admin/sellers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status

from marketplace.accounts.dependencies import AdminUser, CurrentUser
from marketplace.core.dependencies import AppSettings, cursor_codec
from marketplace.core.errors import problem_responses
from marketplace.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, CursorCodec
from marketplace.core.schemas import Page
from marketplace.db.session import DbSession
from marketplace.sellers import invitations, service
from marketplace.sellers.dependencies import SellerById, SellerByIdOrSlug
from marketplace.sellers.models import MemberRole, SellerStatus
from marketplace.sellers.schemas import (
    InvitationAccept,
    InvitationRead,
    MemberCreate,
    MemberRead,
    SellerCreate,
    SellerPrivateRead,
    SellerRead,
    SellerUpdate,
    StatusChange,
)

router = APIRouter(tags=["sellers"])
admin_router = APIRouter(prefix="/admin/sellers", tags=["admin"])

SellerCursor = Annotated[CursorCodec, Depends(cursor_codec("sellers"))]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
CursorParam = Annotated[str | None, Query(max_length=500)]


@router.post(
    "/sellers",
    status_code=status.HTTP_201_CREATED,
    response_model=SellerPrivateRead,
    responses=problem_responses(401, 403, 422),
)
async def create_seller(
    body: SellerCreate, user: CurrentUser, session: DbSession
) -> SellerPrivateRead:
    seller = await service.create_seller(session, user, body)
    return SellerPrivateRead.model_validate(seller)


@router.get("/sellers", response_model=Page[SellerRead], responses=problem_responses(422))
async def list_sellers(
    session: DbSession,
    codec: SellerCursor,
    region: Annotated[str | None, Query(max_length=13)] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: CursorParam = None,
) -> Page[SellerRead]:
    """Verified sellers by name, optionally in one region or matching ``q``."""
    return await service.list_public_sellers(
        session, codec, region_code=region, query=q, limit=limit, cursor=cursor
    )


@router.get(
    "/sellers/{id_or_slug}",
    response_model=SellerPrivateRead | SellerRead,
    responses=problem_responses(404),
)
async def read_seller(access: SellerByIdOrSlug) -> SellerPrivateRead | SellerRead:
    if access.sees_private_fields:
        return SellerPrivateRead.model_validate(access.seller)
    return SellerRead.model_validate(access.seller)


@router.patch(
    "/sellers/{seller_id}",
    response_model=SellerPrivateRead,
    responses=problem_responses(401, 403, 404, 422),
)
async def update_seller(
    body: SellerUpdate, user: CurrentUser, access: SellerById, session: DbSession
) -> SellerPrivateRead:
    """A verified seller's new name waits for an admin (``pending_name``); the public keeps
    seeing the name an admin checked."""
    access.require(MemberRole.OWNER, admin=True)
    seller = await service.update_seller(session, access, user, body)
    read = SellerPrivateRead.model_validate(seller)
    return read.model_copy(update={"pending_name": await service.pending_name(session, seller.id)})


@router.get(
    "/sellers/{seller_id}/members",
    response_model=list[MemberRead],
    responses=problem_responses(401, 403, 404),
)
async def list_members(
    user: CurrentUser, access: SellerById, session: DbSession
) -> list[MemberRead]:
    seller = access.require(MemberRole.OWNER, MemberRole.STAFF, admin=True)
    return await service.list_members(session, seller)


@router.post(
    "/sellers/{seller_id}/members",
    status_code=status.HTTP_201_CREATED,
    response_model=InvitationRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def invite_member(
    body: MemberCreate,
    user: CurrentUser,
    access: SellerById,
    session: DbSession,
    settings: AppSettings,
) -> InvitationRead:
    """E-mails an invitation; the same answer whether or not the address has an account.
    The person joins by accepting it (``POST /invitations/accept``)."""
    seller = access.require(MemberRole.OWNER)
    return await invitations.invite_member(session, settings, seller, user, body)


@router.post(
    "/invitations/accept",
    response_model=MemberRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def accept_invitation(
    body: InvitationAccept, user: CurrentUser, session: DbSession
) -> MemberRead:
    """Signed in with the invited (and confirmed) e-mail address; 404 for any other caller."""
    return await invitations.accept_invitation(session, user, body.token)


@router.delete(
    "/sellers/{seller_id}/members/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 409),
)
async def remove_member(
    user_id: Annotated[str, Path(max_length=100)],
    user: CurrentUser,
    access: SellerById,
    session: DbSession,
) -> Response:
    seller = access.require(MemberRole.OWNER)
    await service.remove_member(session, seller, user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@admin_router.get("", response_model=Page[SellerPrivateRead], responses=problem_responses(401, 403))
async def list_sellers_for_admin(
    admin: AdminUser,
    session: DbSession,
    codec: SellerCursor,
    status_filter: Annotated[SellerStatus | None, Query(alias="status")] = None,
    region: Annotated[str | None, Query(max_length=13)] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: CursorParam = None,
) -> Page[SellerPrivateRead]:
    """Every seller, e.g. ``status=pending`` for the verification queue."""
    sellers, next_cursor = await service.list_sellers(
        session,
        codec,
        statuses=(status_filter,) if status_filter else None,
        region_code=region,
        query=q,
        limit=limit,
        cursor=cursor,
    )
    return Page(
        items=[SellerPrivateRead.model_validate(s) for s in sellers], next_cursor=next_cursor
    )


def _status_route(target: SellerStatus, action: str) -> None:
    @admin_router.post(
        f"/{{seller_id}}/{action}",
        response_model=SellerPrivateRead,
        responses=problem_responses(401, 403, 404, 409, 422),
        name=f"{action}_seller",
        summary=f"{action.capitalize()} a seller",
    )
    async def change_status(
        seller_id: str,
        admin: AdminUser,
        session: DbSession,
        body: StatusChange | None = None,
    ) -> SellerPrivateRead:
        reason = body.reason if body else None
        seller = await service.change_status(session, admin, seller_id, target, reason)
        return SellerPrivateRead.model_validate(seller)


_status_route(SellerStatus.VERIFIED, "verify")
_status_route(SellerStatus.REJECTED, "reject")
_status_route(SellerStatus.SUSPENDED, "suspend")
