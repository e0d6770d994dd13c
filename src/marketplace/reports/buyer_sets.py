"""Exact distinct buyers over any date range on PostgreSQL, without reading the facts of whole
months: every buyer gets a number once, and each (grain, period, member) keeps the set of its
buyers' numbers as a bit string. A range's buyers are the ``bit_or`` of its covering weeks and
months, counted with ``bit_count``. The single days at its edges have their own sets in the
marketplace-wide and seller scopes (a day's facts are thousands); in the product scope they
are read from the facts (a few products' days) and counted where their bit is not already
set.

Marketplace-wide scopes (total, region, seller kind, category) number buyers across the
marketplace; a seller's and its products' sets number them among that seller's buyers, so the
hundreds of thousands of small sets stay small. Numbers are given in the sweep's transaction
(under its watermark lock) and never change, so rebuilt sets equal incremental ones bit for bit.
Buyers are numbered on both databases (the facts carry the numbers); SQLite, the small embedded
database, keeps no sets and counts distinct buyers from the facts."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import ARRAY, Date, String, Uuid, bindparam, delete, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import TextClause

from marketplace.reports.models import (
    COARSE_GRAINS,
    FINE_GRAINS,
    MARKET_FINE_GRAINS,
    BuyerScope,
    Grain,
    ReportBuyerSet,
)
from marketplace.reports.periods import Cover, period_end, period_of

if TYPE_CHECKING:
    from marketplace.reports.rollups import TouchedFact

MARKETPLACE_SCOPES = (
    BuyerScope.TOTAL,
    BuyerScope.REGION,
    BuyerScope.SELLER_KIND,
    BuyerScope.CATEGORY,
)
SELLER_SCOPES = (BuyerScope.SELLER, BuyerScope.PRODUCT)
# The scopes that keep day sets.
DAY_SCOPES = (*MARKETPLACE_SCOPES, BuyerScope.SELLER)
_MEMBERS = {
    BuyerScope.TOTAL: "''",
    BuyerScope.REGION: "f.region_code",
    BuyerScope.SELLER_KIND: "f.seller_kind",
    BuyerScope.CATEGORY: "CAST(f.category_id AS TEXT)",
    BuyerScope.SELLER: "CAST(f.seller_id AS TEXT)",
    BuyerScope.PRODUCT: "CAST(f.product_id AS TEXT)",
}
# The members that are ids, as the facts' own columns: asked for by id, the facts of a range's
# edge days are compared as ids (cast to text, thousands of rows cost 8 ms of a top products'
# count at 1M orders).
_MEMBER_IDS = {
    BuyerScope.CATEGORY: "f.category_id",
    BuyerScope.SELLER: "f.seller_id",
    BuyerScope.PRODUCT: "f.product_id",
}
_PERIOD_COLUMNS = {Grain.DAY: "day", Grain.WEEK: "week_start", Grain.MONTH: "month_start"}


def _ids(name: str, values: Collection[uuid.UUID]) -> Any:
    return bindparam(name, value=list(values), expanding=True, type_=Uuid())


def _dates(name: str, values: Collection[date]) -> Any:
    return bindparam(name, value=list(values), expanding=True, type_=Date())


# ---- numbering buyers ----


async def number_buyers(
    session: AsyncSession, ids: Collection[uuid.UUID] | None, *, everyone: bool = False
) -> None:
    """Numbers for the buyers of these seller-orders (every seller-order when ``ids`` is None)
    that were sold and have none yet: marketplace-wide, then within each seller. Run before
    their facts are written, on both databases (the facts carry the numbers). ``everyone``: a
    rebuild, which numbers many at once."""
    sold = (
        "(CASE WHEN o.payment_method = 'cod' THEN so.cod_collected_at ELSE o.paid_at END) "
        "IS NOT NULL"
    )
    if ids is not None:
        sold += " AND so.id IN :ids"
    marketplace = text(f"""
