"""The public summary's figures kept by the sweep: after every sweep and after a rebuild they
are the ones counted from the rollups; the summary and the widget of the default range are
served from them, and a new day's first sweep keeps the new range's."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import TypeVar

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.core.i18n import Language
from marketplace.db.session import begin_write_transaction, unit_of_work
from marketplace.reports import service, summary_store, suppression, widget
from marketplace.reports.models import ReportPublicSummary
from marketplace.reports.service import DateRange, GroupBy, OverviewFigures
from marketplace.reports.tasks import rebuild_reports, sweep_reports
from tests.reports.test_rollups import sweep_random_trade
from tests.reports.world import Clock

# The random trade runs from January to 20 April 2026: the default range, May 2025 to that
# day, covers it with quarters, a month, weeks and single days.
TODAY = date(2026, 4, 20)
DEFAULT_RANGE = DateRange(date(2025, 5, 1), TODAY)
T = TypeVar("T")


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "today_wib", lambda: TODAY)


async def kept_and_counted(
    sessionmaker: async_sessionmaker[AsyncSession], period: DateRange
) -> tuple[OverviewFigures | None, OverviewFigures]:
    async with sessionmaker() as session:
        kept = await summary_store.stored(session, period)
        counted = await service.overview_figures(session, service.PUBLIC_GROUPS, period)
    return kept, counted


async def read_kept_and_counted(
    sessionmaker: async_sessionmaker[AsyncSession],
    read: Callable[[AsyncSession], Awaitable[T]],
) -> tuple[T, T]:
    """``read`` with the kept figures, then with none kept (deleted in a transaction that is
    rolled back): counted from the rollups."""
    async with sessionmaker() as session:
        kept = await read(session)
    async with sessionmaker() as session:
        await begin_write_transaction(session)
        await session.execute(delete(ReportPublicSummary))
        assert await summary_store.stored(session, DEFAULT_RANGE) is None
        counted = await read(session)
        await session.rollback()
    return kept, counted


async def test_the_kept_summary_is_the_one_counted_from_the_rollups_after_sweeps_and_a_rebuild(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    # Given forty random events, each swept with no overlap
    await sweep_random_trade(app, client, sessionmaker, clock, seed=7, events=40)

    # Then the kept figures of the default range are the ones counted from the rollups
    kept, counted = await kept_and_counted(sessionmaker, DEFAULT_RANGE)
    assert kept == counted
    assert counted.total_sums.gross > 0
    assert counted.total_buyers.buyers > 0
    assert counted.top_products.sums, "the trade sold products"

    # And after a rebuild from the source tables as well
    assert await rebuild_reports(sessionmaker)
    kept, counted = await kept_and_counted(sessionmaker, DEFAULT_RANGE)
    assert kept == counted
    assert counted.total_sums.gross > 0


async def test_the_published_summary_from_kept_figures_is_the_counted_one(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    await sweep_random_trade(app, client, sessionmaker, clock, seed=23, events=30)
    # When the summary is published from the kept figures, and again counted (the kept row
    # deleted in a transaction that is rolled back)
    kept, counted = await read_kept_and_counted(
        sessionmaker,
        lambda session: suppression.public_summary(session, DEFAULT_RANGE, Language.ENGLISH),
    )

    # Then names, order, withholding, new sellers and products are the same
    assert kept == counted
    assert kept.tables[GroupBy.REGION], "the trade sold in regencies"


async def test_admin_reports_of_the_default_range_from_kept_figures_are_the_counted_ones(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    await sweep_random_trade(app, client, sessionmaker, clock, seed=23, events=30)
    for group_by in service.PUBLIC_GROUPS:
        # When the marketplace's report of the default range is read from the kept figures,
        # and again counted from the rollups
        kept, counted = await read_kept_and_counted(
            sessionmaker,
            lambda session, group_by=group_by: service.sales_report(
                session, group_by, DEFAULT_RANGE
            ),
        )

        # Then every row, total and top product is the same
        assert kept == counted, group_by
        assert counted.items, group_by


async def test_the_default_summary_and_widget_are_served_from_the_kept_figures(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await sweep_random_trade(app, client, sessionmaker, clock, seed=7, events=20)
    monkeypatch.setattr(widget, "today_wib", lambda: TODAY)

    # When the kept total is changed behind the sweep's back
    async with unit_of_work(sessionmaker, None) as session:
        figures = await session.scalar(select(ReportPublicSummary.figures))
        assert figures is not None
        figures["total_sums"][3] = 123_456_789  # gross
        figures["total_buyers"][1] = 50
        await session.execute(update(ReportPublicSummary).values(figures=figures))

    # Then the default summary and the widget show it: they read the kept figures
    body = (await client.get("/api/v1/stats/summary")).json()
    assert (body["from"], body["to"]) == ("2025-05-01", "2026-04-20")
    assert body["totals"]["gross"] == 123_456_789
    page = await client.get("/embed/stats")
    assert "<dt>Penjualan</dt><dd>Rp 123.456.789</dd>" in page.text
    # And another range is counted from the rollups
    other = (await client.get("/api/v1/stats/summary", params={"from": "2025-05-02"})).json()
    assert other["totals"] is None or other["totals"]["gross"] != 123_456_789


async def test_a_new_days_first_sweep_keeps_the_new_default_range(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await sweep_random_trade(app, client, sessionmaker, clock, seed=7, events=10)
    # When the next WIB day begins and the sweep runs with nothing changed
    tomorrow = date(2026, 4, 21)
    monkeypatch.setattr(service, "today_wib", lambda: tomorrow)
    assert await sweep_reports(sessionmaker, overlap=timedelta(0)) == 0

    # Then the new range is kept (and only it), equal to the counted one
    new_range = DateRange(date(2025, 5, 1), tomorrow)
    kept, counted = await kept_and_counted(sessionmaker, new_range)
    assert kept == counted
    async with sessionmaker() as session:
        rows = (
            await session.execute(
                select(ReportPublicSummary.first_day, ReportPublicSummary.last_day)
            )
        ).all()
    assert [tuple(row) for row in rows] == [(new_range.first, new_range.last)]
