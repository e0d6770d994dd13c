"""Moderation routes: the admins' queue and decisions, takedowns, reports, review requests."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from marketplace.accounts.dependencies import AdminUser, CurrentUser
from marketplace.catalog import browsing, takedowns
from marketplace.catalog.dependencies import ProductById, Storage
from marketplace.catalog.schemas import ProductDetail
from marketplace.core.dependencies import AppSettings, ClientAddress, Limiter, cursor_codec
from marketplace.core.errors import TooManyRequests, problem_responses
from marketplace.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, CursorCodec
from marketplace.core.schemas import Page
from marketplace.db.session import DbSession
from marketplace.moderation import decisions, service
from marketplace.moderation.models import ItemKind, ItemStatus
from marketplace.moderation.schemas import (
    ItemDecision,
    ModerationItemRead,
    ProductRemoval,
    ReportCreate,
    ReportRead,
    ReviewRequest,
)

router = APIRouter(tags=["moderation"])
admin_router = APIRouter(prefix="/admin", tags=["admin"])
ProductIdPath = Annotated[str, Path(max_length=100)]


@admin_router.get(
    "/moderation",
    response_model=Page[ModerationItemRead],
    responses=problem_responses(401, 403, 422),
)
async def list_queue(
    admin: AdminUser,
    session: DbSession,
    codec: Annotated[CursorCodec, Depends(cursor_codec("moderation"))],
    status_filter: Annotated[ItemStatus | None, Query(alias="status")] = ItemStatus.OPEN,
    kind: ItemKind | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Page[ModerationItemRead]:
    """The review queue, newest first: open items unless ``status`` says otherwise, each with
    its reasons (``{code, detail}``) and, for a held edit, the diff against what is public."""
    return await service.list_queue(
        session, codec, status=status_filter, kind=kind, limit=limit, cursor=cursor
    )


@admin_router.post(
    "/moderation/{item_id}/decide",
    response_model=ModerationItemRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def decide(
    item_id: ProductIdPath, body: ItemDecision, admin: AdminUser, session: DbSession
) -> ModerationItemRead:
    """Approve or reject one queue item (a seller's new name, a flagged review, a report)."""
    return await decisions.decide(session, admin, item_id, body)


@admin_router.post(
    "/products/{product_id}/approve",
    response_model=ProductDetail,
    responses=problem_responses(401, 403, 404, 409),
)
async def approve_product(
    product_id: ProductIdPath, admin: AdminUser, session: DbSession, storage: Storage
) -> ProductDetail:
    """Publish a listing in review or taken down, apply its held edit and photos, lift an
    admin's archive; closes the listing's queue items."""
    access = await takedowns.approve_product(session, admin, product_id)
    return await browsing.product_detail(session, storage, access)


@admin_router.post(
    "/products/{product_id}/remove",
    response_model=ProductDetail,
    responses=problem_responses(401, 403, 404, 422),
)
async def remove_product(
    product_id: ProductIdPath,
    body: ProductRemoval,
    admin: AdminUser,
    session: DbSession,
    storage: Storage,
) -> ProductDetail:
    """Take a listing down; its seller's members are e-mailed the reason and cannot publish it
    again (409) until an admin approves it."""
    access = await takedowns.remove_product(session, admin, product_id, body.reason)
    return await browsing.product_detail(session, storage, access)


@router.post(
    "/products/{product_id}/review-request",
    status_code=status.HTTP_201_CREATED,
    response_model=ModerationItemRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def request_review(
    body: ReviewRequest, user: CurrentUser, access: ProductById, session: DbSession
) -> ModerationItemRead:
    """A member asks an admin to look at a taken-down listing again."""
    access.require_member()
    item = await takedowns.request_review(session, access, body)
    return service.item_read(item)


@router.post(
    "/products/{product_id}/reports",
    status_code=status.HTTP_201_CREATED,
    response_model=ReportRead,
    responses=problem_responses(404, 422, 429),
)
async def report_product(
    product_id: ProductIdPath,
    body: ReportCreate,
    session: DbSession,
    settings: AppSettings,
    limiter: Limiter,
    address: ClientAddress,
) -> ReportRead:
    """Anyone may report a public listing; it joins the review queue. Rate limited per address
    (``MARKETPLACE_PRODUCT_REPORTS_PER_ADDRESS``)."""
    limit = settings.product_reports_per_address
    wait = await limiter.retry_after(limit, "product-report", address)
    if wait:
        raise TooManyRequests(wait)
    report = await takedowns.report_product(session, product_id, body, address)
    await limiter.hit(limit, "product-report", address)
    return report
