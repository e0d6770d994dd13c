"""Rules of the catalog: regions and categories."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.catalog import repository
from marketplace.catalog.exceptions import CategoryExists
from marketplace.catalog.models import Category, Region
from marketplace.catalog.schemas import CategoryCreate, CategoryRead
from marketplace.core.errors import InvalidInput
from marketplace.core.i18n import translate


async def list_regions(session: AsyncSession) -> list[Region]:
    return await repository.list_regions(session)


async def require_region(session: AsyncSession, code: str, *, field: str = "region_code") -> Region:
    """The region with ``code``, or a 422 naming ``field``."""
    region = await repository.get_region(session, code)
    if region is None:
        message = translate("unknown-region", code=code)
        raise InvalidInput.for_field(["body", field], message, "unknown_region")
    return region


async def list_categories(session: AsyncSession) -> list[CategoryRead]:
    rows = await repository.list_categories_with_parent_slug(session)
    return [
        CategoryRead(
            slug=category.slug, name=category.name, name_en=category.name_en, parent=parent_slug
        )
        for category, parent_slug in rows
    ]


async def create_category(session: AsyncSession, data: CategoryCreate) -> CategoryRead:
    if await repository.get_category_by_slug(session, data.slug) is not None:
        raise CategoryExists(params={"slug": data.slug})
    parent = None
    if data.parent is not None:
        parent = await repository.get_category_by_slug(session, data.parent)
        if parent is None:
            message = translate("unknown-category", slug=data.parent)
            raise InvalidInput.for_field(["body", "parent"], message, "unknown_category")
    category = Category(
        slug=data.slug,
        name=data.name,
        name_en=data.name_en,
        parent_id=parent.id if parent else None,
    )
    session.add(category)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as error:
        raise CategoryExists(params={"slug": data.slug}) from error
    return CategoryRead(
        slug=category.slug, name=category.name, name_en=category.name_en, parent=data.parent
    )


async def move_seller_products(
    session: AsyncSession, seller_id: uuid.UUID, region_code: str
) -> None:
    """A seller moved: their products are now found under the new region."""
    await repository.move_seller_products(session, seller_id, region_code)
