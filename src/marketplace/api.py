"""The /api/v1 routers: every domain's JSON routes, in the order the app includes them."""

from __future__ import annotations

from fastapi import APIRouter

from marketplace.accounts.router import router as accounts_router
from marketplace.audit.router import router as audit_router
from marketplace.catalog.router import router as catalog_router
from marketplace.complaints.router import admin_router as complaints_admin_router
from marketplace.complaints.router import router as complaints_router
from marketplace.desk.router import admin_router as desk_admin_router
from marketplace.desk.router import router as desk_router
from marketplace.featured.router import admin_router as featured_admin_router
from marketplace.featured.router import router as featured_router
from marketplace.moderation.router import admin_router as moderation_admin_router
from marketplace.moderation.router import router as moderation_router
from marketplace.orders.router import admin_router as orders_admin_router
from marketplace.orders.router import router as orders_router
from marketplace.payments.router import admin_router as payments_admin_router
from marketplace.payments.router import router as payments_router
from marketplace.reports.router import admin_router as reports_admin_router
from marketplace.reports.router import router as reports_router
from marketplace.reviews.router import router as reviews_router
from marketplace.sellers.router import admin_router as sellers_admin_router
from marketplace.sellers.router import router as sellers_router

API_PREFIX = "/api/v1"

# The app includes each of these itself, under API_PREFIX, rather than one router holding them:
# FastAPI (0.165) checks a router included without a prefix by building every route of the
# routers it holds (dependencies, body and response validators) and keeps that copy, which
# nothing serves from (152 routes, ~3.6 MB per worker for the API and consoles together).
API_ROUTERS: tuple[APIRouter, ...] = (
    accounts_router,
    sellers_router,
    sellers_admin_router,
    catalog_router,
    featured_router,
    featured_admin_router,
    audit_router,
    orders_router,
    orders_admin_router,
    payments_router,
    payments_admin_router,
    desk_router,
    desk_admin_router,
    moderation_router,
    moderation_admin_router,
    reviews_router,
    reports_router,
    reports_admin_router,
    complaints_router,
    complaints_admin_router,
)
