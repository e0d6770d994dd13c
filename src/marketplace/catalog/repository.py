"""SQL for regions and categories."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from marketplace.catalog.models import Category, Region


async def list_regions(session: AsyncSession) -> list[Region]:
    result = await session.execute(select(Region).order_by(Region.code))
    return list(result.scalars())


async def get_region(session: AsyncSession, code: str) -> Region | None:
    return await session.get(Region, code)


async def list_categories_with_parent_slug(
    session: AsyncSession,
) -> list[tuple[Category, str | None]]:
    parent = aliased(Category)
    result = await session.execute(
        select(Category, parent.slug)
        .outerjoin(parent, Category.parent_id == parent.id)
        .order_by(Category.slug)
    )
    return [(category, parent_slug) for category, parent_slug in result.all()]


async def get_category_by_slug(session: AsyncSession, slug: str) -> Category | None:
    result = await session.execute(select(Category).where(Category.slug == slug))
    return result.scalar_one_or_none()