INSERT INTO report_buyers (buyer_key)
SELECT DISTINCT lower(o.buyer_email) AS buyer_key
FROM seller_orders so JOIN orders o ON o.id = so.order_id
WHERE {sold}
  AND NOT EXISTS (SELECT 1 FROM report_buyers b WHERE b.buyer_key = lower(o.buyer_email))
ORDER BY buyer_key
""")
    # Each seller's highest number is read once, before the insert: a MAX per inserted row
    # would walk past the rows this very statement is inserting (quadratic on a rebuild).
    within_seller = text(f"""
INSERT INTO report_seller_buyers (seller_id, buyer_ordinal, ordinal)
WITH fresh AS MATERIALIZED (
  SELECT DISTINCT so.seller_id, b.ordinal AS buyer_ordinal
  FROM seller_orders so
  JOIN orders o ON o.id = so.order_id
  JOIN report_buyers b ON b.buyer_key = lower(o.buyer_email)
  WHERE {sold}
    AND NOT EXISTS (SELECT 1 FROM report_seller_buyers x
                    WHERE x.seller_id = so.seller_id AND x.buyer_ordinal = b.ordinal)
), highest AS MATERIALIZED (
  SELECT x.seller_id, MAX(x.ordinal) AS ordinal FROM report_seller_buyers x
  WHERE x.seller_id IN (SELECT seller_id FROM fresh)
  GROUP BY x.seller_id
)
SELECT fresh.seller_id, fresh.buyer_ordinal,
       COALESCE(highest.ordinal, 0)
       + ROW_NUMBER() OVER (PARTITION BY fresh.seller_id ORDER BY fresh.buyer_ordinal)
FROM fresh LEFT JOIN highest ON highest.seller_id = fresh.seller_id
""")
    sellers = text(f"""
INSERT INTO report_sellers (seller_id)
SELECT DISTINCT so.seller_id
FROM seller_orders so JOIN orders o ON o.id = so.order_id
WHERE {sold}
  AND NOT EXISTS (SELECT 1 FROM report_sellers x WHERE x.seller_id = so.seller_id)
ORDER BY so.seller_id
""")
    for statement, table in (
        (marketplace, "report_buyers"),
        (within_seller, "report_seller_buyers"),
        (sellers, "report_sellers"),
    ):
        await session.execute(statement if ids is None else statement.bindparams(_ids("ids", ids)))
        if everyone and session.get_bind().dialect.name == "postgresql":
            # Fresh statistics, or the next statements join a table the planner takes for empty.
            await session.execute(text(f"ANALYZE {table}"))


# ---- building the sets ----


def _build_sql(
    grain: Grain,
    scope: BuyerScope,
    *,
    sellers: bool = False,
    period: bool = False,
    members: bool = False,
) -> TextClause:
    """The sets of one grain and scope (of one period, of some sellers or members), as bit
    strings spelled out from the sorted numbers (each number's gap from the previous one in
    zeros, then a one)."""
    period_column = _PERIOD_COLUMNS[grain]
    local = scope in SELLER_SCOPES
    ordinal = "f.seller_buyer_number" if local else "f.buyer_number"
    where = "f.kind = 'sale'"
    if sellers:
        where += " AND f.seller_id IN :sellers"
    if period:
        # The day range first, so the facts' day index narrows the read.
        where += f" AND f.day >= :first_day AND f.day < :end_day AND f.{period_column} = :period"
    if members:
        where += f" AND {_MEMBERS[scope]} IN :members"
    sql = f"""
INSERT INTO report_buyer_sets (grain, period, scope, member, seller_id, week_start, month_start,
                               buyers, outside_province)
SELECT '{grain.value}', period, '{scope.value}', member, seller_id,
       MIN(week_start), MIN(month_start),
       CAST(string_agg(repeat('0', ordinal - previous - 1) || '1', '' ORDER BY ordinal)
            AS VARBIT),
       CAST(string_agg(CASE WHEN outside THEN repeat('0', ordinal - previous_outside - 1) || '1'
                       END, '' ORDER BY ordinal) AS VARBIT)
