"""/featured (the public list) and /admin/featured (curation)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status

from marketplace.accounts.dependencies import AdminUser
from marketplace.catalog.dependencies import Storage
from marketplace.core.dependencies import cursor_codec
from marketplace.core.errors import problem_responses
from marketplace.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, CursorCodec
from marketplace.core.schemas import Page
from marketplace.db.session import DbSession
from marketplace.featured import service
from marketplace.featured.schemas import (
    FeaturedEntryCreate,
    FeaturedEntryRead,
    FeaturedEntryUpdate,
    FeaturedProduct,
)
from marketplace.featured.service import FeaturedQuery

router = APIRouter(tags=["featured"])
admin_router = APIRouter(prefix="/admin/featured", tags=["admin"])

FeaturedCursor = Annotated[CursorCodec, Depends(cursor_codec("featured"))]
EntriesCursor = Annotated[CursorCodec, Depends(cursor_codec("featured-entries"))]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
CursorParam = Annotated[str | None, Query(max_length=500)]
EntryId = Annotated[str, Path(max_length=100)]


@router.get("/featured", response_model=Page[FeaturedProduct], responses=problem_responses(422))
async def list_featured(
    session: DbSession,
    storage: Storage,
    codec: FeaturedCursor,
    region: Annotated[str | None, Query(max_length=13)] = None,
    category: Annotated[str | None, Query(max_length=80)] = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: CursorParam = None,
) -> Page[FeaturedProduct]:
    """Featured products showing now (inside their window, published by a verified seller),
    by position; ``category`` includes its subcategories."""
    query = FeaturedQuery(region=region, category=category, limit=limit, cursor=cursor)
    return await service.list_featured(session, storage, codec, query)


@admin_router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=FeaturedEntryRead,
    responses=problem_responses(401, 403, 409, 422),
)
async def create_entry(
    body: FeaturedEntryCreate, admin: AdminUser, session: DbSession
) -> FeaturedEntryRead:
    """Feature a product. An unknown ``product_id`` is a 422 (it names no product to
    feature); a product featured already is a 409."""
    return await service.create_entry(session, admin, body)


@admin_router.get(
    "", response_model=Page[FeaturedEntryRead], responses=problem_responses(401, 403, 422)
)
async def list_entries(
    admin: AdminUser,
    session: DbSession,
    codec: EntriesCursor,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: CursorParam = None,
) -> Page[FeaturedEntryRead]:
    """Every entry by position, with its state: ``active``, ``scheduled``, ``expired``, or
    ``hidden`` with the reason (its product is not published, its seller is not verified)."""
    return await service.list_entries(session, codec, limit=limit, cursor=cursor)


@admin_router.patch(
    "/{entry_id}",
    response_model=FeaturedEntryRead,
    responses=problem_responses(401, 403, 404, 422),
)
async def update_entry(
    entry_id: EntryId, body: FeaturedEntryUpdate, admin: AdminUser, session: DbSession
) -> FeaturedEntryRead:
    return await service.update_entry(session, admin, entry_id, body)


@admin_router.delete(
    "/{entry_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404),
)
async def delete_entry(entry_id: EntryId, admin: AdminUser, session: DbSession) -> Response:
    await service.delete_entry(session, admin, entry_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
