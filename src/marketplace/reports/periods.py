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
    """The first day of ``day``'s period: its ISO week's Monday, or its month's first."""
    if grain is Grain.WEEK:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


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

    def periods(self, grain: Grain) -> tuple[date, ...]:
        return {Grain.MONTH: self.months, Grain.WEEK: self.weeks}[grain]

    @property
    def first(self) -> date:
        return min((*self.months, *self.weeks, *self.days))

    @property
    def last(self) -> date:
        ends = [
            *(next_month(month) - timedelta(days=1) for month in self.months),
            *(week + timedelta(days=6) for week in self.weeks),
            *self.days,
        ]
        return max(ends)


def cover(first: date, last: date, *, months: bool = True) -> Cover:
    """The range ``first``..``last`` (both included) as whole months (unless ``months`` is
    False, for week reports), whole weeks that stay inside one month, and single days."""
    whole_months: list[date] = []
    weeks: list[date] = []
    days: list[date] = []
    day = first
    while day <= last:
        month_end = next_month(day) - timedelta(days=1)
        week_end = day + timedelta(days=6)
        if months and day.day == 1 and month_end <= last:
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
    return Cover(tuple(whole_months), tuple(weeks), tuple(days))
