"""The /api/v1 routes: every domain's JSON routes, and the order they are matched in."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, FastAPI
from fastapi.routing import RouteContext, iter_route_contexts
from starlette.routing import BaseRoute

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
# Listed in the order the OpenAPI schema lists them.
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
    desk_router,  # admin desk and Indonesian payments (issue 11)
    desk_admin_router,
    moderation_router,
    moderation_admin_router,
    reviews_router,
    reports_router,
    reports_admin_router,
    complaints_router,
    complaints_admin_router,
)
# Matched before the other API routes: FastAPI tries an app's routes one by one, walking
# each included router (twice: to match, then to handle), and the catalog's public reads
# are the busiest. Safe only while no route listed before them answers one of their paths
# (tests/test_route_order.py).
MATCHED_FIRST: tuple[APIRouter, ...] = (catalog_router,)


def include_matched_first(app: FastAPI) -> None:
    for router in MATCHED_FIRST:
        app.include_router(router, prefix=API_PREFIX)


def include_the_others(app: FastAPI) -> None:
    for router in API_ROUTERS:
        if router not in MATCHED_FIRST:
            app.include_router(router, prefix=API_PREFIX)


def documented_order(routes: Sequence[BaseRoute]) -> list[RouteContext]:
    """``routes`` (an app's, in the order they are matched) in the order the schema lists
    them: the API routes by ``API_ROUTERS``, then the others as the app has them."""
    api_rank = {
        id(context.original_route): (router_index, route_index)
        for router_index, router in enumerate(API_ROUTERS)
        for route_index, context in enumerate(iter_route_contexts(router.routes))
    }
    contexts = list(iter_route_contexts(routes))

    def rank(position: int) -> tuple[int, int, int]:
        found = api_rank.get(id(contexts[position].original_route))
        return (0, *found) if found is not None else (1, position, 0)

    return [contexts[position] for position in sorted(range(len(contexts)), key=rank)]
