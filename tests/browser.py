"""What every browser test shares: Debian's chromium (never ``playwright install``), a phone's
viewport, axe-core's serious findings, and the folder screenshots go to (not committed).

A browser test module starts with::

    pytestmark = needs_chromium
    pytest.importorskip("playwright.async_api")
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed (apt-get install chromium; .ci/run does it)",
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
SERIOUS = {"serious", "critical"}
# axe-core 4.10.3 (MPL-2.0, its licence header kept in the file), vendored for offline runs.
AXE_SOURCE = (Path(__file__).parent / "storefront" / "vendor" / "axe.min.js").read_text(
    encoding="utf-8"
)


async def accessibility_problems(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it stands."""
    await page.evaluate(AXE_SOURCE)
    result = await page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["html"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


@asynccontextmanager
async def browser_page(viewport: dict[str, int] = PHONE) -> AsyncIterator[tuple[Any, list[str]]]:
    """A page in headless chromium and the console errors and uncaught exceptions it logs."""
    from playwright.async_api import async_playwright  # noqa: PLC0415 (skipped without it)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = await browser.new_page(viewport=viewport)
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            yield page, errors
        finally:
            await browser.close()