FROM (
  SELECT *,
         COALESCE(LAG(ordinal) OVER numbered, -1) AS previous,
         COALESCE(MAX(CASE WHEN outside THEN ordinal END) OVER (
           numbered ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), -1) AS previous_outside
  FROM (
    SELECT f.{period_column} AS period, {_MEMBERS[scope]} AS member, {ordinal} AS ordinal,
           {"f.seller_id" if local else "CAST(NULL AS UUID)"} AS seller_id,
           BOOL_OR(f.outside_province) AS outside,
           MIN(f.week_start) AS week_start, MIN(f.month_start) AS month_start
    FROM report_facts f
    WHERE {where}
    GROUP BY 1, 2, 3, 4
  ) buyers
  WINDOW numbered AS (PARTITION BY period, member ORDER BY ordinal)
) gaps
GROUP BY period, member, seller_id
"""
    return text(sql)


def _coarse_sql(grain: Grain, *, touched: bool) -> TextClause:
    """Quarter or year sets as the union of their months' (``touched``: of one period's
    chosen members and sellers), each padded to the widest of its group."""
    coarse = f"CAST(date_trunc('{grain.value}', s.period) AS DATE)"
    where = "s.grain = 'month'"
    if touched:
        where += (
            " AND s.period >= :first_day AND s.period < :end_day"
            " AND ((s.scope, s.member) IN (SELECT * FROM unnest(:scopes, :members))"
            " OR s.seller_id = ANY(:sellers))"
        )
    return text(f"""
INSERT INTO report_buyer_sets (grain, period, scope, member, seller_id, week_start, month_start,
                               buyers, outside_province)
SELECT '{grain.value}', coarse, scope, member, seller_id,
       MIN(week_start), MIN(month_start),
       bit_or(buyers || CAST(repeat('0', widest - length(buyers)) AS VARBIT)),
       bit_or(outside_province
              || CAST(repeat('0', widest_outside - length(outside_province)) AS VARBIT))
