"""The public summary's figures kept by the sweep: they only move when the sweep (or a
rebuild) commits new figures, yet counting their distinct buyers costs four buyer statements
over the buyer sets. The sweep writes them for the default range (the twelve months up to
today, WIB: the summary's and the widget's default) in the same transaction as the figures,
and again on the first round of a new day; a request for that range reads one row. Other
ranges, and the default range before the day's first sweep, are counted as before.

Names (regions, categories, product titles), the order of the rows, withholding, and the new
sellers and products (not sales: the sweep does not follow them) are applied when read, by the
same code as a counted summary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

# service reads the kept figures and this module counts them with service: only attributes
# used at run time, never at import.
from marketplace.reports import service
from marketplace.reports.models import ReportPublicSummary
from marketplace.reports.repository import Buyers, Sums, key_text, typed_key

if TYPE_CHECKING:
    from marketplace.reports.service import DateRange, Grouped, OverviewFigures


def default_period() -> DateRange:
    return service.date_range(None, service.today_wib())


async def write(session: AsyncSession) -> None:
    """Count the default range's figures from the rollups as they are in this transaction
    and keep them in place of any earlier range's."""
    period = default_period()
    figures = await service.overview_figures(session, service.PUBLIC_GROUPS, period)
    await session.execute(delete(ReportPublicSummary))
    session.add(
        ReportPublicSummary(first_day=period.first, last_day=period.last, figures=_encoded(figures))
    )
    await session.flush()


async def is_current(session: AsyncSession) -> bool:
    """Whether today's default range is kept (else the sweep writes it)."""
    period = default_period()
    kept = await session.scalar(
        select(ReportPublicSummary.first_day).where(
            ReportPublicSummary.first_day == period.first,
            ReportPublicSummary.last_day == period.last,
        )
    )
    return kept is not None


async def stored(session: AsyncSession, period: DateRange) -> OverviewFigures | None:
    """The kept figures of ``period``; None when that range is not the one kept."""
    if period != default_period():
        return None  # only today's default range is ever kept: no statement
    figures = await session.scalar(
        select(ReportPublicSummary.figures).where(
            ReportPublicSummary.first_day == period.first,
            ReportPublicSummary.last_day == period.last,
        )
    )
    return None if figures is None else _decoded(period, figures)


# ---- the stored form: keys as text, figures as numbers ----


def _sums_row(sums: Sums) -> list[Any]:
    key = None if sums.key is None else key_text(sums.key)
    return [key, sums.orders, sums.units, sums.gross, sums.refunds, sums.sellers]


def _buyers_row(buyers: Buyers) -> list[Any]:
    key = None if buyers.key is None else key_text(buyers.key)
    return [key, buyers.buyers, buyers.outside_province]


def _grouped_rows(grouped: Grouped) -> dict[str, list[list[Any]]]:
    return {
        "sums": [_sums_row(row) for row in grouped.sums],
        "buyers": [_buyers_row(row) for row in grouped.buyers],
    }


def _encoded(figures: OverviewFigures) -> dict[str, Any]:
    return {
        "tables": {
            group_by.value: _grouped_rows(grouped) for group_by, grouped in figures.tables.items()
        },
        "total_sums": _sums_row(figures.total_sums),
        "total_buyers": _buyers_row(figures.total_buyers),
        "top_products": _grouped_rows(figures.top_products),
    }


def _sums_of(grouping: str, row: list[Any]) -> Sums:
    key, orders, units, gross, refunds, sellers = row
    return Sums(typed_key(grouping, key), orders, units, gross, refunds, sellers)


def _buyers_of(grouping: str, row: list[Any]) -> Buyers:
    key, buyers, outside = row
    return Buyers(typed_key(grouping, key), buyers, outside)


def _grouped_of(grouping: str, rows: dict[str, list[list[Any]]]) -> Grouped:
    return service.Grouped(
        [_sums_of(grouping, row) for row in rows["sums"]],
        [_buyers_of(grouping, row) for row in rows["buyers"]],
    )


def _decoded(period: DateRange, figures: dict[str, Any]) -> OverviewFigures:
    tables = {
        service.GroupBy(grouping): _grouped_of(grouping, rows)
        for grouping, rows in figures["tables"].items()
    }
    return service.OverviewFigures(
        period=period,
        tables=tables,
        total_sums=_sums_of("total", figures["total_sums"]),
        total_buyers=_buyers_of("total", figures["total_buyers"]),
        top_products=_grouped_of("product", figures["top_products"]),
    )
