"""/embed/stats: the economic impact widget under the embed rules (cached by data version,
ETag and 304, CSP frame-ancestors), light, readable without JavaScript, with server-drawn SVG
charts, rupiah and Indonesian month names, and the public summary's privacy."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.config import Settings
from marketplace.reports import charts, widget
from tests.conftest import make_settings
from tests.factories import http_client, running_app
from tests.reports.world import Clock, World, order, pay, sell_a_year_start, sweep

MAX_BYTES = 30 * 1024


@pytest.fixture
async def world(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> World:
    # The widget shows the twelve months up to today: today is 2 December 2026 here.
    monkeypatch.setattr(widget, "today_wib", lambda: date(2026, 12, 2))
    return await sell_a_year_start(app, client, sessionmaker, clock)


async def test_widget_shows_figures_bars_and_a_month_line_in_rupiah_and_indonesian(
    client: AsyncClient, world: World
) -> None:
    # When the government site's page loads the widget (January to December 2026)
    response = await client.get("/embed/stats")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert len(response.content) < MAX_BYTES
    assert "<script" not in html
    # Then the totals: 24 + 5 + 2 orders, Rp 24 x 50.000 + 5 x 120.000 + 2 x 200.000
    assert "<dt>Penjualan</dt><dd>Rp 2.200.000</dd>" in html
    assert "<dt>Pesanan</dt><dd>31</dd>" in html
    assert "Januari 2026 sampai Desember 2026" in html
    # And a bar for every regency: pepper's shown, honey's and the small shop's withheld
    assert html.count('<text x="0"') == 7
    assert html.count('<rect class="bar"') == 1
    assert '<text x="0" y="12">Bangka Barat</text>' in html
    assert ">Rp 1.200.000</text>" in html
    assert html.count(">disembunyikan (kurang dari 5 pembeli)</text>") == 2
    # And the line by month, its values in a table with Indonesian month names
    assert html.count("<polyline") == 1
    assert '<th scope="row">Maret 2026</th><td>Rp 900.000</td>' in html
    assert '<th scope="row">April 2026</th><td>Rp 700.000</td>' in html
    assert ">Mei 26</text>" in html
    assert "@" not in html


async def test_widget_speaks_english_when_asked(client: AsyncClient, world: World) -> None:
    html = (await client.get("/embed/stats", params={"lang": "en", "months": "12"})).text
    assert "Economic impact" in html
    assert "March 2026" in html
    assert "withheld (fewer than 5 buyers)" in html
    assert '<html lang="en">' in html


async def test_widget_is_cached_by_data_version_and_answers_304(
    client: AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    first = await client.get("/embed/stats")
    etag = first.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert first.headers["cache-control"].startswith("public, max-age=")

    again = await client.get("/embed/stats", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""

    # A new sale changes nothing until the sweep has counted it, then the page changes
    placed = await order(client, [(world.honey, 1)], "baru@contoh.id")
    clock.at(2026, 3, 30, 3, 0)
    await pay(client, world, placed)
    assert (await client.get("/embed/stats")).headers["etag"] == etag
    await sweep(sessionmaker)
    changed = await client.get("/embed/stats", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag


async def test_widget_may_be_framed_only_by_the_allowed_origins(settings: Settings) -> None:
    allowed = make_settings(
        settings.database_url,
        media_root=settings.media_root,
        embed_allowed_origins="https://babelprov.go.id, https://x.go.id; script-src *",
    )
    async with running_app(allowed) as app, http_client(app) as client:
        response = await client.get("/embed/stats")
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors https://babelprov.go.id;" in policy
    assert "script-src" not in policy
    assert "default-src 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("query", [{"months": "0"}, {"months": "25"}, {"theme": "neon"}])
async def test_widget_refuses_bad_queries_with_a_problem(
    client: AsyncClient, query: dict[str, str]
) -> None:
    response = await client.get("/embed/stats", params=query)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_month_labels_of_a_year_do_not_touch_on_a_phone() -> None:
    # twelve "Jan 26"-wide labels along 300 units overlapped (seen in the widget at 390 px)
    months = [(f"M{index:02d}", 1000 * index, "Rp") for index in range(12)]
    ticks = charts.line_chart(months, "Rp 11.000").ticks
    assert [tick.label for tick in ticks] == ["M00", "M02", "M04", "M06", "M08", "M10"]
    gaps = [later.x - earlier.x for earlier, later in zip(ticks, ticks[1:], strict=False)]
    assert min(gaps) >= 45
    short = charts.line_chart(months[:5], "Rp 4.000").ticks
    assert len(short) == 5
