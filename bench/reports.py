"""Economic reports at size: every report answered from the rollups, beside a direct GROUP BY
over the raw tables (orders, seller-orders, lines, sellers, products), same run, same database.

PostgreSQL only (the production database): a fresh database built by the migrations, loaded
with ``--orders`` orders in SQL (bench/_reports_data.py, a million in about a minute or two),
the reports rebuilt by ``marketplace rebuild-reports``' own code path, then each report timed
(median of ``--repeat`` warm runs) through the same service functions the API calls, for the
last twelve months and for a range cut inside months: cold (rollup sums and exact distinct
buyers from the fact table), the rollup sums alone, and the cached answer the API serves until
the data version moves. The direct GROUP BY computes the same gross, orders, units and distinct
buyers (no refunds) and both grosses are compared. Last, an incremental sweep after 1,000
seller-orders changed. Figures are reported against the target (50 ms per report), never
asserted.

    .venv/bin/python bench/reports.py [--orders 1000000] [--sellers 600] [--repeat 7]
                                      [--database bench_reports]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from _catalog_data import create_postgres_database, drop_postgres_database
from _reports_data import generate
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from marketplace import migrations
from marketplace.core.cache import MemoryCache, VersionMemo
from marketplace.core.i18n import Language
from marketplace.db.session import async_database_url
from marketplace.reports import answers, periods, repository, service, suppression
from marketplace.reports.schemas import SalesReportRead, StatsSummaryRead
from marketplace.reports.service import DateRange, GroupBy
from marketplace.reports.tasks import rebuild_reports, sweep_reports

POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
TARGET_MS = 50.0
SOLD_AT = "(CASE WHEN o.payment_method = 'cod' THEN so.cod_collected_at ELSE o.paid_at END)"
DIRECT_KEYS = {
    GroupBy.REGION: "s.region_code",
    GroupBy.CATEGORY: "p.category_id::text",
    GroupBy.SELLER_KIND: "s.kind",
    GroupBy.SELLER: "so.seller_id::text",
    GroupBy.MONTH: f"date_trunc('month', timezone('Asia/Jakarta', {SOLD_AT}))::text",
    GroupBy.WEEK: f"date_trunc('week', timezone('Asia/Jakarta', {SOLD_AT}))::text",
    GroupBy.PRODUCT: "p.id::text",
}


@dataclass(frozen=True)
class Timing:
    label: str
    rows: int
    cold_ms: float  # the whole report: sums from the rollups and exact distinct buyers
    sums_ms: float | None  # the rollup sums alone (per group and the totals)
    cached_ms: float  # the same answer again, from the cache, at an unchanged data version
    direct_ms: float | None
    same_gross: bool | None


def direct_sql(group_by: GroupBy, seller: bool) -> str:
    where = " AND so.seller_id = :seller" if seller else ""
    return f"""
SELECT {DIRECT_KEYS[group_by]} AS key, count(DISTINCT so.id), sum(oi.quantity),
       sum(oi.line_total), count(DISTINCT lower(o.buyer_email))
FROM seller_orders so
JOIN orders o ON o.id = so.order_id
JOIN order_items oi ON oi.seller_order_id = so.id
JOIN sellers s ON s.id = so.seller_id
JOIN products p ON p.id = oi.product_id
WHERE {SOLD_AT} >= :start AND {SOLD_AT} < :end
  AND (so.cancelled_at IS NULL OR so.cancelled_at > {SOLD_AT}){where}