FROM (
  SELECT s.*, {coarse} AS coarse,
         MAX(length(s.buyers)) OVER (PARTITION BY s.scope, s.member, {coarse}) AS widest,
         MAX(length(s.outside_province)) OVER (PARTITION BY s.scope, s.member, {coarse})
           AS widest_outside
  FROM report_buyer_sets s
  WHERE {where}
) s
GROUP BY scope, member, seller_id, coarse""")


async def build_everything(session: AsyncSession) -> None:
    await session.execute(delete(ReportBuyerSet))
    for grain in MARKET_FINE_GRAINS:
        for scope in BuyerScope if grain in FINE_GRAINS else DAY_SCOPES:
            await session.execute(_build_sql(grain, scope))
    for grain in COARSE_GRAINS:
        await session.execute(_coarse_sql(grain, touched=False))


@dataclass
class _PeriodTouched:
    """What changed in one period: the marketplace-wide members per scope, and the sellers
    (whose seller and product sets are rebuilt whole)."""

    members: dict[BuyerScope, set[str]] = field(
        default_factory=lambda: {scope: set() for scope in MARKETPLACE_SCOPES}
    )
    sellers: set[uuid.UUID] = field(default_factory=set)


def _touched_periods(facts: Iterable[TouchedFact]) -> dict[tuple[Grain, date], _PeriodTouched]:
    periods: dict[tuple[Grain, date], _PeriodTouched] = {}
    for fact in facts:
        members = {
            BuyerScope.TOTAL: "",
            BuyerScope.REGION: fact.region_code,
            BuyerScope.SELLER_KIND: fact.seller_kind,
            BuyerScope.CATEGORY: str(fact.category_id),
        }
        for grain in Grain:
            touched = periods.setdefault((grain, period_of(grain, fact.day)), _PeriodTouched())
            touched.sellers.add(fact.seller_id)
            for scope, member in members.items():
                touched.members[scope].add(member)
    return periods


async def refresh(session: AsyncSession, facts: Collection[TouchedFact]) -> None:
    """The sets that hold these facts' keys, and only those: per period they fall in, each
    marketplace-wide member they count for, and the seller and product sets of their sellers
    (no product days); days, weeks and months from the facts, then quarters and years from the
    months."""
    touched_periods = _touched_periods(facts)
    for grain in (*MARKET_FINE_GRAINS, *COARSE_GRAINS):
        for (each, period), touched in sorted(touched_periods.items()):
            if each is grain:
                await _refresh_period(session, grain, period, touched)


async def _refresh_period(
    session: AsyncSession, grain: Grain, period: date, touched: _PeriodTouched
) -> None:
    span = {"first_day": period, "end_day": period_end(grain, period)}
    days = (bindparam("first_day", type_=Date()), bindparam("end_day", type_=Date()))
    chosen = (ReportBuyerSet.grain == grain) & (ReportBuyerSet.period == period)
    for scope, members in touched.members.items():
        await session.execute(
            delete(ReportBuyerSet)
            .where(chosen, ReportBuyerSet.scope == scope, ReportBuyerSet.member.in_(members))
            .execution_options(synchronize_session=False)
        )
    await session.execute(
        delete(ReportBuyerSet)
        .where(chosen, ReportBuyerSet.seller_id.in_(touched.sellers))
        .execution_options(synchronize_session=False)
    )
    if grain in COARSE_GRAINS:
        pairs = [(scope.value, member) for scope, ms in touched.members.items() for member in ms]
        statement = _coarse_sql(grain, touched=True).bindparams(
            *days,
            bindparam("scopes", value=[scope for scope, _ in pairs], type_=ARRAY(String())),
            bindparam("members", value=[member for _, member in pairs], type_=ARRAY(String())),
            bindparam("sellers", value=list(touched.sellers), type_=ARRAY(Uuid())),
        )
        await session.execute(statement, span)
        return
    dates = (*days, bindparam("period", type_=Date()))
    for scope, members in touched.members.items():
        statement = _build_sql(grain, scope, period=True, members=True).bindparams(
            *dates, bindparam("members", value=sorted(members), expanding=True, type_=String())
        )
        await session.execute(statement, {**span, "period": period})
    for scope in SELLER_SCOPES if grain is not Grain.DAY else (BuyerScope.SELLER,):
        statement = _build_sql(grain, scope, sellers=True, period=True).bindparams(
            *dates, _ids("sellers", touched.sellers)
        )
        await session.execute(statement, {**span, "period": period})


# ---- reading them ----


@dataclass(frozen=True)
class Question:
    """Which sets answer a report: the scope, how its rows are keyed, and whose."""

    scope: BuyerScope
    set_key: str  # over report_buyer_sets s
    fact_key: str  # over report_facts f
    seller_id: uuid.UUID | None = None


def question(group_by: str, seller_id: uuid.UUID | None) -> Question | None:
    """The sets that count ``group_by``'s buyers; None when no set is kept for it."""
    whole, within = (
        (BuyerScope.TOTAL, None) if seller_id is None else (BuyerScope.SELLER, seller_id)
    )
    if group_by in ("month", "week"):
        key = f"CAST({{}}.{group_by}_start AS TEXT)"
        return Question(whole, key.format("s"), key.format("f"), within)
    if group_by == "total":
        return Question(whole, "''", "''", within)
    scopes = SELLER_SCOPES[1:] if seller_id is not None else tuple(BuyerScope)[1:]
    if group_by not in scopes:
        return None
    scope = BuyerScope(group_by)
    return Question(scope, "s.member", _MEMBERS[scope], within)


def _is_new(bits: str) -> str:
    return (
        f"(CASE WHEN {bits} IS NULL OR d.ordinal >= length({bits}) THEN 0 "
        f"ELSE get_bit({bits}, d.ordinal) END) = 0"
    )


