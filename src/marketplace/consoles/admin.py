"""The admin console's routers under ``/admin/`` (human pages; the JSON API is ``/api/v1/admin``),
in the order the app includes them (each on its own: see ``marketplace.api.API_ROUTERS``)."""

from __future__ import annotations

from fastapi import APIRouter

from marketplace.consoles import (
    admin_desk_pages,
    admin_featured_pages,
    admin_insight_pages,
    admin_money_pages,
    admin_pages,
)

ROUTERS: tuple[APIRouter, ...] = (
    admin_pages.router,
    admin_desk_pages.router,
    admin_money_pages.router,
    admin_featured_pages.router,
    admin_insight_pages.router,
)