GROUP BY 1"""


async def timed(repeat: int, run: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    result = await run()  # warm-up
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = await run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), result


async def cached_path(
    session: AsyncSession, repeat: int, key: str, build: Callable[[], Awaitable[bytes]]
) -> float:
    cache, versions = MemoryCache(), VersionMemo(0)

    async def cached() -> bytes:
        return await answers.cached_answer(session, cache, versions, key, build)

    cached_ms, _ = await timed(repeat, cached)
    return cached_ms


async def time_report(
    maker: async_sessionmaker[AsyncSession],
    label: str,
    group_by: GroupBy,
    period: DateRange,
    repeat: int,
    seller_id: uuid.UUID | None = None,
) -> Timing:
    async with maker() as session:

        async def cold() -> service.SalesReport:
            return await service.sales_report(session, group_by, period, seller_id=seller_id)

        cold_ms, report = await timed(repeat, cold)
        cover = periods.cover(period.first, period.last, months=group_by is not GroupBy.WEEK)

        async def sums() -> None:
            await repository.sums(session, group_by.value, cover, seller_id)
            await repository.sums(session, "total", cover, seller_id)

        sums_ms, _ = await timed(repeat, sums)

        async def build() -> bytes:
            return SalesReportRead.of(await cold()).model_dump_json(by_alias=True).encode()

        cached_ms = await cached_path(session, repeat, label, build)
        params: dict[str, Any] = {"start": period.start, "end": period.end}
        if seller_id is not None:
            params["seller"] = seller_id
        statement = text(direct_sql(group_by, seller_id is not None))

        async def direct() -> list[Any]:
            return list((await session.execute(statement, params)).all())

        direct_ms, rows = await timed(max(1, repeat // 3), direct)
    same = sum(int(row[3]) for row in rows) == report.totals.gross
    return Timing(label, len(report.items), cold_ms, sums_ms, cached_ms, direct_ms, same)


async def time_summary(
    maker: async_sessionmaker[AsyncSession], period: DateRange, repeat: int
) -> Timing:
    async with maker() as session:

        async def summary() -> suppression.PublicSummary:
            return await suppression.public_summary(session, period, Language.INDONESIAN)

        summary_ms, result = await timed(repeat, summary)

        async def build() -> bytes:
            answer = StatsSummaryRead.of(await summary(), suppression.MIN_BUYERS)
            return answer.model_dump_json(by_alias=True).encode()

        cached_ms = await cached_path(session, repeat, "summary", build)
    label = "GET /stats/summary (4 tables)"
    return Timing(label, len(result.tables), summary_ms, None, cached_ms, None, None)


async def incremental_sweep(maker: async_sessionmaker[AsyncSession]) -> tuple[int, float]:
    async with maker() as session, session.begin():
        await session.execute(
            text(
                "UPDATE seller_orders SET updated_at = now() WHERE id IN "
                "(SELECT id FROM seller_orders ORDER BY created_at DESC LIMIT 1000)"
            )
        )
    started = time.perf_counter()
    refreshed = await sweep_reports(maker)
    return refreshed, (time.perf_counter() - started) * 1000


def say(message: str) -> None:
    print(message, flush=True)  # noqa: T201 (a bench prints its figures)


def _ms(value: float | None) -> str:
    return f"{value:9.1f}" if value is not None else f"{'-':>9}"


def print_table(timings: list[Timing]) -> None:
    say(
        f"\n{'report':46} {'rows':>4} {'cold ms':>9} {'sums ms':>9} {'cached ms':>9} "
        f"{'direct ms':>9}  same gross"
    )
    for t in timings:
        same = {True: "yes", False: "NO", None: "-"}[t.same_gross]
        say(
            f"{t.label:46} {t.rows:4d} {_ms(t.cold_ms)} {_ms(t.sums_ms)} {_ms(t.cached_ms)} "
            f"{_ms(t.direct_ms)}  {same}"
        )
    for name, values in (
        ("cold (exact distinct buyers)", [t.cold_ms for t in timings]),
        ("sums from the rollups", [t.sums_ms for t in timings if t.sums_ms is not None]),
        ("cached answer", [t.cached_ms for t in timings]),
    ):
        worst = max(values)
        verdict = "met" if worst <= TARGET_MS else "NOT met"
        say(f"target {TARGET_MS:.0f} ms, {name}: slowest {worst:.1f} ms, {verdict}")


async def run(arguments: argparse.Namespace) -> None:
    url = f"{POSTGRES_SERVER}/{arguments.database}"
    await create_postgres_database(POSTGRES_SERVER, arguments.database)
    try:
        await asyncio.to_thread(migrations.upgrade, url)
        engine = create_async_engine(async_database_url(url))
        maker = async_sessionmaker(engine, expire_on_commit=False)
        try:
            await measure(engine, maker, arguments)
        finally:
            await engine.dispose()
    finally:
        if not arguments.keep:
            await drop_postgres_database(POSTGRES_SERVER, arguments.database)


async def measure(
    engine: Any, maker: async_sessionmaker[AsyncSession], arguments: argparse.Namespace
) -> None:
    buyers = max(arguments.orders // 4, 10)
    started = time.perf_counter()
    async with engine.begin() as connection:
        await generate(connection, arguments.orders, arguments.sellers, buyers)
    say(
        f"generated {arguments.orders:,} orders ({arguments.sellers} sellers, {buyers:,} buyers) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    assert await rebuild_reports(maker)
    async with engine.begin() as connection:
        await connection.execute(text("ANALYZE report_facts"))
        await connection.execute(text("ANALYZE report_rollups"))
        facts = await connection.scalar(text("SELECT count(*) FROM report_facts"))
        rollups = await connection.scalar(text("SELECT count(*) FROM report_rollups"))
    say(
        f"rebuild-reports: {time.perf_counter() - started:.1f} s "
        f"({facts:,} facts, {rollups:,} rollup rows)"
    )

    today = service.today_wib()
    year = service.date_range(None, today)
    cut = DateRange(today - timedelta(days=200), today - timedelta(days=90))
    seller = uuid.UUID(hashlib.md5(b"seller1").hexdigest())
    timings = []
    for group_by in (
        GroupBy.REGION,
        GroupBy.CATEGORY,
        GroupBy.SELLER_KIND,
        GroupBy.SELLER,
        GroupBy.MONTH,
        GroupBy.WEEK,
    ):
        timings.append(
            await time_report(
                maker, f"admin group_by={group_by} (12 months)", group_by, year, arguments.repeat
            )
        )
    for group_by in (GroupBy.REGION, GroupBy.MONTH):
        timings.append(
            await time_report(
                maker, f"admin group_by={group_by} ({_text(cut)})", group_by, cut, arguments.repeat
            )
        )
    for group_by in (GroupBy.MONTH, GroupBy.PRODUCT):
        timings.append(
            await time_report(
                maker,
                f"seller group_by={group_by} (12 months)",
                group_by,
                year,
                arguments.repeat,
                seller_id=seller,
            )
        )
    timings.append(await time_summary(maker, year, arguments.repeat))
    print_table(timings)
    refreshed, sweep_ms = await incremental_sweep(maker)
    say(
        f"incremental sweep after 1,000 seller-orders changed: {refreshed:,} recomputed "
        f"in {sweep_ms:.0f} ms"
    )


def _text(period: DateRange) -> str:
    return f"{period.first:%d %b} to {period.last:%d %b}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--sellers", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database", default="bench_reports")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
