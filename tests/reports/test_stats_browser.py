"""/embed/stats in a real browser: Debian's chromium, headless, driven by Playwright, frames
the widget from a host page on another origin (allowed by MARKETPLACE_EMBED_ALLOWED_ORIGINS).
The frame must draw its charts with no script and no console error; a screenshot is kept in
test-artifacts/ (not committed)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.config import Settings
from marketplace.reports import widget
from tests.browser import ARTIFACTS, browser_page, needs_chromium
from tests.conftest import make_settings
from tests.featured.test_browser import serving_folder
from tests.reports.world import Clock, sell_a_year_start
from tests.servers import LOOPBACK, free_port, serving_marketplace

pytestmark = needs_chromium
pytest.importorskip("playwright.async_api")  # skipped, with the reason, without Playwright


@dataclass(frozen=True)
class Servers:
    marketplace: str
    host_page: str


def host_page(marketplace: str) -> str:
    return f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>Diskominfo Babel: dampak ekonomi</title></head>
<body style="margin:0;padding:16px;font-family:sans-serif;background:#f4f4f4">
<h1 style="margin:0 0 12px;font-size:20px">Ekonomi digital masyarakat</h1>
<iframe id="light" src="{marketplace}/embed/stats" title="Dampak ekonomi"
        style="width:420px;height:1000px;border:0;background:#fff"></iframe>
<iframe id="dark" src="{marketplace}/embed/stats?lang=en&amp;theme=dark"
        title="Economic impact" style="width:420px;height:1000px;border:0"></iframe>
</body></html>
"""


@pytest.fixture
async def servers(app: FastAPI, settings: Settings, tmp_path: Path) -> AsyncIterator[Servers]:
    marketplace_port, host_port = free_port(), free_port()
    marketplace = f"http://{LOOPBACK}:{marketplace_port}"
    host = f"http://{LOOPBACK}:{host_port}"
    server_settings = make_settings(
        settings.database_url,
        media_root=settings.media_root,
        public_url=marketplace,
        embed_allowed_origins=host,
    )
    (tmp_path / "index.html").write_text(host_page(marketplace), encoding="utf-8")
    with (
        serving_marketplace(server_settings, marketplace_port),
        serving_folder(tmp_path, host_port),
    ):
        yield Servers(marketplace=marketplace, host_page=f"{host}/index.html")


async def test_widget_draws_its_charts_in_chromium_framed_by_another_origin(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    servers: Servers,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given sales in January to April 2026, and today 2 December 2026
    monkeypatch.setattr(widget, "today_wib", lambda: date(2026, 12, 2))
    await sell_a_year_start(app, client, sessionmaker, clock)

    async with browser_page({"width": 900, "height": 1100}) as (page, errors):
        # When the host page on another origin frames the widget twice
        await page.goto(servers.host_page, wait_until="load")
        frames = [
            await (await page.wait_for_selector(f"#{name}")).content_frame()
            for name in ("light", "dark")
        ]
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "stats-embed.png"), full_page=True)

        # Then each frame shows its title, figures and both charts, laid out and visible
        shapes = []
        for frame in frames:
            assert frame is not None
            shapes.append(
                await frame.evaluate(
                    """() => ({
                        title: document.querySelector("h1").textContent,
                        bars: Array.from(document.querySelectorAll("rect.bar"))
                            .map(r => Math.round(r.getBoundingClientRect().width)),
                        line: document.querySelector("polyline.trend")
                            .getBoundingClientRect().width > 100,
                        scripts: document.scripts.length,
                        kpis: document.querySelectorAll(".kpi dd").length
                    })"""
                )
            )
        assert shapes[0]["title"] == "Dampak ekonomi"
        assert shapes[1]["title"] == "Economic impact"
        assert all(len(shape["bars"]) == 1 and shape["bars"][0] > 100 for shape in shapes)
        assert shapes[0]["line"]
        assert shapes[0]["scripts"] == 0
        assert shapes[0]["kpis"] == 4
        assert errors == []
