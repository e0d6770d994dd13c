"""The admin console under ``/admin/`` (human pages; the JSON API is ``/api/v1/admin``)."""

from __future__ import annotations

from fastapi import APIRouter

from marketplace.consoles import (
    admin_desk_pages,
    admin_featured_pages,
    admin_insight_pages,
    admin_money_pages,
    admin_pages,
)

router = APIRouter(include_in_schema=False)
for pages in (
    admin_pages,
    admin_desk_pages,
    admin_money_pages,
    admin_featured_pages,
    admin_insight_pages,
):
    router.include_router(pages.router)
