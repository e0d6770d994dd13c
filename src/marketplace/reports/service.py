"""The economic reports: sales by region, category, seller kind, seller, month, week or product
over a WIB date range, read from the rollups (sums) and the fact table (distinct buyers)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.core.errors import InvalidInput
from marketplace.core.formatting import WIB
from marketplace.core.i18n import N_, Language, gettext, gettext_in
from marketplace.db.base import utcnow
from marketplace.reports import repository, summary_store
from marketplace.reports.periods import Cover, cover, month_label, next_month

MAX_RANGE_DAYS = 366 * 5
FIRST_YEAR, LAST_YEAR = 2000, 2100
TOP_PRODUCTS = 10


class GroupBy(StrEnum):
    REGION = "region"
    CATEGORY = "category"
    SELLER_KIND = "seller_kind"
    SELLER = "seller"
    MONTH = "month"
    WEEK = "week"
    PRODUCT = "product"


ADMIN_GROUPS = (
    GroupBy.REGION,
    GroupBy.CATEGORY,
    GroupBy.SELLER_KIND,
    GroupBy.SELLER,
    GroupBy.MONTH,
    GroupBy.WEEK,
)
SELLER_GROUPS = (GroupBy.MONTH, GroupBy.WEEK, GroupBy.PRODUCT)
# The public summary's tables, whose figures of the default range the sweep keeps.
PUBLIC_GROUPS = (GroupBy.REGION, GroupBy.SELLER_KIND, GroupBy.CATEGORY, GroupBy.MONTH)
TIME_GROUPS = (GroupBy.MONTH, GroupBy.WEEK)


@dataclass(frozen=True)
class DateRange:
    """WIB calendar days ``first``..``last``, both included."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), WIB)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), WIB)


@dataclass(frozen=True)
class Figures:
    key: str
    label: str
    orders: int
    units: int
    gross: int
    refunds: int
    buyers: int
    sellers: int
    buyers_outside_province: int

    @property
    def net(self) -> int:
        return self.gross - self.refunds

    @property
    def average_order_value(self) -> int:
        return self.gross // self.orders if self.orders else 0

    @property
    def outside_province_share(self) -> float:
        return round(self.buyers_outside_province / self.buyers, 4) if self.buyers else 0.0


@dataclass(frozen=True)
class SalesReport:
    group_by: GroupBy
    period: DateRange
    items: list[Figures]
    totals: Figures
    new_sellers: int
    new_products: int
    top_products: list[Figures]


def today_wib() -> date:
    return utcnow().astimezone(WIB).date()


def date_range(first: date | None, last: date | None) -> DateRange:
    """The asked range; by default the last twelve months up to today (WIB). 422 when it is
    inverted, longer than five years, or outside the years 2000 to 2100."""
    for name, value in (("from", first), ("to", last)):
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise InvalidInput.for_field(
                ("query", name),
                gettext("Report dates must be between the years 2000 and 2100."),
                "value_error",
            )
    last = last or today_wib()
    first = first or next_month(last.replace(day=1, year=last.year - 1))
    if first > last:
        raise InvalidInput.for_field(
            ("query", "from"), gettext("from must be on or before to."), "value_error"
        )
    if (last - first).days > MAX_RANGE_DAYS:
        raise InvalidInput.for_field(
            ("query", "to"), gettext("A report covers at most five years."), "value_error"
        )
    return DateRange(first, last)


