"""The public summary: the same figures with nothing that could reveal a small seller. A group
with fewer than five distinct buyers is withheld; when one is, the smallest published group of
that table is withheld with it, so that subtracting the published groups from the total gives
only a sum that includes at least five buyers' purchases. Totals under five buyers are withheld
as well. No names or e-mails of people leave this module: only regions, categories, kinds,
months and product titles."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.core.i18n import Language
from marketplace.reports import service, summary_store
from marketplace.reports.service import DateRange, Figures, GroupBy

MIN_BUYERS = 5


@dataclass(frozen=True)
class PublicCell:
    key: str
    label: str
    figures: Figures | None  # None: withheld


@dataclass(frozen=True)
class PublicSummary:
    period: DateRange
    totals: Figures | None
    new_sellers: int
    new_products: int
    tables: dict[GroupBy, list[PublicCell]]
    top_products: list[Figures]


def withhold_small(cells: list[Figures]) -> list[PublicCell]:
    """Primary suppression (under five buyers) plus the smallest published cell beside it."""
    hidden = {cell.key for cell in cells if cell.buyers < MIN_BUYERS}
    if hidden:
        shown = sorted(
            (cell for cell in cells if cell.key not in hidden),
            key=lambda cell: (cell.buyers, cell.gross, cell.key),
        )
        if shown:
            hidden.add(shown[0].key)
    return [
        PublicCell(cell.key, cell.label, None if cell.key in hidden else cell) for cell in cells
    ]


async def public_summary(
    session: AsyncSession, period: DateRange, language: Language
) -> PublicSummary:
    figures = await summary_store.stored(session, period)
    if figures is None:
        figures = await service.overview_figures(session, service.PUBLIC_GROUPS, period)
    report = await service.named_overview(session, figures, language)
    tables = {group_by: withhold_small(cells) for group_by, cells in report.tables.items()}
    totals = report.totals if report.totals.buyers >= MIN_BUYERS else None
    top = [row for row in report.top_products if row.buyers >= MIN_BUYERS]
    return PublicSummary(
        period=period,
        totals=totals,
        new_sellers=report.new_sellers,
        new_products=report.new_products,
        tables=tables,
        top_products=top,
    )
