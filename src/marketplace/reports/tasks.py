"""The reports' sweep: seller-orders changed since the watermark get their facts and rollups
again. Run by the background timer and safe on several instances (the watermark row is locked
with SKIP LOCKED on PostgreSQL: one instance sweeps, the others skip the round). Each round
re-reads a short overlap before the watermark, so a transaction that committed late (its
``updated_at`` older than the watermark) is still picked up; recomputing is idempotent."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.db.base import utcnow
from marketplace.db.session import unit_of_work
from marketplace.reports import repository, rollups, summary_store

logger = logging.getLogger("marketplace.reports")
SWEEP_OVERLAP = timedelta(minutes=2)
SWEEP_BATCH = 500


async def sweep_reports(
    sessionmaker: async_sessionmaker[AsyncSession], overlap: timedelta = SWEEP_OVERLAP
) -> int:
    """Bring the reports up to date; how many seller-orders were recomputed (-1: another
    instance is sweeping). The first round ever builds everything."""
    async with unit_of_work(sessionmaker, None) as session:
        start = utcnow()
        watermark = await repository.lock_watermark(session, start)
        if watermark is None:
            return -1
        if watermark.version == 0:
            await rollups.rebuild_everything(session)
            await summary_store.write(session)
            await repository.advance_watermark(session, start, changed=True)
            return 0
        since = watermark.swept_until - overlap
        refreshed = await _refresh_changed(session, since)
        fresh = refreshed > 0 and bool(
            await repository.changed_seller_orders(session, watermark.swept_until, None, 1)
        )
        # Recomputed seller-orders may have moved the figures even when the version stays
        # (a late commit re-read in the overlap); a new day moves the default range.
        if refreshed or not await summary_store.is_current(session):
            await summary_store.write(session)
        await repository.advance_watermark(session, start, changed=fresh)
    if refreshed:
        logger.debug("reports: %d seller-orders recomputed", refreshed)
    return refreshed


async def _refresh_changed(session: AsyncSession, since: datetime) -> int:
    refreshed = 0
    after: uuid.UUID | None = None
    touched = rollups.Touched()
    while True:
        ids = await repository.changed_seller_orders(session, since, after, SWEEP_BATCH)
        touched |= await rollups.refresh_seller_orders(session, ids)
        refreshed += len(ids)
        if len(ids) < SWEEP_BATCH:
            break
        after = ids[-1]
    # Marketplace-wide buyer sets span every seller: rebuilt once per round, not per batch.
    await rollups.finish_refresh(session, touched)
    return refreshed


async def rebuild_reports(sessionmaker: async_sessionmaker[AsyncSession]) -> bool:
    """Every fact and rollup again from the source tables (``marketplace rebuild-reports``);
    False when a sweep holds the watermark right now (try again)."""
    async with unit_of_work(sessionmaker, None) as session:
        start = utcnow()
        if await repository.lock_watermark(session, start) is None:
            return False
        await rollups.rebuild_everything(session)
        await summary_store.write(session)
        await repository.advance_watermark(session, start, changed=True)
    return True