async def sales_report(
    session: AsyncSession,
    group_by: GroupBy,
    period: DateRange,
    *,
    seller_id: uuid.UUID | None = None,
    language: Language = Language.INDONESIAN,
) -> SalesReport:
    """Figures per group and in total; ``seller_id`` keeps one seller's own sales."""
    if seller_id is None and group_by in PUBLIC_GROUPS:
        kept = await summary_store.stored(session, period)
        if kept is not None:
            return await _kept_report(session, group_by, kept, language)
    fine = cover(period.first, period.last, months=group_by is not GroupBy.WEEK)
    # Quarters and years where they fit, for what is not grouped by period: marketplace-wide
    # sums and every buyer set keep them (a seller's own sums do not).
    coarse = fine if group_by in TIME_GROUPS else cover(period.first, period.last, coarse=True)
    market_wide = seller_id is None and group_by is not GroupBy.SELLER
    key = group_by.value
    sums, total_sums = await repository.sums_and_total(
        session, key, coarse if market_wide else fine, seller_id
    )
    buyers, total_buyers = await repository.buyers_and_total(session, key, coarse, seller_id)
    items = await _items(session, group_by, sums, buyers, language)
    totals = _figures("total", gettext_in(language, "Total"), total_sums, total_buyers)
    new_sellers, new_products = (0, 0)
    if seller_id is None:
        new_sellers, new_products = await repository.new_sellers_and_products(
            session, period.start, period.end
        )
    # Whole months (and marketplace-wide quarters and years) where they fit, whatever the
    # grouping: a fraction of the rows of weeks.
    top = await top_products(
        session, cover(period.first, period.last, coarse=seller_id is None), seller_id=seller_id
    )
    return SalesReport(group_by, period, items, totals, new_sellers, new_products, top)


async def _kept_report(
    session: AsyncSession, group_by: GroupBy, kept: OverviewFigures, language: Language
) -> SalesReport:
    """A marketplace-wide report of the default range from the figures the sweep keeps for
    the public summary: the same sums, buyers and top products the rollups give (the
    summary's tables are counted over the same covers), named and ordered alike."""
    grouped = kept.tables[group_by]
    items = await _items(session, group_by, grouped.sums, grouped.buyers, language)
    common = await _common_parts(session, kept, language)
    return SalesReport(group_by, kept.period, items, *common)


@dataclass(frozen=True)
class Overview:
    """Several marketplace-wide groupings of one range, sharing their total, new sellers and
    products, and top products (the public summary's tables)."""

    period: DateRange
    tables: dict[GroupBy, list[Figures]]
    totals: Figures
    new_sellers: int
    new_products: int
    top_products: list[Figures]


@dataclass(frozen=True)
class Grouped:
    """One grouping's figures as the rollups give them: sums and distinct buyers per key."""

    sums: list[repository.Sums]
    buyers: list[repository.Buyers]


@dataclass(frozen=True)
class OverviewFigures:
    """An overview's figures before they are named, ordered and published: what only changes
    when the sweep commits (the public summary's are kept by the sweep, summary_store.py)."""

    period: DateRange
    tables: dict[GroupBy, Grouped]
    total_sums: repository.Sums
    total_buyers: repository.Buyers
    top_products: Grouped


async def overview(
    session: AsyncSession,
    groups: tuple[GroupBy, ...],
    period: DateRange,
    *,
    language: Language = Language.INDONESIAN,
) -> Overview:
    """What ``sales_report`` gives for each of ``groups`` (never a seller)."""
    figures = await overview_figures(session, groups, period)
    return await named_overview(session, figures, language)


async def overview_figures(
    session: AsyncSession, groups: tuple[GroupBy, ...], period: DateRange
) -> OverviewFigures:
    """The figures of ``overview`` from a few statements: the sums of all groupings that share
    a cover in one, each grouping's buyers in one, and the total and top products once."""
    coarse = cover(period.first, period.last, coarse=True)
    covers = {
        group_by: cover(period.first, period.last, months=group_by is not GroupBy.WEEK)
        if group_by in TIME_GROUPS
        else coarse
        for group_by in groups
    }
    sums: dict[str, list[repository.Sums]] = {}
    for periods in dict.fromkeys(covers.values()):
        keys = [group_by.value for group_by in groups if covers[group_by] == periods]
        if periods == coarse:
            keys.append("total")
        sums.update(await repository.market_sums(session, keys, periods))
    tables: dict[GroupBy, Grouped] = {}
    total_buyers = repository.Buyers(key=None, buyers=0, outside_province=0)
    for group_by in groups:
        if group_by is groups[0]:
            buyers, total_buyers = await repository.buyers_and_total(
                session, group_by.value, covers[group_by]
            )
        else:
            buyers = await repository.buyers(session, group_by.value, covers[group_by])
        tables[group_by] = Grouped(sums[group_by.value], buyers)
    [total_sums] = sums.get("total") or [
        repository.Sums(key=None, orders=0, units=0, gross=0, refunds=0, sellers=0)
    ]
    top = await _top_product_figures(session, coarse, seller_id=None)
    return OverviewFigures(period, tables, total_sums, total_buyers, top)


