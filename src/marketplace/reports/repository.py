"""SQL of the reports: the sweep's watermark and change feed, and the report reads (rollups for
the sums, the narrow fact table for distinct buyers)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    and_,
    any_,
    bindparam,
    case,
    false,
    func,
    literal,
    null,
    or_,
    select,
    text,
    union,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.catalog.models import Category, Product, Region
from marketplace.orders.models import Order, SellerOrder
from marketplace.payments.models import Refund
from marketplace.reports import buyer_sets, market
from marketplace.reports.models import (
    COARSE_GRAINS,
    SELLER_DAY_DIMENSIONS,
    SELLER_GRAINS,
    Dimension,
    FactKind,
    Grain,
    ReportFact,
    ReportRollup,
    ReportWatermark,
)
from marketplace.reports.periods import Cover, cover
from marketplace.sellers.models import Seller

SALES = "sales"
LEADER_DEPTH = 5  # leaders read per covering period, per product asked


# ---- the sweep ----


async def lock_watermark(session: AsyncSession, start: datetime) -> ReportWatermark | None:
    """The watermark row, locked for this transaction; None when another instance holds it
    (PostgreSQL; SQLite serialises writers anyway). Created on first use, far in the past."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.execute(
        insert(ReportWatermark)
        .values(
            name=SALES,
            swept_until=datetime.min.replace(tzinfo=start.tzinfo),
            version=0,
            epoch=uuid.uuid4().hex,
        )
        .on_conflict_do_nothing(index_elements=["name"])
    )
    statement = select(ReportWatermark).where(ReportWatermark.name == SALES)
    if dialect == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    watermark: ReportWatermark | None = await session.scalar(statement)
    return watermark


