"""Report periods in WIB: days, ISO weeks (Monday first) and months, and how a date range is
covered by the fewest rollup periods (whole months, then whole weeks inside a month, then days)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from marketplace.core.i18n import Language
from marketplace.reports.models import Grain

MONTH_NAMES = {
    Language.INDONESIAN: (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ),
    Language.ENGLISH: (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def period_of(grain: Grain, day: date) -> date:
    """The first day of ``day``'s period: the day itself, its ISO week's Monday, its month's,
    quarter's or year's first."""
    if grain is Grain.DAY:
        return day
    if grain is Grain.WEEK:
        return day - timedelta(days=day.weekday())
    if grain is Grain.QUARTER:
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    if grain is Grain.YEAR:
        return date(day.year, 1, 1)
    return day.replace(day=1)


def period_end(grain: Grain, period: date) -> date:
    """The day after the period that starts on ``period``."""
    if grain is Grain.DAY:
        return period + timedelta(days=1)
    if grain is Grain.WEEK:
        return period + timedelta(days=7)
    if grain is Grain.QUARTER:
        return next_month(next_month(next_month(period)))
    if grain is Grain.YEAR:
        return date(period.year + 1, 1, 1)
    return next_month(period)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_label(month: date, language: Language, *, short: bool = False) -> str:
    """``Januari 2026``; ``Jan 26`` when ``short``."""
    name = MONTH_NAMES[language][month.month - 1]
    if short:
        return f"{name[:3]} {month.year % 100:02d}"
    return f"{name} {month.year}"


@dataclass(frozen=True)
class Cover:
    """Disjoint rollup periods whose union is exactly a date range."""

    months: tuple[date, ...]
    weeks: tuple[date, ...]
    days: tuple[date, ...]
    quarters: tuple[date, ...] = ()
    years: tuple[date, ...] = ()

    def periods(self, grain: Grain) -> tuple[date, ...]:
        return {
            Grain.DAY: self.days,
            Grain.MONTH: self.months,
            Grain.WEEK: self.weeks,
            Grain.QUARTER: self.quarters,
            Grain.YEAR: self.years,
        }[grain]

    @property
    def first(self) -> date:
        return min((*self.years, *self.quarters, *self.months, *self.weeks, *self.days))

    @property
    def last(self) -> date:
        ends = [
            period_end(grain, period) - timedelta(days=1)
            for grain in Grain
            for period in self.periods(grain)
        ]
        return max(ends)


def cover(first: date, last: date, *, months: bool = True, coarse: bool = False) -> Cover:
    """The range ``first``..``last`` (both included) as whole years and quarters (when
    ``coarse``: the marketplace-wide groupings that are not periods), whole months (unless
    ``months`` is False, for week reports), whole weeks that stay inside one month, and
    single days."""
    coarse_periods: dict[Grain, list[date]] = {Grain.YEAR: [], Grain.QUARTER: []}
    whole_months: list[date] = []
    weeks: list[date] = []
    days: list[date] = []
    day = first
    while day <= last:
        month_end = next_month(day) - timedelta(days=1)
        week_end = day + timedelta(days=6)
        grain = _coarse_from(day, last) if coarse and months else None
        if grain is not None:
            coarse_periods[grain].append(day)
            day = period_end(grain, day)
        elif months and day.day == 1 and month_end <= last:
            whole_months.append(day)
            day = month_end + timedelta(days=1)
        elif (
            day.weekday() == 0 and week_end <= last and (not months or week_end.month == day.month)
        ):
            weeks.append(day)
            day = week_end + timedelta(days=1)
        else:
            days.append(day)
            day += timedelta(days=1)
    return Cover(
        tuple(whole_months),
        tuple(weeks),
        tuple(days),
        tuple(coarse_periods[Grain.QUARTER]),
        tuple(coarse_periods[Grain.YEAR]),
    )


def _coarse_from(day: date, last: date) -> Grain | None:
    """The year or quarter that starts on ``day`` and ends by ``last``, if any."""
    for grain in (Grain.YEAR, Grain.QUARTER):
        if period_of(grain, day) == day and period_end(grain, day) <= last + timedelta(days=1):
            return grain
    return None
