"""The /api/v1 router: every domain's JSON routes."""

from __future__ import annotations

from fastapi import APIRouter

from marketplace.accounts.router import router as accounts_router
from marketplace.audit.router import router as audit_router
from marketplace.catalog.router import router as catalog_router
from marketplace.complaints.router import admin_router as complaints_admin_router
from marketplace.complaints.router import router as complaints_router
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

api_router = APIRouter(prefix=API_PREFIX)
api_router.include_router(accounts_router)
api_router.include_router(sellers_router)
api_router.include_router(sellers_admin_router)
api_router.include_router(catalog_router)
api_router.include_router(featured_router)
api_router.include_router(featured_admin_router)
api_router.include_router(audit_router)
api_router.include_router(orders_router)
api_router.include_router(orders_admin_router)
api_router.include_router(payments_router)
api_router.include_router(payments_admin_router)

# Admin desk and Indonesian payments (issue 11)
from marketplace.desk.router import admin_router as desk_admin_router  # noqa: E402
from marketplace.desk.router import router as desk_router  # noqa: E402

api_router.include_router(desk_router)
api_router.include_router(desk_admin_router)
api_router.include_router(moderation_router)
api_router.include_router(moderation_admin_router)
api_router.include_router(reviews_router)
api_router.include_router(reports_router)
api_router.include_router(reports_admin_router)
api_router.include_router(complaints_router)
api_router.include_router(complaints_admin_router)
