"""The public summary never reveals a small seller's sales: groups under five distinct buyers
are withheld, a second group with them so that no subtraction from the totals isolates them,
and nothing personal is in the answer."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.reports.service import Figures
from marketplace.reports.suppression import withhold_small
from tests.reports.world import Clock, build_world, sell_to, sweep

MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


async def summary(client: AsyncClient, **params: str) -> dict[str, Any]:
    response = await client.get("/api/v1/stats/summary", params=params)
    assert response.status_code == 200, response.text
    assert "@" not in response.text
    result: dict[str, Any] = response.json()
    return result


def every_sum_the_public_can_form(body: dict[str, Any]) -> set[int]:
    """Every published gross, and the total minus any set of a table's published cells."""
    sums: set[int] = set()
    total = body["totals"]["gross"] if body["totals"] else None
    for table in ("by_region", "by_seller_kind", "by_category", "by_month"):
        shown = [cell["figures"]["gross"] for cell in body[table] if not cell["suppressed"]]
        sums.update(shown)
        if total is None:
            continue
        for size in range(len(shown) + 1):
            for picked in combinations(shown, size):
                sums.add(total - sum(picked))
    return sums


async def test_a_small_seller_is_withheld_with_the_next_smallest_group(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    # Given in March: pepper sells to 6 buyers, honey to 5, and the small pewter shop to 2
    world = await build_world(app, client)
    await sell_to(client, world, world.pepper, [f"p{n}@contoh.id" for n in range(6)], clock)
    await sell_to(client, world, world.honey, [f"h{n}@contoh.id" for n in range(5)], clock)
    await sell_to(client, world, world.pewter, ["x1@contoh.id", "x2@contoh.id"], clock)
    await sweep(sessionmaker)

    # When anyone asks for March's summary
    body = await summary(client, **MARCH)

    # Then the small shop's regency is withheld, and so is the next smallest (honey)
    regions = {cell["key"]: cell for cell in body["by_region"]}
    assert {key: cell["suppressed"] for key, cell in regions.items()} == {
        "19.05": False,
        "19.04": True,
        "19.71": True,
    }
    assert regions["19.71"]["figures"] is None
    assert regions["19.05"]["figures"]["gross"] == 6 * 50_000
    assert body["totals"]["gross"] == 6 * 50_000 + 5 * 120_000 + 2 * 200_000
    assert body["totals"]["buyers"] == 13
    # And no published number, nor the total minus published groups, is the small shop's sales
    assert 2 * 200_000 not in every_sum_the_public_can_form(body)
    # And the month is shown whole (13 buyers), the small shop's product is not a top product
    assert [cell["suppressed"] for cell in body["by_month"]] == [False]
    assert [product["title"] for product in body["top_products"]] == [
        "Madu Pelawan",
        "Lada Putih Muntok",
    ]
    assert body["minimum_buyers"] == 5


async def test_a_marketplace_of_one_small_seller_shows_no_figures_at_all(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    world = await build_world(app, client)
    await sell_to(client, world, world.pewter, ["x1@contoh.id", "x2@contoh.id"], clock)
    await sweep(sessionmaker)

    body = await summary(client, **MARCH)

    assert body["totals"] is None
    for table in ("by_region", "by_seller_kind", "by_category", "by_month"):
        assert all(cell["suppressed"] and cell["figures"] is None for cell in body[table])
    assert body["top_products"] == []
    assert 2 * 200_000 not in every_sum_the_public_can_form(body)


def cell(key: str, buyers: int, gross: int) -> Figures:
    return Figures(key, key, buyers, buyers, gross, 0, buyers, 1, 0)


def test_withholding_adds_the_smallest_published_cell_only_when_one_is_small() -> None:
    assert [c.figures is None for c in withhold_small([cell("a", 5, 10), cell("b", 9, 20)])] == [
        False,
        False,
    ]
    hidden = withhold_small([cell("a", 1, 10), cell("b", 9, 20), cell("c", 6, 900)])
    assert [c.key for c in hidden if c.figures is None] == ["a", "c"]
    lone = withhold_small([cell("a", 4, 10)])
    assert [c.figures for c in lone] == [None]
