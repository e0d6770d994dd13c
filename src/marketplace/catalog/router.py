"""/regions, /categories and /admin/categories."""

from __future__ import annotations

from fastapi import APIRouter, status

from marketplace.accounts.dependencies import AdminUser
from marketplace.audit import service as audit_service
from marketplace.catalog import service
from marketplace.catalog.schemas import CategoryCreate, CategoryRead, RegionRead
from marketplace.core.errors import problem_responses
from marketplace.db.session import DbSession

router = APIRouter(tags=["catalog"])


@router.get("/regions", response_model=list[RegionRead])
async def list_regions(session: DbSession) -> list[RegionRead]:
    """The regencies and cities of Kepulauan Bangka Belitung, by Kemendagri code."""
    return [RegionRead.model_validate(region) for region in await service.list_regions(session)]


@router.get("/categories", response_model=list[CategoryRead])
async def list_categories(session: DbSession) -> list[CategoryRead]:
    """The category tree, flat: each category names its parent's slug."""
    return await service.list_categories(session)


@router.post(
    "/admin/categories",
    status_code=status.HTTP_201_CREATED,
    response_model=CategoryRead,
    responses=problem_responses(401, 403, 409, 422),
    tags=["admin"],
)
async def create_category(
    body: CategoryCreate, admin: AdminUser, session: DbSession
) -> CategoryRead:
    category = await service.create_category(session, body)
    await audit_service.record_admin_action(
        session,
        actor_id=admin.id,
        action="category.create",
        target_type="category",
        target_id=category.slug,
        after=category.model_dump(),
    )
    return category