async def advance_watermark(session: AsyncSession, swept_until: datetime, *, changed: bool) -> None:
    values: dict[str, Any] = {"swept_until": swept_until}
    if changed:
        values["version"] = ReportWatermark.version + 1
    await session.execute(
        update(ReportWatermark)
        .where(ReportWatermark.name == SALES)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def data_version(session: AsyncSession) -> str:
    """Changes whenever the sweep or a rebuild changed the figures."""
    row = (
        await session.execute(
            select(ReportWatermark.epoch, ReportWatermark.version).where(
                ReportWatermark.name == SALES
            )
        )
    ).first()
    return f"{row.epoch}:{row.version}" if row else "none"


async def changed_seller_orders(
    session: AsyncSession, since: datetime, after: uuid.UUID | None, limit: int
) -> list[uuid.UUID]:
    """Seller-orders whose order, own row or refunds changed after ``since``, by id."""
    changed = union(
        select(SellerOrder.id.label("id")).where(SellerOrder.updated_at > since),
        select(SellerOrder.id.label("id"))
        .join(Order, Order.id == SellerOrder.order_id)
        .where(Order.updated_at > since),
        select(Refund.seller_order_id.label("id")).where(
            Refund.created_at > since, Refund.seller_order_id.is_not(None)
        ),
    ).subquery()
    statement = select(changed.c.id).order_by(changed.c.id).limit(limit)
    if after is not None:
        statement = statement.where(changed.c.id > after)
    return [row for row in (await session.scalars(statement)).all() if row is not None]


# ---- the reads ----

ROLLUP_KEYS: dict[str, tuple[Dimension, Any]] = {
    "region": (Dimension.SELLER, ReportRollup.region_code),
    "seller_kind": (Dimension.SELLER, ReportRollup.seller_kind),
    "seller": (Dimension.SELLER, ReportRollup.seller_id),
    "month": (Dimension.SELLER, ReportRollup.month_start),
    "week": (Dimension.SELLER, ReportRollup.week_start),
    "category": (Dimension.CATEGORY, ReportRollup.member_id),
    "product": (Dimension.PRODUCT, ReportRollup.member_id),
    "total": (Dimension.SELLER, None),
}
FACT_KEYS: dict[str, Any] = {
    "region": ReportFact.region_code,
    "seller_kind": ReportFact.seller_kind,
    "seller": ReportFact.seller_id,
    "month": ReportFact.month_start,
    "week": ReportFact.week_start,
    "category": ReportFact.category_id,
    "product": ReportFact.product_id,
    "total": None,
}


@dataclass(frozen=True)
class Sums:
    key: Any
    orders: int
    units: int
    gross: int
    refunds: int
    sellers: int


def _figures_of(key: Any, figures: Sequence[Any], sellers: Any) -> Sums:
    """Sums of (orders, units, gross, refunds) as read, NULL being none."""
    orders, units, gross, refunds = (int(value or 0) for value in figures)
    return Sums(key, orders, units, gross, refunds, int(sellers or 0))


@dataclass(frozen=True)
class Buyers:
    key: Any
    buyers: int
    outside_province: int


def _in_cover(periods: Cover, *, days: bool) -> ColumnElement[bool]:
    parts = [
        and_(ReportRollup.grain == grain, ReportRollup.period.in_(periods.periods(grain)))
        for grain in (*SELLER_GRAINS, *COARSE_GRAINS)
        if periods.periods(grain) and (days or grain is not Grain.DAY)
    ]
    return or_(*parts) if parts else false()


def _parts(group_by: str, periods: Cover, seller_id: uuid.UUID | None) -> Any:
    """The covering rollup rows and, for the single days at the range's edges, a seller's day
    rows or, for its categories and products (no days kept), the same sums from the facts:
    (key, seller, orders, units, gross, refunds) per seller."""
    dimension, rollup_key = ROLLUP_KEYS[group_by]
    fact_key = FACT_KEYS[group_by]
    days_kept = dimension in SELLER_DAY_DIMENSIONS
    rollups = select(
        *([rollup_key.label("key")] if rollup_key is not None else []),
        ReportRollup.seller_id,
        ReportRollup.orders,
        ReportRollup.units,
        ReportRollup.gross,
        ReportRollup.refunds,
    ).where(ReportRollup.dimension == dimension, _in_cover(periods, days=days_kept))
    sold = case((ReportFact.kind == FactKind.SALE, ReportFact.seller_order_id))
    grouped = [*([fact_key] if fact_key is not None else []), ReportFact.seller_id]
    facts = (
        select(
            *([fact_key.label("key")] if fact_key is not None else []),
            ReportFact.seller_id,
            func.count(func.distinct(sold)).label("orders"),
            func.sum(ReportFact.units).label("units"),
            func.sum(ReportFact.gross).label("gross"),
            func.sum(ReportFact.refunds).label("refunds"),
        )
        .where(ReportFact.day.in_(periods.days))
        .group_by(*grouped)
    )
    if seller_id is not None:
        rollups = rollups.where(ReportRollup.seller_id == seller_id)
        facts = facts.where(ReportFact.seller_id == seller_id)
    return union_all(rollups, facts) if periods.days and not days_kept else rollups


async def sums(
    session: AsyncSession, group_by: str, periods: Cover, seller_id: uuid.UUID | None = None
) -> list[Sums]:
    """Orders, units, gross, refunds and active sellers per group."""
    groups, _ = await _sums(session, group_by, periods, seller_id, total=False)
    return groups


async def sums_and_total(
    session: AsyncSession, group_by: str, periods: Cover, seller_id: uuid.UUID | None = None
) -> tuple[list[Sums], Sums]:
    """The sums per group and over all groups, from one read of the covering rollups (orders
    and active sellers are not additive across categories or months)."""
    groups, whole = await _sums(session, group_by, periods, seller_id, total=True)
    return groups, whole or Sums(key=None, orders=0, units=0, gross=0, refunds=0, sellers=0)


async def _sums(
    session: AsyncSession,
    group_by: str,
    periods: Cover,
    seller_id: uuid.UUID | None,
    *,
    total: bool,
) -> tuple[list[Sums], Sums | None]:
    if seller_id is None and group_by in market.GROUPINGS:
        return await _market_sums(session, group_by, periods, total=total)
    return await _seller_sums(session, group_by, periods, seller_id, total=total)


async def _market_sums(
    session: AsyncSession, group_by: str, periods: Cover, *, total: bool
) -> tuple[list[Sums], Sums | None]:
    groupings = [group_by] if group_by == "total" or not total else [group_by, "total"]
    found = await market_sums(session, groupings, periods)
    whole = found.get("total", [])
    return found[group_by], whole[0] if whole else None


async def market_sums(
    session: AsyncSession, groupings: Sequence[str], periods: Cover
) -> dict[str, list[Sums]]:
    """Marketplace-wide groupings ("total": one row) from the marketplace rollups, in one
    statement: a few dozen rows. Active sellers come from their seller sets on PostgreSQL,
    from the per-seller rollups on SQLite."""
    sets = market.keeps_sets(session)
    statement = market.bind_cover(text(market.sums_sql(groupings, periods, sets=sets)), periods)
    rows = (await session.execute(statement)).all()
    sellers: dict[tuple[str, Any], int] = {}
    if not sets:
        for grouping in groupings:
            # The per-seller rollups keep no quarters or years.
            fine = cover(periods.first, periods.last, months=grouping != "week")
            groups, _ = await _seller_sums(session, grouping, fine, None, total=False)
            sellers.update(((grouping, key_text(row.key)), row.sellers) for row in groups)
    found: dict[str, list[Sums]] = {grouping: [] for grouping in groupings}
    for row in rows:
        grouping = str(row[0])
        key = typed_key(grouping, str(row[1]))
        active = row[6] if sets else sellers.get((grouping, key_text(key)), 0)
        found[grouping].append(_figures_of(key, row[2:6], active))
    return found


async def _seller_sums(
    session: AsyncSession,
    group_by: str,
    periods: Cover,
    seller_id: uuid.UUID | None,
    *,
    total: bool,
) -> tuple[list[Sums], Sums | None]:
    part = _parts(group_by, periods, seller_id).cte("part")
    keyed = "key" in part.c
    active = case((part.c.orders > 0, part.c.seller_id))
    figures = [
        func.coalesce(func.sum(part.c.orders), 0),
        func.coalesce(func.sum(part.c.units), 0),
        func.coalesce(func.sum(part.c.gross), 0),
        func.coalesce(func.sum(part.c.refunds), 0),
        func.count(func.distinct(active)),
    ]
    branches = []
    if keyed:
        branches.append(select(literal(0), part.c.key, *figures).group_by(part.c.key))
    if total or not keyed:
        branches.append(select(literal(1), null(), *figures))
    statement = union_all(*branches) if len(branches) > 1 else branches[0]
    groups: list[Sums] = []
    whole: Sums | None = None
    for row in (await session.execute(statement)).all():
        found = _figures_of(row[1], row[2:6], row[6])
        if row[0] == 1:
            whole = found
        else:
            groups.append(found)
    if not keyed:
        groups = [whole] if whole is not None else []
    return groups, whole


async def buyers(
    session: AsyncSession,
    group_by: str,
    periods: Cover,
    seller_id: uuid.UUID | None = None,
    keys: Collection[Any] | None = None,
) -> list[Buyers]:
    """Distinct buyers (and those shipping outside the province) per group, exactly: distinct
    counts cannot be added up from rollups. PostgreSQL unions the buyer sets of the covering
    periods (buyer_sets.py); SQLite counts them from the narrow fact table. ``keys`` limits the
    answer to those groups."""
    asked = buyer_sets.question(group_by, seller_id)
    if session.get_bind().dialect.name == "postgresql" and asked is not None:
        wanted = None if keys is None else [key_text(key) for key in keys]
        rows = await buyer_sets.count_buyers(session, asked, periods, wanted)
        found = [
            Buyers(key=typed_key(group_by, key), buyers=count, outside_province=outside)
            for key, count, outside in rows
            if key is not None
        ]
    else:
        found = await buyers_from_facts(session, group_by, periods, seller_id, keys)
    if group_by == "total":
        return found or [Buyers(key=None, buyers=0, outside_province=0)]
    return found


async def buyers_and_total(
    session: AsyncSession, group_by: str, periods: Cover, seller_id: uuid.UUID | None = None
) -> tuple[list[Buyers], Buyers]:
    """``buyers`` per group and over all groups; one statement on PostgreSQL when the groups'
    sets share one numbering (the total is the union of theirs)."""
    asked = buyer_sets.question(group_by, seller_id)
    if (
        session.get_bind().dialect.name != "postgresql"
        or asked is None
        or not buyer_sets.total_from_groups(asked)
    ):
        groups = await buyers(session, group_by, periods, seller_id)
        [whole] = await buyers(session, "total", periods, seller_id)
        return groups, whole
    rows = await buyer_sets.count_buyers(session, asked, periods, None, total=True)
    found = [
        Buyers(key=typed_key(group_by, key), buyers=count, outside_province=outside)
        for key, count, outside in rows
        if key is not None
    ]
    [whole] = [
        Buyers(key=None, buyers=count, outside_province=outside)
        for key, count, outside in rows
        if key is None
    ]
    return found, whole


def key_text(key: Any) -> str:
    return key.isoformat() if isinstance(key, date) else str(key)


def typed_key(group_by: str, key: str | None) -> Any:
    """A set's or marketplace rollup's text key as the rollups' key: ids, dates, or text."""
    if group_by == "total" or key is None:
        return None
    if group_by in ("category", "seller", "product"):
        return uuid.UUID(key)
    if group_by in ("month", "week"):
        return date.fromisoformat(key)
    return key


async def buyers_from_facts(
    session: AsyncSession,
    group_by: str,
    periods: Cover,
    seller_id: uuid.UUID | None,
    keys: Collection[Any] | None,
) -> list[Buyers]:
    """Grouped by (key, buyer) first, which PostgreSQL hashes in parallel, rather than
    COUNT(DISTINCT), which sorts."""
    key = FACT_KEYS[group_by]
    grouping = [key.label("key")] if key is not None else []
    outside = func.max(case((ReportFact.outside_province, 1), else_=0)).label("outside")
    per_buyer = select(*grouping, ReportFact.buyer_key, outside).where(
        ReportFact.kind == FactKind.SALE,
        ReportFact.day >= periods.first,
        ReportFact.day <= periods.last,
    )
    if seller_id is not None:
        per_buyer = per_buyer.where(ReportFact.seller_id == seller_id)
    if keys is not None and key is not None:
        per_buyer = per_buyer.where(key.in_(list(keys)))
    per_buyer = per_buyer.group_by(*([key] if key is not None else []), ReportFact.buyer_key)
    inner = per_buyer.subquery()
    outer_keys = [inner.c.key] if key is not None else []
    statement = select(
        *outer_keys, func.count(), func.coalesce(func.sum(inner.c.outside), 0)
    ).group_by(*outer_keys)
    rows = (await session.execute(statement)).all()
    if key is None:
        return [Buyers(key=None, buyers=int(row[0]), outside_province=int(row[1])) for row in rows]
    return [Buyers(key=row[0], buyers=int(row[1]), outside_province=int(row[2])) for row in rows]


async def top_products(
    session: AsyncSession, periods: Cover, limit: int, seller_id: uuid.UUID | None = None
) -> list[Sums]:
    """The products that sold the most (gross) over the covered range."""
    if seller_id is None:
        leaders = await _market_top_products(session, periods, limit)
        return [_figures_of(uuid.UUID(str(row[0])), row[1:5], 1) for row in leaders]
    part = _parts("product", periods, seller_id).subquery()
    gross = func.sum(part.c.gross)
    statement = (
        select(
            part.c.key,
            func.sum(part.c.orders),
            func.sum(part.c.units),
            gross,
            func.sum(part.c.refunds),
        )
        .group_by(part.c.key)
        .order_by(gross.desc(), part.c.key)
        .limit(limit)
    )
    rows = (await session.execute(statement)).all()
    return [_figures_of(row[0], row[1:5], 1) for row in rows]


async def _market_top_products(session: AsyncSession, periods: Cover, limit: int) -> list[Any]:
    """Marketplace-wide top products. On PostgreSQL first among the leaders of each covering
    period and of the edge days that can still lead (``LeaderLists.could_lead``; a few dozen
    products, not every product of every period): exact when the last of them grossed more
    than any other product can (the sum of the periods' last leaders); otherwise, and on
    SQLite, over every product."""
    if market.keeps_sets(session):
        # Deeper lists than the answer: their last entries, hence the bound, are lower.
        depth = limit * LEADER_DEPTH
        leaders = (await session.execute(market.leaders_sql(periods), {"limit": depth})).all()
        lists = market.LeaderLists.of(leaders, depth)
        chosen = lists.could_lead(limit)
        if chosen:
            statement = market.chosen_products_sql(periods, chosen)
            rows = list((await session.execute(statement, {"limit": limit})).all())
            short = not lists.last_gross
            if short or (len(rows) == limit and int(rows[-1][3]) > lists.unlisted_most):
                return rows
    every = market.bind_cover(text(market.top_products_sql(periods)), periods)
    return list((await session.execute(every, {"limit": limit})).all())


async def new_sellers_and_products(
    session: AsyncSession, start: datetime, end: datetime
) -> tuple[int, int]:
    """Sellers registered and products first published in [start, end)."""
    sellers = await session.scalar(
        select(func.count())
        .select_from(Seller)
        .where(Seller.created_at >= start, Seller.created_at < end)
    )
    products = await session.scalar(
        select(func.count())
        .select_from(Product)
        .where(Product.published_at >= start, Product.published_at < end)
    )
    return int(sellers or 0), int(products or 0)


async def labels(session: AsyncSession, group_by: str, keys: Collection[Any]) -> dict[Any, str]:
    """Human names of group keys: regions, categories, sellers, products."""
    wanted = [key for key in keys if key is not None]
    if not wanted:
        return {}
    sources: dict[str, Sequence[Any]] = {
        "region": (Region.code, Region.name),
        "category": (Category.id, Category.name),
        "seller": (Seller.id, Seller.name),
        "product": (Product.id, Product.title),
    }
    if group_by not in sources:
        return {}
    key_column, name_column = sources[group_by]
    # PostgreSQL takes the keys as one array: 600 sellers' ids spelled as 600 parameters
    # cost more client CPU than the lookup.
    among = (
        key_column == any_(bindparam("wanted", wanted, type_=ARRAY(key_column.type)))
        if session.get_bind().dialect.name == "postgresql"
        else key_column.in_(wanted)
    )
    rows = (await session.execute(select(key_column, name_column).where(among))).all()
    return {row[0]: str(row[1]) for row in rows}


async def product_sellers(
    session: AsyncSession, product_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """Each product's seller name (top products name who made them)."""
    if not product_ids:
        return {}
    rows = (
        await session.execute(
            select(Product.id, Seller.name)
            .join(Seller, Seller.id == Product.seller_id)
            .where(Product.id.in_(product_ids))
        )
    ).all()
    return {row[0]: str(row[1]) for row in rows}
