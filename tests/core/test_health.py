"""Liveness and readiness probes."""

from __future__ import annotations

from pathlib import Path

from httpx import AsyncClient

from tests.conftest import make_settings
from tests.factories import http_client, running_app


async def test_healthz_answers_200_while_the_process_is_up(client: AsyncClient) -> None:
    response = await client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_answers_200_when_the_database_answers(client: AsyncClient) -> None:
    response = await client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_answers_503_problem_when_the_database_is_unreachable(
    tmp_path: Path,
) -> None:
    unreachable = f"sqlite:///{tmp_path / 'no-such-folder' / 'marketplace.db'}"

    async with running_app(make_settings(unreachable)) as app, http_client(app) as http:
        response = await http.get("/readyz")

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "/problems/not-ready"
    assert body["status"] == 503
    assert body["detail"] == "database unreachable"
