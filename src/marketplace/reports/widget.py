"""The "economic impact" widget for the government site (``/embed/stats``): the public
summary's figures, bars by regency and a line by month, rendered once per (query, data
version, WIB day) and cached; the same privacy rules as ``/stats/summary``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.catalog import service as catalog_service
from marketplace.core.cache import ResponseCache, VersionMemo
from marketplace.core.content_policy import Theme
from marketplace.core.formatting import format_rupiah
from marketplace.core.http_caching import RenderedPage
from marketplace.core.i18n import Language, gettext_in, language_scope
from marketplace.core.templating import environment, templates_dir
from marketplace.reports import answers, charts, suppression
from marketplace.reports.periods import month_label, next_month
from marketplace.reports.service import DateRange, GroupBy, today_wib
from marketplace.reports.suppression import PublicCell

STYLES = Markup((templates_dir() / "embed" / "stats.css").read_text(encoding="utf-8"))
REGION_PREFIXES = ("Kabupaten ", "Kota ")


@dataclass(frozen=True)
class StatsPage:
    language: Language = Language.INDONESIAN
    theme: Theme = Theme.LIGHT
    months: int = 12

    def period(self, today: date) -> DateRange:
        first = today.replace(day=1)
        for _ in range(self.months - 1):
            first = (first - timedelta(days=1)).replace(day=1)
        return DateRange(first, today)

    def cache_key(self, version: str, today: date) -> str:
        query = f"{self.language}:{self.theme}:{self.months}:{today.isoformat()}"
        digest = hashlib.sha256(f"{version}|{query}".encode()).hexdigest()[:32]
        return f"reports-html:{digest}"


async def render_stats(
    session: AsyncSession, cache: ResponseCache, versions: VersionMemo, page: StatsPage
) -> RenderedPage:
    version = await answers.data_version(session, versions)
    today = today_wib()
    key = page.cache_key(version, today)
    cached = await cache.get(key)
    if cached is not None:
        return RenderedPage.decode(cached)
    rendered = RenderedPage.of((await stats_html(session, page, today)).encode("utf-8"))
    await cache.set(key, rendered.encode())
    return rendered


async def stats_html(session: AsyncSession, page: StatsPage, today: date) -> str:
    """The widget page of ``page``'s months up to ``today``, uncached."""
    language = page.language
    period = page.period(today)
    summary = await suppression.public_summary(session, period, language)
    withheld = gettext_in(language, "withheld (fewer than 5 buyers)")
    regions = await _region_bars(session, summary.tables[GroupBy.REGION], withheld)
    months, month_rows = _month_line(summary.tables[GroupBy.MONTH], period, language, withheld)
    with language_scope(language):
        return (
            environment()
            .get_template("embed/stats.html")
            .render(
                lang=language.value,
                theme=page.theme.value,
                styles=STYLES,
                title=gettext_in(language, "Economic impact"),
                intro=gettext_in(
                    language,
                    "Sales of Bangka Belitung community products, %(first)s to %(last)s.",
                    first=month_label(period.first, language),
                    last=month_label(period.last, language),
                ),
                totals=summary.totals,
                rupiah=format_rupiah,
                number=_count,
                regions=regions,
                months=months,
                month_rows=month_rows,
                width=charts.WIDTH,
            )
        )


async def _region_bars(
    session: AsyncSession, cells: list[PublicCell], withheld: str
) -> charts.BarChart:
    """Every regency of the province, those without sales at Rp 0."""
    by_code = {cell.key: cell for cell in cells}
    rows: list[tuple[str, int | None, str]] = []
    for region in await catalog_service.list_regions(session):
        name = region.name
        for prefix in REGION_PREFIXES:
            name = name.removeprefix(prefix)
        cell = by_code.get(region.code)
        if cell is not None and cell.figures is None:
            rows.append((name, None, withheld))
            continue
        gross = cell.figures.gross if cell is not None and cell.figures is not None else 0
        rows.append((name, gross, format_rupiah(gross)))
    rows.sort(key=lambda row: (row[1] is None, -(row[1] or 0), row[0]))
    return charts.bar_chart(rows)


def _month_line(
    cells: list[PublicCell], period: DateRange, language: Language, withheld: str
) -> tuple[charts.LineChart, list[tuple[str, str]]]:
    """The line, and (month name, value text) rows for the table beside it."""
    by_month = {cell.key: cell for cell in cells}
    values: list[tuple[str, int | None, str]] = []
    rows: list[tuple[str, str]] = []
    month = period.first
    while month <= period.last:
        cell = by_month.get(month.isoformat())
        label = month_label(month, language, short=True)
        if cell is not None and cell.figures is None:
            values.append((label, None, withheld))
        else:
            gross = cell.figures.gross if cell is not None and cell.figures is not None else 0
            values.append((label, gross, format_rupiah(gross)))
        rows.append((month_label(month, language), values[-1][2]))
        month = next_month(month)
    top = max((value or 0 for _, value, _ in values), default=0)
    return charts.line_chart(values, format_rupiah(top)), rows


def _count(value: int) -> str:
    from babel.numbers import format_decimal  # noqa: PLC0415 (see core/formatting.py)

    return format_decimal(value, format="#,##0", locale="id_ID")
