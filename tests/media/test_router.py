from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from marketplace.main import create_app
from marketplace.media.images import process_image
from marketplace.media.router import router as media_router
from marketplace.media.storage import IMMUTABLE_CACHE_CONTROL, LocalStorage
from tests.conftest import make_settings
from tests.media.samples import png_bytes

KEY = "products/3a7c/5e1d2f.webp"
MEDIA_ROUTE = "/media/{key:path}"


@pytest.fixture
def media_root(tmp_path: Path) -> Path:
    return tmp_path / "media"


@pytest.fixture
async def media_app(database_url: str, media_root: Path) -> AsyncIterator[FastAPI]:
    """The real app serving the local media folder (the router is added if not wired in yet)."""
    app = create_app(make_settings(database_url, media_root=media_root))
    if not any(getattr(route, "path", None) == MEDIA_ROUTE for route in app.routes):
        app.include_router(media_router)
    yield app
    await app.state.engine.dispose()


@pytest.fixture
async def http(media_app: FastAPI) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=media_app)
    async with AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def stored_image(media_root: Path) -> bytes:
    processed = process_image(png_bytes(), max_bytes=1024 * 1024, max_pixels=1_000_000)
    await LocalStorage(media_root, "http://testserver").put(KEY, processed.data, "image/webp")
    return processed.data


async def test_stored_image_is_served_with_long_cache_headers(
    http: AsyncClient, stored_image: bytes
) -> None:
    url = LocalStorage(Path("unused"), "http://testserver").public_url(KEY)

    response = await http.get(url)

    assert response.status_code == 200
    assert response.content == stored_image
    assert response.headers["content-type"] == "image/webp"
    assert response.headers["cache-control"] == IMMUTABLE_CACHE_CONTROL
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["etag"].startswith('"')


@pytest.mark.parametrize("if_none_match", ["{etag}", "W/{etag}", '"something-else", {etag}', "*"])
async def test_matching_if_none_match_answers_304_without_a_body(
    http: AsyncClient, stored_image: bytes, if_none_match: str
) -> None:
    etag = (await http.get(f"/media/{KEY}")).headers["etag"]

    response = await http.get(
        f"/media/{KEY}", headers={"If-None-Match": if_none_match.format(etag=etag)}
    )

    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == etag
    assert response.headers["cache-control"] == IMMUTABLE_CACHE_CONTROL


async def test_stale_if_none_match_gets_the_image(http: AsyncClient, stored_image: bytes) -> None:
    response = await http.get(f"/media/{KEY}", headers={"If-None-Match": '"old-version"'})

    assert response.status_code == 200
    assert response.content == stored_image


async def test_missing_image_is_a_404_problem(http: AsyncClient, stored_image: bytes) -> None:
    response = await http.get("/media/products/3a7c/missing.webp")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/not-found"


async def test_folder_is_not_served(http: AsyncClient, stored_image: bytes) -> None:
    response = await http.get("/media/products/3a7c")

    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/..%2Fsecret.webp",
        "/media/products/..%2F..%2Fsecret.webp",
        "/media/%2E%2E/secret.webp",
        "/media/%2Fsecret.webp",
        "/media/products/3a7c/.5e1d2f.webp.part",
    ],
)
async def test_keys_escaping_the_media_folder_are_404(
    http: AsyncClient, media_root: Path, stored_image: bytes, path: str
) -> None:
    (media_root.parent / "secret.webp").write_bytes(b"not for the public")
    (media_root / "products/3a7c/.5e1d2f.webp.part").write_bytes(b"half written")

    response = await http.get(path)

    assert response.status_code == 404
    assert b"not for the public" not in response.content
    assert b"half written" not in response.content
