"""The application factory."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from starlette.middleware.cors import CORSMiddleware

from marketplace import __version__
from marketplace.api import documented_order, include_matched_first, include_the_others
from marketplace.background import BackgroundWork
from marketplace.cached_pages import sessionmaker_for, version_memo
from marketplace.config import DEFAULT_SECRET_KEY, MediaBackend, Settings, get_settings
from marketplace.consoles.admin import ROUTERS as ADMIN_CONSOLE_ROUTERS
from marketplace.consoles.pages import ROUTERS as SELLER_CONSOLE_ROUTERS
from marketplace.core.cache import cache_from_settings, redis_from_settings
from marketplace.core.cached_replies import CachedReplies, CachedReplyMiddleware
from marketplace.core.errors import install_error_handlers, problem_response
from marketplace.core.head_requests import HeadAsGetMiddleware
from marketplace.core.i18n import gettext
from marketplace.core.logging import configure_logging
from marketplace.core.middleware import (
    BodySizeLimitMiddleware,
    PersonalResponseMiddleware,
    RequestContextMiddleware,
)
from marketplace.core.openapi import install_openapi, operation_id
from marketplace.core.rate_limit import RateLimiter
from marketplace.core.security import PasswordHashing
from marketplace.db.session import create_engine, handle_database_error
from marketplace.featured.pages import router as featured_pages_router
from marketplace.gateways import build_gateways
from marketplace.media.router import router as media_router
from marketplace.monitoring.metrics import RequestMetricsMiddleware, RouteTemplates
from marketplace.monitoring.router import router as monitoring_router
from marketplace.problems.pages import router as problem_pages_router
from marketplace.reports.pages import router as reports_pages_router
from marketplace.storefront.account_pages import router as storefront_account_router
from marketplace.storefront.buying_pages import router as storefront_buying_router
from marketplace.storefront.pages import router as storefront_pages_router

# Uploads are capped at 10 MB by the media domain; this leaves room for the multipart framing.
MAX_REQUEST_BODY_BYTES = 11 * 1024 * 1024
# Request headers of ours a browser script may send cross-origin (besides the usual ones).
CORS_HEADERS = ["Idempotency-Key", "X-Order-Token", "X-Request-ID", "If-None-Match"]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, json_lines=settings.log_json)
    engine = create_engine(settings)
    if settings.secret_key.get_secret_value() == DEFAULT_SECRET_KEY:
        logging.getLogger("marketplace").warning(
            "MARKETPLACE_SECRET_KEY is the built-in development key: never expose this instance"
        )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker = BackgroundWork(app.state.sessionmaker, app.state.gateways)
        if settings.background_tasks_enabled:
            worker.start()
        yield
        await worker.stop()
        await app.state.gateways.mailer.drain()
        await engine.dispose()

    app = FastAPI(
        title="Marketplace Bangka Belitung",
        version=__version__,
        description="Produk daerah Kepulauan Bangka Belitung: katalog, pesanan, pembayaran.",
        lifespan=lifespan,
        telemetry=native_telemetry(os.environ),
        generate_unique_id_function=operation_id,
        # MARKETPLACE_DOCS_ENABLED=false hides the interactive docs (the schema stays served).
        docs_url="/docs" if settings.docs_enabled else None,
        redoc_url="/redoc" if settings.docs_enabled else None,
    )
    app.state.settings = settings
    app.state.engine = engine
    redis = redis_from_settings(settings)
    app.state.version_memo = memo = version_memo(settings, redis)
    app.state.sessionmaker = sessionmaker_for(engine, memo)
    app.state.password_hashing = PasswordHashing.from_settings(settings)
    app.state.rate_limiter = RateLimiter.from_settings(settings)
    # Built once; requests get them as dependencies, the background sweeps as arguments.
    app.state.gateways = build_gateways(settings, app.state.sessionmaker)
    app.state.response_cache = cache_from_settings(settings, redis)

    install_error_handlers(app)
    app.add_exception_handler(DBAPIError, handle_database_error)
    # Routes are matched in the order included: the busiest public reads first (the schema
    # keeps listing them in their documented place).
    include_matched_first(app)
    app.include_router(featured_pages_router)
    app.include_router(reports_pages_router)
    include_the_others(app)
    if settings.media_backend is MediaBackend.LOCAL:
        app.include_router(media_router)
    # Storefront (human pages): after the API and embeds, whose paths it never shadows.
    app.include_router(storefront_pages_router)
    app.include_router(storefront_buying_router)
    app.include_router(storefront_account_router)
    # Consoles (human pages for sellers and admins) under /penjual/ and /admin/.
    for router in (*SELLER_CONSOLE_ROUTERS, *ADMIN_CONSOLE_ROUTERS):
        app.include_router(router)
    _add_health_routes(app)
    app.include_router(problem_pages_router)
    if settings.metrics_enabled:
        app.include_router(monitoring_router)
    _add_middlewares(app, settings)
    install_openapi(app, documented_order)
    return app


def native_telemetry(environment: Mapping[str, str]) -> TelemetryConfig:
    """FastAPI's OpenTelemetry, on only when the environment configures OpenTelemetry: on,
    it asks the global providers on every request whether one has been set (3 % of an
    uncached catalog page's CPU), and the marketplace sets none itself."""
    if any(name.startswith(("OTEL_", "FASTAPI_OTEL_")) for name in environment):
        return {}
    return {"tracing": False, "metrics": False, "logs": False}


def _add_middlewares(app: FastAPI, settings: Settings) -> None:
    """Pure ASGI layers, innermost first."""
    app.state.cached_replies = None  # a missing state attribute costs an exception per look
    if settings.response_cache_enabled and settings.catalog_version_ttl_seconds > 0:
        # innermost: HEAD arrives as GET; request ids, languages and CORS are added outside
        app.state.cached_replies = replies = CachedReplies()
        app.add_middleware(
            CachedReplyMiddleware,
            replies=replies,
            cache=app.state.response_cache,
            versions=app.state.version_memo,
        )
    app.add_middleware(HeadAsGetMiddleware)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=MAX_REQUEST_BODY_BYTES)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Accept-Language", *CORS_HEADERS],
            expose_headers=["ETag", "Retry-After", "X-Request-ID", "Location"],
            max_age=600,
        )
    if settings.metrics_enabled:
        app.add_middleware(RequestMetricsMiddleware, templates=RouteTemplates(app.routes))
    app.add_middleware(RequestContextMiddleware, access_log=settings.access_log)
    app.add_middleware(PersonalResponseMiddleware)


def _add_health_routes(app: FastAPI) -> None:
    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"], response_model=None)
    async def readyz() -> Any:
        """The database answers."""
        try:
            async with app.state.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:
            return problem_response(
                503, "not-ready", gettext("Internal server error"), "database unreachable"
            )
        return {"status": "ok"}
