"""The outside systems the app talks to (Stripe, media storage, the mailer) and its clock,
built once at start-up: by ``create_app`` for requests and the background sweeps, and by each
command for the CLI, so a command and ``serve`` do the same work with the same parts. They are
passed in explicitly (FastAPI dependencies for requests, arguments for sweeps and commands);
nothing reaches them through the database session."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace import cached_pages
from marketplace.config import Settings
from marketplace.db.base import utcnow
from marketplace.media.storage import (
    MediaStorage,
    private_storage_from_settings,
    storage_from_settings,
)
from marketplace.notifications.tasks import EmailOutbox
from marketplace.payments.service import PaymentRuntime
from marketplace.payments.stripe_gateway import StripeGateway


@dataclass(frozen=True)
class Gateways:
    settings: Settings
    payments: PaymentRuntime  # the Stripe adapter, with the settings money rules read
    media: MediaStorage
    private_media: MediaStorage
    mailer: EmailOutbox
    clock: Callable[[], datetime] = field(default=utcnow)


def build_gateways(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> Gateways:
    return Gateways(
        settings=settings,
        payments=PaymentRuntime(settings=settings, gateway=StripeGateway(settings)),
        media=storage_from_settings(settings),
        private_media=private_storage_from_settings(settings),
        mailer=EmailOutbox(sessionmaker, settings),
    )


@asynccontextmanager
async def started(
    settings: Settings,
) -> AsyncIterator[tuple[async_sessionmaker[AsyncSession], Gateways]]:
    """The database and the gateways of one command (``marketplace expire-orders``, ...),
    built as ``create_app`` builds them for ``serve``; e-mails queued meanwhile are sent
    before it ends."""
    async with cached_pages.database(settings) as sessionmaker:
        gateways = build_gateways(settings, sessionmaker)
        try:
            yield sessionmaker, gateways
        finally:
            await gateways.mailer.drain()
