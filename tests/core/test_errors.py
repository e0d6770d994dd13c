"""Every error is an RFC 9457 problem: unknown routes, wrong methods, bad bodies, crashes."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator

import pytest
from httpx import AsyncClient

from marketplace.main import MAX_REQUEST_BODY_BYTES
from tests.conftest import make_settings
from tests.factories import http_client, running_app

PROBLEM = "application/problem+json"
GENERATED_REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")


async def test_unknown_route_answers_404_problem(client: AsyncClient) -> None:
    response = await client.get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["type"] == "/problems/not-found"
    assert body["title"] == "Tidak ditemukan"
    assert body["status"] == 404
    assert body["detail"] == "Sumber daya yang diminta tidak ada."
    assert body["request_id"] == response.headers["x-request-id"]


async def test_wrong_method_answers_405_problem_naming_the_allowed_ones(
    client: AsyncClient,
) -> None:
    response = await client.delete("/healthz")

    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["allow"] == "GET"
    body = response.json()
    assert body["type"] == "/problems/method-not-allowed"
    assert body["title"] == "Metode tidak diizinkan"
    assert body["status"] == 405
    assert body["detail"] == "Method Not Allowed"


async def test_malformed_json_body_answers_422_problem_with_errors(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        content=b'{"email": "siti@contoh.id", ',
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["type"] == "/problems/validation-error"
    assert body["title"] == "Data tidak valid"
    assert body["status"] == 422
    assert body["detail"] == "Periksa kolom yang disebutkan di 'errors'."
    assert len(body["errors"]) == 1
    assert body["errors"][0]["loc"][0] == "body"
    assert body["errors"][0]["type"] == "json_invalid"


@pytest.fixture
async def crashing_client(migrated_database: str) -> AsyncIterator[AsyncClient]:
    """An app of its own with one extra route that fails the way a bug would."""
    async with running_app(make_settings(migrated_database)) as app:

        @app.get("/crash")
        async def crash() -> None:
            raise RuntimeError("connection string postgresql://root:hunter2@db leaked")

        async with http_client(app) as http:
            yield http


async def test_crashing_route_answers_500_problem_without_leaking_the_exception(
    crashing_client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="marketplace.errors"):
        response = await crashing_client.get("/crash")

    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    request_id = response.headers["x-request-id"]
    assert GENERATED_REQUEST_ID.match(request_id)
    assert response.json() == {
        "type": "/problems/internal-error",
        "title": "Terjadi kesalahan pada server",
        "status": 500,
        "detail": (
            f"Kesalahan tak terduga. Sebutkan ID permintaan {request_id} saat menghubungi kami."
        ),
        "request_id": request_id,
    }
    for leak in ("hunter2", "RuntimeError", "Traceback", "crash()"):
        assert leak not in response.text


async def test_crashing_route_logs_the_traceback_under_the_request_id(
    crashing_client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="marketplace.errors"):
        response = await crashing_client.get(
            "/crash", headers={"X-Request-ID": "kasir-7", "Accept-Language": "en"}
        )

    assert response.status_code == 500
    assert response.headers["x-request-id"] == "kasir-7"
    assert response.json()["request_id"] == "kasir-7"
    assert response.json()["title"] == "Internal server error"
    assert response.json()["detail"] == (
        "An unexpected error occurred. Quote request id kasir-7 when contacting us."
    )
    [record] = [r for r in caplog.records if r.name == "marketplace.errors"]
    assert record.levelno == logging.ERROR
    assert record.getMessage() == "unhandled error on GET /crash"
    assert record.exc_info is not None
    assert record.exc_info[0] is RuntimeError
    assert "hunter2" in str(record.exc_info[1])
    assert "raise RuntimeError" in caplog.text  # the traceback itself


async def test_body_over_the_cap_answers_413_problem(client: AsyncClient) -> None:
    oversized = b"x" * (MAX_REQUEST_BODY_BYTES + 1)

    response = await client.post(
        "/api/v1/auth/register", content=oversized, headers={"Content-Type": "application/json"}
    )

    assert MAX_REQUEST_BODY_BYTES == 11 * 1024 * 1024
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["type"] == "/problems/payload-too-large"
    assert body["title"] == "Data terlalu besar"
    assert body["status"] == 413
    assert body["detail"] == "Isi permintaan melebihi 11534336 byte."
    assert body["request_id"] == response.headers["x-request-id"]


async def test_streamed_body_without_length_over_the_cap_answers_413_problem(
    client: AsyncClient,
) -> None:
    async def twelve_megabytes() -> AsyncIterator[bytes]:
        for _ in range(12):
            yield b"x" * (1024 * 1024)

    response = await client.post(
        "/api/v1/auth/register",
        content=twelve_megabytes(),
        headers={"Content-Type": "application/json"},
    )

    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"] == "/problems/payload-too-large"
    assert response.json()["status"] == 413


async def test_body_exactly_at_the_cap_is_read_and_validated(client: AsyncClient) -> None:
    at_the_cap = b"x" * MAX_REQUEST_BODY_BYTES

    response = await client.post(
        "/api/v1/auth/register", content=at_the_cap, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["type"] == "json_invalid"