def total_from_groups(asked: Question) -> bool:
    """Whether the union of ``asked``'s groups is the total's set: true unless every group
    numbers buyers its own way (one set per seller across the marketplace)."""
    return not (asked.seller_id is None and asked.scope in SELLER_SCOPES)


# The total row: the union of every group's union, plus the edge days' buyers not in it.
_TOTAL_SQL = f"""
, whole AS (
  SELECT bit_or(buyers) AS buyers, bit_or(outside) AS outside FROM sets
), whole_news AS (
  SELECT COUNT(*) FILTER (WHERE {_is_new("w.buyers")}) AS buyers,
         COUNT(*) FILTER (WHERE d.outside AND {_is_new("w.outside")}) AS outside
  FROM (SELECT ordinal, BOOL_OR(outside) AS outside FROM day_buyers GROUP BY ordinal) d, whole w
)"""
_TOTAL_ROW = """
UNION ALL
SELECT NULL, COALESCE(bit_count(w.buyers), 0) + n.buyers, COALESCE(bit_count(w.outside), 0)
       + n.outside
FROM whole w, whole_news n"""


def _shared_width(asked: Question) -> str | None:
    """How wide every chosen set can be, from the numbering (an index's last entry), when
    they share one numbering; None for one set per seller across the marketplace."""
    if asked.scope not in SELLER_SCOPES:
        return "SELECT COALESCE(MAX(ordinal), 0) + 1 FROM report_buyers"
    if asked.seller_id is not None:
        return (
            "SELECT COALESCE(MAX(ordinal), 0) + 1 FROM report_seller_buyers "
            "WHERE seller_id = :seller"
        )
    return None


def _padded(bits: str) -> str:
    """A set at the shared width ``w.bits``: as stored when it is already that wide (most of
    them: the concatenation and substring each copy a 30 kB string per set), else padded."""
    return (
        f"CASE WHEN length({bits}) = w.bits THEN {bits} "
        f"ELSE substring({bits} || w.zeros FROM 1 FOR w.bits) END"
    )


def _sets_sql(asked: Question, chosen: str) -> str:
    """Each group's union. Sets of one numbering are padded to its width in one pass (each
    stored value fetched and decompressed once; the zeros are spelled once, MATERIALIZED, not
    per row); sellers' own numberings (a marketplace-wide
    product or seller grouping) are padded to each group's widest, so small sets stay small."""
    width = _shared_width(asked)
    if width is not None:
        return f"""
WITH width AS MATERIALIZED (
  SELECT CAST(repeat('0', ({width})) AS VARBIT) AS zeros, ({width}) AS bits
), sets AS (
  SELECT {asked.set_key} AS key, bit_or({_padded("s.buyers")}) AS buyers,
         bit_or({_padded("s.outside_province")}) AS outside
  FROM report_buyer_sets s, width w WHERE {chosen}
  GROUP BY 1
)"""
    # "|| B''" copies each chosen set once, so the passes over them (width, union) do not
    # each fetch and decompress the stored value again.
    return f"""
WITH chosen AS (
  SELECT {asked.set_key} AS key, s.buyers || B'' AS buyers,
         s.outside_province || B'' AS outside
  FROM report_buyer_sets s WHERE {chosen}
), width AS (
  SELECT CAST(repeat('0', COALESCE(MAX(length(buyers)), 0)) AS VARBIT) AS zeros FROM chosen
), keyed AS (
  SELECT chosen.*, MAX(length(buyers)) OVER (PARTITION BY key) AS key_width FROM chosen
), sets AS (
  SELECT key,
         bit_or(buyers || substring(zeros FROM 1 FOR key_width - length(buyers))) AS buyers,
         bit_or(outside || substring(zeros FROM 1 FOR key_width - length(outside))) AS outside
  FROM keyed, width GROUP BY key
)"""


def _reads_days(asked: Question, periods: Cover) -> bool:
    """Whether the range's edge days are read from the facts: where no day sets are kept."""
    return bool(periods.days) and asked.scope not in DAY_SCOPES


