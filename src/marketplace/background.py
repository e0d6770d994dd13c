"""The timer inside ``serve``: expire unpaid orders and send due e-mails, every few seconds.
Each piece is safe to run on several instances at once."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.catalog.tasks import DailyComplianceSweep
from marketplace.config import Settings
from marketplace.notifications.tasks import EmailOutbox
from marketplace.orders.tasks import (
    cancel_unshipped_cash_on_delivery,
    expire_due_orders,
    remind_unpaid_transfers,
)
from marketplace.payments.service import PaymentRuntime
from marketplace.payments.tasks import settle_due_seller_orders
from marketplace.reports.tasks import sweep_reports

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
        self._settings = settings
        self._sessionmaker = sessionmaker
        self._outbox = outbox
        self._interval = settings.background_interval_seconds
        self._settings = settings
        self._settlement_hold_days = settings.settlement_hold_days
        self._task: asyncio.Task[None] | None = None
        self._compliance = DailyComplianceSweep(sessionmaker)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="marketplace-background")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def run_once(self) -> None:
        await expire_due_orders(self._sessionmaker, self._runtime)
        await cancel_unshipped_cash_on_delivery(self._sessionmaker, self._settings, self._runtime)
        await remind_unpaid_transfers(self._sessionmaker, self._settings)
        await self._compliance.run_if_due()
        await settle_due_seller_orders(self._sessionmaker, self._settlement_hold_days)
        await self._outbox.deliver_due()
        await sweep_reports(self._sessionmaker)

    async def _run(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # one failed round must not stop the timer
                logger.exception("background round failed")
            await asyncio.sleep(self._interval)
