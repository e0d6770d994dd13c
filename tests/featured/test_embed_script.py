"""/embed.js: the loader a web team pastes into its pages."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient


async def test_loader_is_javascript_with_caching_headers(app: FastAPI, client: AsyncClient) -> None:
    response = await client.get("/embed.js")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["cache-control"] == "public, max-age=300, stale-while-revalidate=3600"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["etag"].startswith('"')
    assert len(response.content) < 4 * 1024


async def test_loader_revalidates_with_304(app: FastAPI, client: AsyncClient) -> None:
    etag = (await client.get("/embed.js")).headers["etag"]

    response = await client.get("/embed.js", headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""


async def test_loader_trusts_only_messages_from_its_own_frame_and_origin(
    app: FastAPI, client: AsyncClient
) -> None:
    script = (await client.get("/embed.js")).text

    assert "document.currentScript" in script
    assert "event.origin !== origin || event.source !== iframe.contentWindow" in script
    assert "data.type !== MESSAGE_TYPE || data.id !== id" in script
    assert 'MESSAGE_TYPE = "pasar-babel:resize"' in script
    for option in ("limit", "region", "category", "lang", "theme"):
        assert f'"{option}"' in script
    # ES5: no arrow functions, let/const, classes or template strings
    for modern in ("=>", "let ", "const ", "class ", "`"):
        assert modern not in script, modern
