"""The timer inside ``serve``: expire unpaid orders and send due e-mails, every few seconds.
Each piece is safe to run on several instances at once."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.catalog.tasks import DailyComplianceSweep
from marketplace.gateways import Gateways
from marketplace.orders.tasks import (
    cancel_unshipped_cash_on_delivery,
    expire_due_orders,
    remind_unpaid_transfers,
)
from marketplace.payments.tasks import settle_due_seller_orders
from marketplace.reports.tasks import sweep_reports

logger = logging.getLogger("marketplace.background")


class BackgroundWork:
    """The sweeps, with the gateways ``create_app`` built (the same ones requests use)."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], gateways: Gateways) -> None:
        self._sessionmaker = sessionmaker
        self._gateways = gateways
        self._interval = gateways.settings.background_interval_seconds
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
        sessionmaker, gateways = self._sessionmaker, self._gateways
        await expire_due_orders(sessionmaker, gateways)
        await cancel_unshipped_cash_on_delivery(sessionmaker, gateways)
        await remind_unpaid_transfers(sessionmaker, gateways)
        await self._compliance.run_if_due()
        await settle_due_seller_orders(sessionmaker, gateways)
        await gateways.mailer.deliver_due()
        await sweep_reports(sessionmaker)

    async def _run(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # one failed round must not stop the timer
                logger.exception("background round failed")
            await asyncio.sleep(self._interval)
