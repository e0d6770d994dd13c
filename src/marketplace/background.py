"""The timer inside ``serve``: expire unpaid orders and send due e-mails, every few seconds.
Each piece is safe to run on several instances at once."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.config import Settings
from marketplace.notifications.tasks import EmailOutbox
from marketplace.orders.tasks import expire_due_orders
from marketplace.payments.service import PaymentRuntime
from marketplace.payments.tasks import settle_due_seller_orders

logger = logging.getLogger("marketplace.background")


class BackgroundWork:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        outbox: EmailOutbox,
        settings: Settings,
        runtime: PaymentRuntime | None = None,
    ) -> None:
        self._runtime = runtime
        self._sessionmaker = sessionmaker
        self._outbox = outbox
        self._interval = settings.background_interval_seconds
        self._settlement_hold_days = settings.settlement_hold_days
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="marketplace-background")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def run_once(self) -> None:
        await expire_due_orders(self._sessionmaker, self._runtime)
        await settle_due_seller_orders(self._sessionmaker, self._settlement_hold_days)
        await self._outbox.deliver_due()

    async def _run(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # one failed round must not stop the timer
                logger.exception("background round failed")
            await asyncio.sleep(self._interval)