async def named_overview(
    session: AsyncSession, figures: OverviewFigures, language: Language
) -> Overview:
    """The figures named in ``language`` and ordered."""
    tables = {
        group_by: await _items(session, group_by, grouped.sums, grouped.buyers, language)
        for group_by, grouped in figures.tables.items()
    }
    return Overview(figures.period, tables, *await _common_parts(session, figures, language))


async def _common_parts(
    session: AsyncSession, figures: OverviewFigures, language: Language
) -> tuple[Figures, int, int, list[Figures]]:
    """The totals, the new sellers and products of the range (read now: they are not sales,
    the sweep does not follow them) and the named top products."""
    totals = _figures(
        "total", gettext_in(language, "Total"), figures.total_sums, figures.total_buyers
    )
    period = figures.period
    new_sellers, new_products = await repository.new_sellers_and_products(
        session, period.start, period.end
    )
    top = await _named_products(session, figures.top_products)
    return totals, new_sellers, new_products, top


async def _items(
    session: AsyncSession,
    group_by: GroupBy,
    sums: list[repository.Sums],
    buyers: list[repository.Buyers],
    language: Language,
) -> list[Figures]:
    """The groups' figures, named and in report order (periods by date, else by gross)."""
    names = await repository.labels(session, group_by.value, [row.key for row in sums])
    items = _merge(sums, buyers, lambda raw: _label(group_by, raw, names, language))
    items.sort(key=lambda row: row.key if group_by in TIME_GROUPS else (-row.gross, row.label))
    return items


async def top_products(
    session: AsyncSession, periods: Cover, *, seller_id: uuid.UUID | None
) -> list[Figures]:
    return await _named_products(
        session, await _top_product_figures(session, periods, seller_id=seller_id)
    )


async def _top_product_figures(
    session: AsyncSession, periods: Cover, *, seller_id: uuid.UUID | None
) -> Grouped:
    rows = await repository.top_products(session, periods, TOP_PRODUCTS, seller_id)
    keys = [row.key for row in rows]
    buyers = await repository.buyers(session, "product", periods, seller_id, keys=keys)
    return Grouped(rows, buyers)


async def _named_products(session: AsyncSession, products: Grouped) -> list[Figures]:
    names = await repository.labels(session, "product", [row.key for row in products.sums])
    return _merge(products.sums, products.buyers, lambda raw: names.get(raw, str(raw)))


def _merge(
    sums: list[repository.Sums], buyers: list[repository.Buyers], label: Any
) -> list[Figures]:
    by_key = {row.key: row for row in buyers}
    empty = repository.Buyers(key=None, buyers=0, outside_province=0)
    return [
        _figures(_key_text(row.key), label(row.key), row, by_key.get(row.key, empty))
        for row in sums
    ]


def _figures(key: str, label: str, sums: repository.Sums, buyers: repository.Buyers) -> Figures:
    return Figures(
        key=key,
        label=label,
        orders=sums.orders,
        units=sums.units,
        gross=sums.gross,
        refunds=sums.refunds,
        buyers=buyers.buyers,
        sellers=sums.sellers,
        buyers_outside_province=buyers.outside_province,
    )


def _key_text(raw: Any) -> str:
    if isinstance(raw, uuid.UUID):
        return str(raw)
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw)


_SELLER_KINDS = {
    "community_group": N_("Community group"),
    "cooperative": N_("Cooperative"),
    "umkm": N_("Small business (UMKM)"),
}


def _label(group_by: GroupBy, raw: Any, names: dict[Any, str], language: Language) -> str:
    if group_by is GroupBy.MONTH:
        return month_label(_as_date(raw), language)
    if group_by is GroupBy.WEEK:
        return gettext_in(language, "Week of %(day)s", day=_as_date(raw).isoformat())
    if group_by is GroupBy.SELLER_KIND:
        return gettext_in(language, _SELLER_KINDS[str(raw)])
    return names.get(raw, str(raw))


def _as_date(raw: Any) -> date:
    return raw if isinstance(raw, date) else date.fromisoformat(str(raw))
