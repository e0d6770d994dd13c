"""The one aggregation path of the reports: facts derived from seller-orders, order lines and
refunds, and weekly and monthly rollups derived from the facts. A rebuild runs these statements
for everything; the sweep runs the very same statements for the seller-orders that changed and
the (seller, period) rollups they touch, so both paths give the same rows.

The facts read other domains' tables directly: the reports are a read model over them, built in
the database (INSERT ... SELECT) so that a rebuild of a million orders never passes through
Python."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, Uuid, bindparam, delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import TextClause

from marketplace.reports import buyer_sets, market
from marketplace.reports.models import (
    SELLER_DAY_DIMENSIONS,
    SELLER_GRAINS,
    Dimension,
    Grain,
    ReportFact,
    ReportRollup,
)
from marketplace.reports.periods import period_end, period_of

# When a seller-order's goods count as sold: card and bank transfer when the order was paid,
# cash on delivery when a seller member recorded the cash as collected.
_SOLD_AT = "(CASE WHEN o.payment_method = 'cod' THEN so.cod_collected_at ELSE o.paid_at END)"
_FACT_COLUMNS = (
    "seller_order_id, product_id, kind, day, week_start, month_start, seller_id, region_code, "
    "seller_kind, category_id, units, gross, refunds, buyer_key, buyer_number, "
    "seller_buyer_number, outside_province"
)
# Every sold seller-order's buyer is numbered before its facts are written (buyer_sets.py).
_BUYER_NUMBERS = """
JOIN report_buyers rb ON rb.buyer_key = lower(o.buyer_email)
JOIN report_seller_buyers rsb ON rsb.seller_id = so.seller_id AND rsb.buyer_ordinal = rb.ordinal"""


@dataclass(frozen=True)
class Calendar:
    """WIB (UTC+7, no daylight saving) dates of a stored UTC moment, in the database's dialect."""

    dialect: str

    def day(self, moment: str) -> str:
        if self.dialect == "postgresql":
            return f"CAST(timezone('Asia/Jakarta', {moment}) AS DATE)"
        return f"date({moment}, '+7 hours')"

    def week_start(self, moment: str) -> str:
        if self.dialect == "postgresql":
            return f"CAST(date_trunc('week', timezone('Asia/Jakarta', {moment})) AS DATE)"
        return f"date({moment}, '+7 hours', 'weekday 0', '-6 days')"

    def month_start(self, moment: str) -> str:
        if self.dialect == "postgresql":
            return f"CAST(date_trunc('month', timezone('Asia/Jakarta', {moment})) AS DATE)"
        return f"date({moment}, '+7 hours', 'start of month')"

    def dates(self, moment: str) -> str:
        return f"{self.day(moment)}, {self.week_start(moment)}, {self.month_start(moment)}"


def _calendar(session: AsyncSession) -> Calendar:
    return Calendar(session.get_bind().dialect.name)


