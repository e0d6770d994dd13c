"""Review routes: buyers review, sellers reply, admins hide, anyone reads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Path, Query, UploadFile, status

from marketplace.accounts.dependencies import AdminUser, CurrentUser, OptionalUser
from marketplace.catalog.dependencies import ProductById, Storage
from marketplace.core.dependencies import AppSettings, cursor_codec
from marketplace.core.errors import problem_responses
from marketplace.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, CursorCodec
from marketplace.core.schemas import Page
from marketplace.db.session import DbSession
from marketplace.orders.dependencies import OrderToken
from marketplace.reviews import service
from marketplace.reviews.schemas import (
    ReplyCreate,
    ReviewCreate,
    ReviewHide,
    ReviewPhotoRead,
    ReviewRead,
)

router = APIRouter(tags=["reviews"])
ReviewIdPath = Annotated[str, Path(max_length=100)]


@router.post(
    "/products/{product_id}/reviews",
    status_code=status.HTTP_201_CREATED,
    response_model=ReviewRead,
    responses=problem_responses(403, 404, 409, 422),
)
async def create_review(
    body: ReviewCreate,
    access: ProductById,
    viewer: OptionalUser,
    session: DbSession,
    storage: Storage,
    order_token: OrderToken = None,
) -> ReviewRead:
    """The buyer of a delivered seller-order holding the product (signed in, or a guest with
    ``X-Order-Token``), once per seller-order and product. Text that screening flags waits
    for an admin (``status: in_review``) and counts in the rating once approved."""
    review = await service.create_review(session, viewer, order_token, access.product.id, body)
    return await service.read_one(session, storage, review)


@router.get(
    "/products/{product_id}/reviews",
    response_model=Page[ReviewRead],
    responses=problem_responses(404, 422),
)
async def list_reviews(
    access: ProductById,
    session: DbSession,
    storage: Storage,
    codec: Annotated[CursorCodec, Depends(cursor_codec("reviews"))],
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Page[ReviewRead]:
    """Visible reviews, newest first."""
    return await service.list_reviews(
        session, storage, codec, access.product.id, limit=limit, cursor=cursor
    )


@router.post(
    "/reviews/{review_id}/photos",
    status_code=status.HTTP_201_CREATED,
    response_model=ReviewPhotoRead,
    responses=problem_responses(404, 409, 413, 415, 422),
)
async def add_photo(
    review_id: ReviewIdPath,
    file: Annotated[UploadFile, File(description="JPEG, PNG or WebP, at most 10 MB")],
    viewer: OptionalUser,
    session: DbSession,
    settings: AppSettings,
    storage: Storage,
    order_token: OrderToken = None,
) -> ReviewPhotoRead:
    """Up to 3 photos, by the review's author; stored re-encoded as WebP with a thumbnail."""
    raw = await file.read(settings.max_upload_bytes + 1)
    return await service.add_photo(session, storage, settings, viewer, order_token, review_id, raw)


@router.post(
    "/reviews/{review_id}/reply",
    response_model=ReviewRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def reply(
    review_id: ReviewIdPath,
    body: ReplyCreate,
    user: CurrentUser,
    session: DbSession,
    storage: Storage,
) -> ReviewRead:
    """The seller's members reply once."""
    review = await service.reply(session, user, review_id, body.text)
    return await service.read_one(session, storage, review)


@router.post(
    "/admin/reviews/{review_id}/hide",
    response_model=ReviewRead,
    responses=problem_responses(401, 403, 404, 422),
    tags=["admin"],
)
async def hide_review(
    review_id: ReviewIdPath,
    body: ReviewHide,
    admin: AdminUser,
    session: DbSession,
    storage: Storage,
) -> ReviewRead:
    """Hidden with a reason; it leaves the product's rating."""
    review = await service.hide(session, admin, review_id, body.reason)
    return await service.read_one(session, storage, review)
