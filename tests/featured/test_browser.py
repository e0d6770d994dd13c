"""embed.js in a real browser: Debian's chromium, headless, driven by Playwright, opens a host
page served from another origin on loopback that embeds two widgets. Both frames must show
their featured products and take their content's height; a screenshot is kept in
test-artifacts/ (not committed)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from marketplace.config import Settings
from tests.browser import ARTIFACTS, browser_page, needs_chromium
from tests.conftest import make_settings
from tests.factories import set_up_catalog
from tests.featured.world import feature, listed_product
from tests.servers import LOOPBACK, free_port, serving_marketplace

pytestmark = needs_chromium
pytest.importorskip("playwright.async_api")  # skipped, with the reason, without Playwright

SETTLE_SECONDS = 20.0


@dataclass(frozen=True)
class Servers:
    marketplace: str
    host_page: str


@dataclass(frozen=True)
class FrameState:
    cards: int
    frame_height: float
    content_height: float
    images_loaded: bool

    @property
    def fits(self) -> bool:
        return abs(self.frame_height - self.content_height) <= 2


def host_page(marketplace: str) -> str:
    """A government news page with two widgets: a narrow one (320 px) and a wide one."""
    return f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>Berita Diskominfo Babel</title></head>
<body style="margin:0;padding:16px;font-family:sans-serif;background:#f4f4f4">
<h1 style="margin:0 0 12px;font-size:20px">Produk unggulan UMKM</h1>
<div id="narrow" style="width:320px;background:#fff">
<script src="{marketplace}/embed.js" data-featured data-limit="2"></script>
<noscript><a href="{marketplace}/featured">Produk unggulan</a></noscript>
</div>
<p>Berita lain di antara kedua widget.</p>
<div id="wide" style="width:640px;background:#fff">
<script src="{marketplace}/embed.js" data-featured data-limit="5" data-lang="en"
        data-theme="dark"></script>
</div>
</body></html>
"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
        return


@contextmanager
def serving_folder(folder: Path, port: int) -> Iterator[None]:
    """A plain static server for the host page: another origin than the marketplace's."""
    httpd = ThreadingHTTPServer((LOOPBACK, port), partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, name="host-page", daemon=True)
    thread.start()
    try:
        yield
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
async def servers(app: FastAPI, settings: Settings, tmp_path: Path) -> AsyncIterator[Servers]:
    """The marketplace (allowing the host page's origin to frame it) and the host page, each
    on its own loopback port (``app`` is requested so the tables are emptied afterwards)."""
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


async def frame_states(page: Any) -> list[FrameState]:
    states = []
    for handle in await page.query_selector_all("iframe"):
        frame = await handle.content_frame()
        if frame is None:
            states.append(FrameState(0, 0.0, -1.0, False))
            continue
        try:
            measured = await frame.evaluate(
                """() => ({
                    cards: document.querySelectorAll(".card").length,
                    height: document.body ? document.body.getBoundingClientRect().height : -1,
                    images: Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)
                })"""
            )
        except Exception as error:  # playwright's: the frame navigated while measured, not settled
            if "context was destroyed" not in str(error):
                raise
            states.append(FrameState(0, 0.0, -1.0, False))
            continue
        frame_height = await handle.evaluate("element => element.getBoundingClientRect().height")
        states.append(
            FrameState(measured["cards"], frame_height, measured["height"], measured["images"])
        )
    return states


async def settled_frames(page: Any, expected_cards: list[int]) -> list[FrameState]:
    """The frames once each shows its cards and has taken its content's height."""
    deadline = time.monotonic() + SETTLE_SECONDS
    states = await frame_states(page)
    while time.monotonic() < deadline:
        if [state.cards for state in states] == expected_cards and all(
            state.fits and state.images_loaded for state in states
        ):
            return states
        await asyncio.sleep(0.2)
        states = await frame_states(page)
    return states


async def test_two_widgets_on_another_origin_show_products_and_fit_their_content(
    app: FastAPI, client: AsyncClient, servers: Servers
) -> None:
    # Given six featured products with photos, seeded through the API
    shop = await set_up_catalog(app, client)
    for number in range(1, 7):
        product = await listed_product(
            client, shop, f"Lada Putih Muntok {number}", price=25_000 * number, with_image=True
        )
        await feature(client, shop.admin, product["id"])

    async with browser_page({"width": 800, "height": 1100}) as (page, errors):
        # When a host page on another origin embeds two widgets with embed.js
        await page.goto(servers.host_page)
        states = await settled_frames(page, [2, 5])
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "featured-embeds.png"), full_page=True)

        # Then each frame shows its products, photos loaded, at its content's height
        assert [state.cards for state in states] == [2, 5], states
        assert all(state.images_loaded for state in states), states
        assert all(state.fits for state in states), states
        assert states[0].frame_height != states[1].frame_height
        frames = await page.evaluate(
            """() => Array.from(document.querySelectorAll("iframe")).map(f => ({
                id: f.id, title: f.title, afterScript: f.previousElementSibling.tagName,
                loading: f.getAttribute("loading")
            }))"""
        )
        assert frames == [
            {
                "id": "pasar-babel-1",
                "title": "Produk unggulan",
                "afterScript": "SCRIPT",
                "loading": "lazy",
            },
            {
                "id": "pasar-babel-2",
                "title": "Featured products",
                "afterScript": "SCRIPT",
                "loading": "lazy",
            },
        ]

        # And a resize message from anyone but the frame itself changes nothing
        await page.evaluate(
            """() => window.postMessage(
                {type: "pasar-babel:resize", id: "pasar-babel-1", height: 7}, "*")"""
        )
        await asyncio.sleep(0.3)
        assert (await frame_states(page))[0].frame_height == states[0].frame_height
        assert errors == []