def _by_id(asked: Question, periods: Cover) -> bool:
    """Whether asked keys are compared with the edge days' facts as ids."""
    return _reads_days(asked, periods) and asked.scope in _MEMBER_IDS


def _read_sql(asked: Question, keys: bool, total: bool, periods: Cover) -> str:
    local = asked.scope in SELLER_SCOPES
    days_kept = asked.scope in DAY_SCOPES
    # An empty list is left out rather than bound: SQLAlchemy spells an empty IN as a
    # subquery, which keeps PostgreSQL from using the index (a scan of every set and fact).
    spans = [
        f"(s.grain = '{grain.value}' AND s.period IN :{grain.value}s)"
        for grain in Grain
        if periods.periods(grain) and (days_kept or grain is not Grain.DAY)
    ]
    chosen = f"s.scope = :scope AND ({' OR '.join(spans) or 'FALSE'})"
    # Edge days from the facts only where no day sets are kept (products).
    days = "f.kind = 'sale' AND " + ("f.day IN :days" if _reads_days(asked, periods) else "FALSE")
    if asked.seller_id is not None:
        chosen += " AND s.seller_id = :seller"
        days += " AND f.seller_id = :seller"
    if keys:
        chosen += " AND s.member IN :keys"
        days += (
            f" AND {_MEMBER_IDS[asked.scope]} IN :key_ids"
            if _by_id(asked, periods)
            else f" AND {asked.fact_key} IN :keys"
        )
    return f"""{_sets_sql(asked, chosen)}, day_buyers AS (
  SELECT {asked.fact_key} AS key,
         {"f.seller_buyer_number" if local else "f.buyer_number"} AS ordinal,
         BOOL_OR(f.outside_province) AS outside
  FROM report_facts f
  WHERE {days}
  GROUP BY 1, 2
), day_news AS (
  SELECT d.key, COUNT(*) FILTER (WHERE {_is_new("s.buyers")}) AS buyers,
         COUNT(*) FILTER (WHERE d.outside AND {_is_new("s.outside")}) AS outside
  FROM day_buyers d LEFT JOIN sets s ON s.key = d.key
  GROUP BY d.key
){_TOTAL_SQL if total else ""}
SELECT COALESCE(s.key, n.key) AS key,
       COALESCE(bit_count(s.buyers), 0) + COALESCE(n.buyers, 0) AS buyers,
       COALESCE(bit_count(s.outside), 0) + COALESCE(n.outside, 0) AS outside
FROM sets s FULL JOIN day_news n ON n.key = s.key{_TOTAL_ROW if total else ""}
"""


async def count_buyers(
    session: AsyncSession,
    asked: Question,
    periods: Cover,
    keys: Collection[str] | None,
    *,
    total: bool = False,
) -> list[tuple[str | None, int, int]]:
    """(key as text, distinct buyers, of whom shipped outside the province) per key, and with
    ``total`` (only where ``total_from_groups``) a last row keyed None over all groups."""
    statement = text(_read_sql(asked, keys is not None, total, periods)).bindparams(
        bindparam("scope", value=asked.scope.value, type_=String())
    )
    # ``:days`` names the day sets or, for products, the facts' edge days.
    for grain in Grain:
        dates = periods.periods(grain)
        if dates:
            statement = statement.bindparams(_dates(f"{grain.value}s", dates))
    if asked.seller_id is not None:
        statement = statement.bindparams(bindparam("seller", value=asked.seller_id, type_=Uuid()))
    if keys is not None:
        statement = statement.bindparams(
            bindparam("keys", value=list(keys), expanding=True, type_=String())
        )
        if _by_id(asked, periods):
            statement = statement.bindparams(_ids("key_ids", [uuid.UUID(key) for key in keys]))
    rows = (await session.execute(statement)).all()
    return [(None if row[0] is None else str(row[0]), int(row[1]), int(row[2])) for row in rows]