def _keeps_buyer_sets(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _only(column: str, ids: Collection[uuid.UUID] | None) -> str:
    return "" if ids is None else f" AND {column} IN :ids"


def _bind_ids(statement: TextClause, ids: Collection[uuid.UUID] | None) -> TextClause:
    if ids is None:
        return statement
    return statement.bindparams(bindparam("ids", value=list(ids), expanding=True, type_=Uuid()))


def _sales_sql(calendar: Calendar, ids: Collection[uuid.UUID] | None) -> TextClause:
    """One fact per (seller-order, product): the goods (line totals, no shipping, no payment
    codes) of a seller-order that was not cancelled before its money came."""
    sql = f"""
INSERT INTO report_facts ({_FACT_COLUMNS})
SELECT so.id, oi.product_id, 'sale', {calendar.dates(_SOLD_AT)}, so.seller_id,
       MIN(s.region_code), MIN(s.kind), p.category_id, SUM(oi.quantity), SUM(oi.line_total),
       0, MIN(lower(o.buyer_email)), MIN(rb.ordinal), MIN(rsb.ordinal),
       MIN(CASE WHEN o.destination_region_code IS NULL THEN 1 ELSE 0 END) = 1
FROM seller_orders so
JOIN orders o ON o.id = so.order_id
JOIN order_items oi ON oi.seller_order_id = so.id
JOIN sellers s ON s.id = so.seller_id
JOIN products p ON p.id = oi.product_id{_BUYER_NUMBERS}
WHERE {_SOLD_AT} IS NOT NULL
  AND (so.cancelled_at IS NULL OR so.cancelled_at > {_SOLD_AT}){_only("so.id", ids)}
GROUP BY so.id, oi.product_id, so.seller_id, p.category_id, {_SOLD_AT}
{"ORDER BY 4" if ids is None else ""}
"""
    # A rebuild writes the sales in day order, as the sweeps do over time: a day's facts (the
    # edges of a report's range) then sit in a few pages rather than across the whole table.
    return _bind_ids(text(sql), ids)


def _cancelled_refunds_sql(calendar: Calendar, ids: Collection[uuid.UUID] | None) -> TextClause:
    """A seller-order cancelled after its money came: all its goods are refunded, on the day of
    the cancellation (the refund is recorded in that same transaction)."""
    sql = f"""
INSERT INTO report_facts ({_FACT_COLUMNS})
SELECT so.id, oi.product_id, 'refund', {calendar.dates("so.cancelled_at")}, so.seller_id,
       MIN(s.region_code), MIN(s.kind), p.category_id, 0, 0, SUM(oi.line_total),
       MIN(lower(o.buyer_email)), MIN(rb.ordinal), MIN(rsb.ordinal),
       MIN(CASE WHEN o.destination_region_code IS NULL THEN 1 ELSE 0 END) = 1
FROM seller_orders so
JOIN orders o ON o.id = so.order_id
JOIN order_items oi ON oi.seller_order_id = so.id
JOIN sellers s ON s.id = so.seller_id
JOIN products p ON p.id = oi.product_id{_BUYER_NUMBERS}
WHERE {_SOLD_AT} IS NOT NULL AND so.cancelled_at > {_SOLD_AT}{_only("so.id", ids)}
GROUP BY so.id, oi.product_id, so.seller_id, p.category_id, so.cancelled_at
"""
    return _bind_ids(text(sql), ids)


def _partial_refunds_sql(calendar: Calendar, ids: Collection[uuid.UUID] | None) -> TextClause:
    """Refunds recorded against a seller-order that stays (a complaint's refund): the goods part
    (at most the goods' total; shipping comes back last) is split over its lines by their
    totals, the rounding remainder on its first line."""
    sql = f"""
INSERT INTO report_facts ({_FACT_COLUMNS})
SELECT seller_order_id, product_id, 'refund', day, week_start, month_start, seller_id,
       MIN(region_code), MIN(seller_kind), category_id, 0, 0,
       SUM(share + CASE WHEN line_rank = 1 THEN goods - refund_shares ELSE 0 END),
       MIN(buyer_key), MIN(buyer_number), MIN(seller_buyer_number), MIN(outside) = 1
FROM (
  SELECT lines.*, SUM(share) OVER (PARTITION BY refund_id) AS refund_shares
  FROM (
    SELECT r.id AS refund_id, {calendar.day("r.created_at")} AS day,
           {calendar.week_start("r.created_at")} AS week_start,
           {calendar.month_start("r.created_at")} AS month_start, so.id AS seller_order_id,
           so.seller_id, oi.product_id, s.region_code, s.kind AS seller_kind, p.category_id,
           lower(o.buyer_email) AS buyer_key, rb.ordinal AS buyer_number,
           rsb.ordinal AS seller_buyer_number,
           CASE WHEN o.destination_region_code IS NULL THEN 1 ELSE 0 END AS outside,
           CASE WHEN r.amount < so.subtotal THEN r.amount ELSE so.subtotal END AS goods,
           (CASE WHEN r.amount < so.subtotal THEN r.amount ELSE so.subtotal END) * oi.line_total
             / so.subtotal AS share,
           ROW_NUMBER() OVER (PARTITION BY r.id ORDER BY oi.position, oi.id) AS line_rank
    FROM refunds r
    JOIN seller_orders so ON so.id = r.seller_order_id
    JOIN orders o ON o.id = so.order_id
    JOIN order_items oi ON oi.seller_order_id = so.id
    JOIN sellers s ON s.id = so.seller_id
    JOIN products p ON p.id = oi.product_id{_BUYER_NUMBERS}
    WHERE r.status <> 'failed' AND so.cancelled_at IS NULL AND so.subtotal > 0
      AND {_SOLD_AT} IS NOT NULL{_only("so.id", ids)}
  ) lines
) shared
GROUP BY seller_order_id, product_id, seller_id, category_id, day, week_start, month_start
"""
    return _bind_ids(text(sql), ids)


def _rollup_sql(
    grain: Grain, dimension: Dimension, sellers: Collection[uuid.UUID] | None, periods: bool
) -> TextClause:
    period = {Grain.DAY: "day", Grain.WEEK: "week_start", Grain.MONTH: "month_start"}[grain]
    member = {
        Dimension.SELLER: "seller_id",
        Dimension.CATEGORY: "category_id",
        Dimension.PRODUCT: "product_id",
    }[dimension]
    grouped = ", ".join(dict.fromkeys([period, "seller_id", member]))
    where = "1 = 1"
    if sellers is not None:
        where += " AND seller_id IN :sellers"
    if periods:
        # One period; the day range first, so the facts' indexes narrow the read.
        where += f" AND day >= :first_day AND day < :end_day AND {period} = :period"
    # A week's rows carry the month of its Monday: they are only read for weeks inside a month.
    sql = f"""
INSERT INTO report_rollups (grain, period, dimension, seller_id, member_id, week_start,
                            month_start, region_code, seller_kind, orders, units, gross, refunds)
SELECT '{grain.value}', {period}, '{dimension.value}', seller_id, {member}, MIN(week_start),
       MIN(month_start), MIN(region_code), MIN(seller_kind),
       COUNT(DISTINCT CASE WHEN kind = 'sale' THEN seller_order_id END),
       SUM(units), SUM(gross), SUM(refunds)
FROM report_facts
WHERE {where}
GROUP BY {grouped}
"""
    return text(sql)


def _dimensions_of(grain: Grain) -> tuple[Dimension, ...]:
    return SELLER_DAY_DIMENSIONS if grain is Grain.DAY else tuple(Dimension)


@dataclass(frozen=True)
class TouchedFact:
    """Who and what a fact counts for on its day: the rollups and buyer sets holding it."""

    seller_id: uuid.UUID
    day: date
    region_code: str
    seller_kind: str
    category_id: uuid.UUID
    product_id: uuid.UUID


@dataclass(frozen=True)
class Touched:
    """The facts (as their rollup keys) that were or are now part of the recomputed
    seller-orders: the rollups and buyer sets to recompute."""

    facts: frozenset[TouchedFact] = frozenset()

    @property
    def sellers(self) -> frozenset[uuid.UUID]:
        return frozenset(fact.seller_id for fact in self.facts)

    @property
    def days(self) -> frozenset[date]:
        return frozenset(fact.day for fact in self.facts)

    def __or__(self, other: Touched) -> Touched:
        return Touched(self.facts | other.facts)


async def rebuild_everything(session: AsyncSession) -> None:
    """Every fact and rollup again, from the source tables."""
    await session.execute(delete(ReportRollup))
    await session.execute(delete(ReportFact))
    await buyer_sets.number_buyers(session, None, everyone=True)
    await _insert_facts(session, None)
    for grain in SELLER_GRAINS:
        for dimension in _dimensions_of(grain):
            await session.execute(_rollup_sql(grain, dimension, None, periods=False))
    await market.build_everything(session)
    if _keeps_buyer_sets(session):
        await buyer_sets.build_everything(session)


async def refresh_seller_orders(session: AsyncSession, ids: Collection[uuid.UUID]) -> Touched:
    """The facts of ``ids`` again; what they touched (as they were and are now), for
    ``finish_refresh`` (once per sweep round, however many batches)."""
    if not ids:
        return Touched()
    before = await _touched(session, ids)
    await session.execute(
        delete(ReportFact)
        .where(ReportFact.seller_order_id.in_(ids))
        .execution_options(synchronize_session=False)
    )
    await buyer_sets.number_buyers(session, ids)
    await _insert_facts(session, ids)
    return before | await _touched(session, ids)


async def finish_refresh(session: AsyncSession, touched: Touched) -> None:
    """The rollups (per seller and marketplace-wide) and the buyer sets of what a sweep
    round's batches touched, each once."""
    if not touched.facts:
        return
    await _refresh_rollups(session, touched)
    await market.refresh(session, touched.facts)
    if _keeps_buyer_sets(session):
        await buyer_sets.refresh(session, touched.facts)


async def _insert_facts(session: AsyncSession, ids: Collection[uuid.UUID] | None) -> None:
    calendar = _calendar(session)
    await session.execute(_sales_sql(calendar, ids))
    await session.execute(_cancelled_refunds_sql(calendar, ids))
    await session.execute(_partial_refunds_sql(calendar, ids))


async def _touched(session: AsyncSession, ids: Collection[uuid.UUID]) -> Touched:
    rows = (
        await session.execute(
            select(
                ReportFact.seller_id,
                ReportFact.day,
                ReportFact.region_code,
                ReportFact.seller_kind,
                ReportFact.category_id,
                ReportFact.product_id,
            )
            .where(ReportFact.seller_order_id.in_(ids))
            .distinct()
        )
    ).all()
    return Touched(frozenset(TouchedFact(*row) for row in rows))


async def _refresh_rollups(session: AsyncSession, touched: Touched) -> None:
    """Per touched period, the per-seller rollups of the sellers touched in it."""
    sellers: dict[tuple[Grain, date], set[uuid.UUID]] = {}
    for fact in touched.facts:
        for grain in SELLER_GRAINS:
            sellers.setdefault((grain, period_of(grain, fact.day)), set()).add(fact.seller_id)
    for (grain, period), chosen in sorted(sellers.items()):
        await session.execute(
            delete(ReportRollup)
            .where(
                ReportRollup.grain == grain,
                ReportRollup.period == period,
                ReportRollup.seller_id.in_(chosen),
            )
            .execution_options(synchronize_session=False)
        )
        span = {"period": period, "first_day": period, "end_day": period_end(grain, period)}
        for dimension in _dimensions_of(grain):
            statement = _rollup_sql(grain, dimension, chosen, periods=True).bindparams(
                bindparam("sellers", value=list(chosen), expanding=True, type_=Uuid()),
                *(bindparam(name, type_=Date()) for name in span),
            )
            await session.execute(statement, span)
