"""The incremental sweep and the rebuild are one aggregation path: after a random mix of
orders, payments, cancellations, deliveries, cash collections and refunds, swept as they
happen, a rebuild from scratch gives exactly the same facts and rollups."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import String, cast, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.reports import repository
from marketplace.reports.models import (
    FactKind,
    ReportBuyer,
    ReportBuyerSet,
    ReportFact,
    ReportMarketRollup,
    ReportRollup,
    ReportSeller,
    ReportSellerBuyer,
)
from marketplace.reports.periods import cover
from marketplace.reports.tasks import rebuild_reports, sweep_reports
from tests.reports.world import (
    Clock,
    World,
    build_world,
    cancel,
    cancel_part,
    collect_cash,
    deliver,
    order,
    pay,
    record_refund,
)

BUYERS = ["a@contoh.id", "B@contoh.id", "b@contoh.id", "c@contoh.id", "d@contoh.id"]


async def snapshot(
    sessionmaker: async_sessionmaker[AsyncSession], is_postgres: bool
) -> list[list[Any]]:
    """Facts, rollups, buyer numbers and buyer sets (bit strings as text; PostgreSQL only)."""
    sets = ReportBuyerSet.__table__.c
    bits = [sets.buyers, sets.outside_province]
    if is_postgres:
        bits = [cast(column, String) for column in bits]
    statements = [
        select(ReportFact.__table__),
        select(ReportRollup.__table__),
        select(ReportBuyer.__table__),
        select(ReportSellerBuyer.__table__),
        select(
            *[column for column in sets if column.name not in ("buyers", "outside_province")]
        ).add_columns(*bits),
    ]
    async with sessionmaker() as session:
        tables = [(await session.execute(statement)).all() for statement in statements]
    return [sorted(map(tuple, rows), key=repr) for rows in tables]


def moment(rng: random.Random) -> datetime:
    """A time in January to April 2026, often within a second of midnight WIB."""
    day = datetime(2026, 1, 1, 17, 0, tzinfo=UTC) + timedelta(days=rng.randrange(110))
    return day + timedelta(seconds=rng.choice([-1, 0, 1, 3600 * rng.randrange(1, 20)]))


class RandomTrade:
    def __init__(
        self,
        client: AsyncClient,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Clock,
        world: World,
        rng: random.Random,
    ) -> None:
        self.client, self.sessionmaker, self.clock = client, sessionmaker, clock
        self.world, self.rng = world, rng
        self.pending: list[dict[str, Any]] = []
        self.paid: list[dict[str, Any]] = []
        self.delivered: list[dict[str, Any]] = []

    async def step(self) -> None:
        self.clock.now = moment(self.rng)
        actions = [self.place, self.place]
        if self.pending:
            actions += [self.pay, self.pay, self.cancel_pending]
        if self.paid:
            actions += [self.cancel_paid, self.deliver]
        if self.delivered:
            actions.append(self.refund)
        await self.rng.choice(actions)()

    async def place(self) -> None:
        sellers = [self.world.pepper, self.world.honey, self.world.pewter]
        chosen = self.rng.sample(sellers, self.rng.randint(1, 3))
        lines = [(seller, self.rng.randint(1, 3)) for seller in chosen]
        method = self.rng.choice(["bank_transfer", "bank_transfer", "cod"])
        city = self.rng.choice(["Kota Pangkalpinang", "Sungailiat", "Jakarta"])
        placed = await order(
            self.client, lines, self.rng.choice(BUYERS), payment_method=method, city=city
        )
        placed["sellers"] = chosen
        (self.paid if method == "cod" else self.pending).append(placed)

    async def pay(self) -> None:
        placed = self.pending.pop(self.rng.randrange(len(self.pending)))
        await pay(self.client, self.world, placed)
        self.paid.append(placed)

    async def cancel_pending(self) -> None:
        await cancel(self.client, self.world, self.pending.pop())

    async def cancel_paid(self) -> None:
        placed = self.paid.pop(self.rng.randrange(len(self.paid)))
        if len(placed["sellers"]) > 1 and self.rng.random() < 0.5:
            await cancel_part(self.client, placed, placed["sellers"].pop())
            self.paid.append(placed)
        else:
            await cancel(self.client, self.world, placed)

    async def deliver(self) -> None:
        placed = self.paid.pop(self.rng.randrange(len(self.paid)))
        for seller in placed["sellers"]:
            await deliver(self.client, placed, seller)
            if placed["payment"]["method"] == "cod":
                await collect_cash(self.sessionmaker, placed, seller, self.clock.now)
        self.delivered.append(placed)

    async def refund(self) -> None:
        placed = self.rng.choice(self.delivered)
        seller = self.rng.choice(placed["sellers"])
        amount = self.rng.choice([1, 9_999, 75_000, 10_000_000])
        if placed["payment"]["method"] != "cod":
            await record_refund(self.sessionmaker, placed, seller, amount, self.clock.now)


async def sweep_random_trade(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    *,
    seed: int,
    events: int,
) -> World:
    """A first sweep over an empty marketplace, then ``events`` random events, each swept with
    no overlap (only what changed after the watermark is recomputed); the world they ran in."""
    assert await sweep_reports(sessionmaker) == 0
    world = await build_world(app, client)
    trade = RandomTrade(client, sessionmaker, clock, world, random.Random(seed))
    for _ in range(events):
        await trade.step()
        assert await sweep_reports(sessionmaker, overlap=timedelta(0)) >= 0
    return world


async def test_rebuild_gives_the_rows_the_sweeps_built_after_random_trade(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    is_postgres: bool,
) -> None:
    # Given a first sweep over an empty marketplace, then forty random events, each swept
    # with no overlap (only what changed after the watermark is recomputed)
    world = await sweep_random_trade(app, client, sessionmaker, clock, seed=16, events=40)
    incremental = await snapshot(sessionmaker, is_postgres)
    kinds = {row[2] for row in incremental[0]}
    assert kinds == {FactKind.SALE.value, FactKind.REFUND.value}, "the mix covers both kinds"

    # When everything is rebuilt from the source tables
    assert await rebuild_reports(sessionmaker)

    # Then the facts, the rollups, the buyer numbers and the buyer sets are the same rows
    rebuilt = await snapshot(sessionmaker, is_postgres)
    for table, (again, swept) in enumerate(zip(rebuilt, incremental, strict=True)):
        assert again == swept, f"table {table} differs"
    if is_postgres:
        assert incremental[4], "PostgreSQL keeps buyer sets"
        await check_buyer_sets_count_like_the_facts(sessionmaker, world)


async def market_snapshot(
    sessionmaker: async_sessionmaker[AsyncSession], is_postgres: bool
) -> list[list[Any]]:
    """The marketplace-wide rollups (seller sets as text; PostgreSQL only) and seller numbers."""
    rollups = ReportMarketRollup.__table__.c
    sellers: Any = cast(rollups.sellers, String) if is_postgres else rollups.sellers
    statements = [
        select(*[column for column in rollups if column.name != "sellers"]).add_columns(sellers),
        select(ReportSeller.__table__),
    ]
    async with sessionmaker() as session:
        tables = [(await session.execute(statement)).all() for statement in statements]
    return [sorted(map(tuple, rows), key=repr) for rows in tables]


async def test_rebuild_gives_the_marketplace_rollups_the_sweeps_built(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    is_postgres: bool,
) -> None:
    # Given thirty random events, each swept with no overlap
    await sweep_random_trade(app, client, sessionmaker, clock, seed=61, events=30)
    incremental = await market_snapshot(sessionmaker, is_postgres)
    grains = {row[0] for row in incremental[0]}
    assert grains == {"day", "week", "month", "quarter", "year"}, "the trade spans every grain"

    # When everything is rebuilt
    assert await rebuild_reports(sessionmaker)

    # Then the marketplace rollups and the seller numbers are the same rows, and each one
    # sums the per-seller rollups of its period (days: the facts of the day)
    assert await market_snapshot(sessionmaker, is_postgres) == incremental
    async with sessionmaker() as session:
        per_seller = (
            await session.execute(
                select(ReportRollup.grain, ReportRollup.period, func.sum(ReportRollup.gross))
                .where(ReportRollup.dimension == "seller")
                .group_by(ReportRollup.grain, ReportRollup.period)
            )
        ).all()
        per_day = (
            await session.execute(
                select(ReportFact.day, func.sum(ReportFact.gross)).group_by(ReportFact.day)
            )
        ).all()
    await check_top_products_sum_the_facts(sessionmaker)
    totals = {(row[0], row[2]): row[8] for row in incremental[0] if row[1] == "total"}
    assert per_seller
    assert {(str(g), p): int(gross) for g, p, gross in per_seller} == {
        key: gross for key, gross in totals.items() if key[0] in ("day", "week", "month")
    }
    assert {("day", day): int(gross) for day, gross in per_day} == {
        key: gross for key, gross in totals.items() if key[0] == "day"
    }


async def check_top_products_sum_the_facts(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """The marketplace's top products (first among each period's leaders on PostgreSQL) are
    the products with the highest gross summed from the facts, for lists shorter and longer
    than the number of products sold, over ranges cut every way."""
    async with sessionmaker() as session:
        for first, last in RANGES:
            rows = await session.execute(
                select(ReportFact.product_id, func.sum(ReportFact.gross))
                .where(ReportFact.day >= first, ReportFact.day <= last)
                .group_by(ReportFact.product_id)
            )
            by_gross = sorted(((int(g), str(p)) for p, g in rows), key=lambda r: (-r[0], r[1]))
            for limit in (1, 2, 3, 10):
                top = await repository.top_products(session, cover(first, last, coarse=True), limit)
                assert [(row.gross, str(row.key)) for row in top] == by_gross[:limit], (
                    first,
                    last,
                    limit,
                )


RANGES = [
    (date(2026, 1, 1), date(2026, 4, 30)),  # whole months
    (date(2026, 1, 5), date(2026, 3, 17)),  # weeks inside months and edge days
    (date(2025, 12, 31), date(2026, 2, 1)),  # a day, a month, a day
    (date(2026, 2, 10), date(2026, 2, 10)),  # one day
    (date(2026, 3, 2), date(2026, 3, 8)),  # one week
]


async def check_buyer_sets_count_like_the_facts(
    sessionmaker: async_sessionmaker[AsyncSession], world: World
) -> None:
    """Distinct buyers from the unions of buyer sets equal those counted from the facts, for
    every grouping, with and without a seller, over ranges cut every way."""
    sellers = [None, *(uuid.UUID(s.id) for s in (world.pepper, world.honey, world.pewter))]
    counted = outside = 0
    groups = ["total", "region", "seller_kind", "category", "seller", "product", "month", "week"]
    async with sessionmaker() as session:
        for first, last in RANGES:
            for group_by in groups:
                periods = cover(first, last, months=group_by != "week")
                for seller_id in (
                    sellers if group_by in ("total", "product", "month", "week") else [None]
                ):
                    from_sets = await repository.buyers(session, group_by, periods, seller_id)
                    from_facts = await repository.buyers_from_facts(
                        session, group_by, periods, seller_id, None
                    )
                    counted += sum(row.buyers for row in from_sets)
                    outside += sum(row.outside_province for row in from_sets)
                    assert sorted(from_sets, key=repr) == sorted(from_facts, key=repr), (
                        first,
                        last,
                        group_by,
                        seller_id,
                    )
                    if group_by == "total":
                        continue
                    together, whole = await repository.buyers_and_total(
                        session, group_by, periods, seller_id
                    )
                    [whole_from_facts] = await repository.buyers_from_facts(
                        session, "total", periods, seller_id, None
                    )
                    assert (sorted(together, key=repr), whole) == (
                        sorted(from_facts, key=repr),
                        whole_from_facts,
                    ), (first, last, group_by, seller_id, "with the total")
    assert counted > 0, "the ranges hold buyers"
    assert outside > 0, "some of them ship outside the province"


async def test_a_sweep_skips_the_round_while_another_instance_holds_the_watermark(
    app: FastAPI, sessionmaker: async_sessionmaker[AsyncSession], is_postgres: bool
) -> None:
    if not is_postgres:
        pytest.skip("SQLite has one writer at a time: a second sweep simply waits")
    assert await sweep_reports(sessionmaker) == 0
    async with sessionmaker() as holder, holder.begin():
        assert await repository.lock_watermark(holder, datetime.now(UTC)) is not None
        assert await sweep_reports(sessionmaker) == -1
        assert not await rebuild_reports(sessionmaker)
    assert await sweep_reports(sessionmaker) >= 0


async def test_the_first_sweep_builds_what_was_sold_before_it(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    # Given an order paid before the reports ever ran
    world = await build_world(app, client)
    placed = await order(client, [(world.honey, 2)], "a@contoh.id")
    clock.at(2026, 4, 1, 1, 0)
    await pay(client, world, placed)

    # When the first sweep runs
    assert await sweep_reports(sessionmaker) == 0

    # Then the sale is in the rollups
    async with sessionmaker() as session:
        rows = (await session.execute(select(ReportRollup.grain, ReportRollup.gross))).all()
    assert sorted({(str(grain), gross) for grain, gross in rows}) == [
        ("day", 240_000),
        ("month", 240_000),
        ("week", 240_000),
    ]


async def buyer_set_versions(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> dict[tuple[str, str, str, str], str]:
    """Each buyer set's key and the transaction that last wrote its row (PostgreSQL's xmin)."""
    async with sessionmaker() as session:
        rows = await session.execute(
            text(
                "SELECT grain, CAST(period AS TEXT), scope, member, CAST(xmin AS TEXT) "
                "FROM report_buyer_sets"
            )
        )
        return {(row[0], row[1], row[2], row[3]): row[4] for row in rows}


async def test_a_sweep_rewrites_only_the_buyer_sets_its_changes_count_in(
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    world: World,
    is_postgres: bool,
) -> None:
    if not is_postgres:
        pytest.skip("SQLite keeps no buyer sets")
    # Given March sets of all three sellers' regencies, kinds and categories
    before = await buyer_set_versions(sessionmaker)
    assert {key[3] for key in before if key[:3] == ("month", "2026-03-01", "region")} == {
        "19.04",
        "19.05",
        "19.71",
    }

    # When one honey order is paid on Tuesday 10 March and swept
    placed = await order(client, [(world.honey, 1)], "h@contoh.id")
    clock.at(2026, 3, 10, 3, 0)
    await pay(client, world, placed)
    assert await sweep_reports(sessionmaker, overlap=timedelta(0)) == 1

    # Then only the sets that order counts in were written: its day's, week's, month's,
    # quarter's and year's total, regency, seller kind and category and the honey seller's
    # own set, and (but for the day) its product's sets
    after = await buyer_set_versions(sessionmaker)
    assert set(before) <= set(after), "no set was lost"
    written = {key for key, version in after.items() if before.get(key) != version}
    async with sessionmaker() as session:
        [category] = (
            await session.scalars(
                select(ReportFact.category_id)
                .where(ReportFact.seller_id == uuid.UUID(world.honey.id))
                .distinct()
            )
        ).all()
    marketplace_members = {
        ("total", ""),
        ("region", "19.04"),
        ("seller_kind", "umkm"),
        ("category", str(category)),
    }
    members = {
        *marketplace_members,
        ("seller", world.honey.id),
        ("product", world.honey.product_id),
    }
    assert written == {
        (grain, period, scope, member)
        for grain, period in (
            ("week", "2026-03-09"),
            ("month", "2026-03-01"),
            ("quarter", "2026-01-01"),
            ("year", "2026-01-01"),
        )
        for scope, member in members
    } | {
        ("day", "2026-03-10", scope, member)
        for scope, member in {*marketplace_members, ("seller", world.honey.id)}
    }
