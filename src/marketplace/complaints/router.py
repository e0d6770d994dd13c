"""/seller-orders/{id}/complaints, /complaints/{id}/answer, /sellers/{id}/complaints and the
admins' /admin/complaints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from marketplace.accounts.dependencies import AdminUser, CurrentUser, OptionalUser
from marketplace.complaints import service
from marketplace.complaints.models import ComplaintStatus
from marketplace.complaints.schemas import (
    ComplaintAnswer,
    ComplaintCreate,
    ComplaintRead,
    ComplaintResolve,
)
from marketplace.core.dependencies import cursor_codec
from marketplace.core.errors import problem_responses
from marketplace.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, CursorCodec
from marketplace.core.schemas import Page
from marketplace.db.session import DbSession
from marketplace.orders.dependencies import OrderToken
from marketplace.payments.dependencies import Payments
from marketplace.sellers.dependencies import SellerById
from marketplace.sellers.models import MemberRole

router = APIRouter(tags=["complaints"])
admin_router = APIRouter(prefix="/admin", tags=["admin"])
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
CursorParam = Annotated[str | None, Query(max_length=500)]
StatusFilter = Annotated[ComplaintStatus | None, Query(alias="status")]
Codec = Annotated[CursorCodec, Depends(cursor_codec("complaints"))]


@router.post(
    "/seller-orders/{seller_order_id}/complaints",
    status_code=status.HTTP_201_CREATED,
    response_model=ComplaintRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def open_complaint(
    seller_order_id: str,
    body: ComplaintCreate,
    viewer: OptionalUser,
    session: DbSession,
    token: OrderToken = None,
) -> ComplaintRead:
    """The buyer (bearer token or ``X-Order-Token``) complains about a shipped or delivered
    seller-order not yet settled; its money stays held until an admin resolves it."""
    complaint = await service.open_complaint(session, viewer, token, seller_order_id, body)
    return ComplaintRead.model_validate(complaint)


@router.get(
    "/seller-orders/{seller_order_id}/complaints",
    response_model=list[ComplaintRead],
    responses=problem_responses(401, 404),
)
async def read_complaints(
    seller_order_id: str, viewer: OptionalUser, session: DbSession, token: OrderToken = None
) -> list[ComplaintRead]:
    """The seller-order's complaint, if any: for its buyer, its seller's members and admins."""
    complaints = await service.complaints_of_seller_order(session, viewer, token, seller_order_id)
    return [ComplaintRead.model_validate(complaint) for complaint in complaints]


@router.post(
    "/complaints/{complaint_id}/answer",
    response_model=ComplaintRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def answer_complaint(
    complaint_id: str, body: ComplaintAnswer, user: CurrentUser, session: DbSession
) -> ComplaintRead:
    """A member of the seller answers an open complaint; the buyer is e-mailed the answer."""
    complaint = await service.answer_complaint(session, user, complaint_id, body)
    return ComplaintRead.model_validate(complaint)


@router.get(
    "/sellers/{seller_id}/complaints",
    response_model=Page[ComplaintRead],
    responses=problem_responses(401, 403, 404, 422),
)
async def list_seller_complaints(
    user: CurrentUser,
    seller_access: SellerById,
    session: DbSession,
    codec: Codec,
    status_filter: StatusFilter = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: CursorParam = None,
) -> Page[ComplaintRead]:
    """Complaints about the seller's orders, newest first."""
    seller = seller_access.require(MemberRole.OWNER, MemberRole.STAFF, admin=True)
    return await service.complaint_page(
        session, codec, seller_id=seller.id, status=status_filter, limit=limit, cursor=cursor
    )


@admin_router.get(
    "/complaints", response_model=Page[ComplaintRead], responses=problem_responses(401, 403, 422)
)
async def list_complaints(
    admin: AdminUser,
    session: DbSession,
    codec: Codec,
    status_filter: StatusFilter = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: CursorParam = None,
) -> Page[ComplaintRead]:
    """Every complaint, newest first; ``status=open`` is the queue to work through."""
    return await service.complaint_page(
        session, codec, seller_id=None, status=status_filter, limit=limit, cursor=cursor
    )


@admin_router.post(
    "/complaints/{complaint_id}/resolve",
    response_model=ComplaintRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def resolve_complaint(
    complaint_id: str,
    body: ComplaintResolve,
    admin: AdminUser,
    session: DbSession,
    payments: Payments,
) -> ComplaintRead:
    """``refund`` gives back everything paid for the seller-order and not yet refunded,
    ``partial_refund`` gives back ``amount``, ``release`` pays the seller; either way the
    seller-order then settles. Refunds go through the original payment method (a Stripe
    refund, or a recorded manual refund for transfer and cash)."""
    complaint = await service.resolve_complaint(session, payments, admin, complaint_id, body)
    return ComplaintRead.model_validate(complaint)
