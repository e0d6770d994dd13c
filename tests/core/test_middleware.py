"""Request ids and language negotiation, applied to every response."""

from __future__ import annotations

import re

import pytest
from httpx import AsyncClient

from tests.conftest import make_settings
from tests.factories import http_client, running_app

GENERATED_REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")


async def test_request_id_sent_by_the_client_is_echoed(client: AsyncClient) -> None:
    response = await client.get("/api/v1/missing", headers={"X-Request-ID": "gw-2026.11_27-abc"})

    assert response.headers["x-request-id"] == "gw-2026.11_27-abc"
    assert response.json()["request_id"] == "gw-2026.11_27-abc"


@pytest.mark.parametrize(
    "sent",
    ["with spaces", "a" * 65, "semi;colon", "<script>", ""],
    ids=["spaces", "65-chars", "semicolon", "markup", "empty"],
)
async def test_invalid_request_id_is_replaced_by_a_generated_one(
    client: AsyncClient, sent: str
) -> None:
    response = await client.get("/api/v1/missing", headers={"X-Request-ID": sent})

    request_id = response.headers["x-request-id"]
    assert request_id != sent
    assert GENERATED_REQUEST_ID.match(request_id)
    assert response.json()["request_id"] == request_id


async def test_each_request_without_an_id_gets_a_fresh_one(client: AsyncClient) -> None:
    first = await client.get("/healthz")
    second = await client.get("/healthz")

    assert GENERATED_REQUEST_ID.match(first.headers["x-request-id"])
    assert GENERATED_REQUEST_ID.match(second.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


@pytest.mark.parametrize(
    ("accept_language", "title", "content_language"),
    [
        (None, "Tidak ditemukan", "id"),
        ("en", "Not found", "en"),
        ("en-GB,en;q=0.9", "Not found", "en"),
        ("id-ID,id;q=0.9,en;q=0.8", "Tidak ditemukan", "id"),
        ("id;q=0.3, en;q=0.7", "Not found", "en"),
        ("fr-FR,de;q=0.8", "Tidak ditemukan", "id"),
    ],
)
async def test_problem_titles_follow_accept_language_with_indonesian_by_default(
    client: AsyncClient, accept_language: str | None, title: str, content_language: str
) -> None:
    headers = {"Accept-Language": accept_language} if accept_language else {}

    response = await client.get("/api/v1/missing", headers=headers)

    assert response.status_code == 404
    assert response.json()["title"] == title
    assert response.headers["content-language"] == content_language
    assert response.headers["vary"] == "Accept-Language"


async def test_a_page_whose_query_chose_its_language_does_not_vary_by_accept_language(
    client: AsyncClient,
) -> None:
    response = await client.get("/embed/featured?lang=en", headers={"Accept-Language": "id"})

    assert response.status_code == 200
    assert response.headers.get_list("content-language") == ["en"]
    assert "accept-language" not in response.headers.get("vary", "").lower()


async def test_english_request_gets_english_validation_texts(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": "siti@contoh.id", "password": "pendek", "full_name": "Siti"},
        headers={"Accept-Language": "en"},
    )

    assert response.status_code == 422
    body = response.json()
    assert body["title"] == "Invalid data"
    assert body["detail"] == "The password needs at least 10 characters."


@pytest.mark.parametrize(
    ("accept_language", "joined"),
    [("id", "'price_desc' atau 'rating'"), ("en", "'price_desc' or 'rating'")],
)
async def test_a_choice_message_lists_the_choices_in_the_request_language(
    client: AsyncClient, accept_language: str, joined: str
) -> None:
    response = await client.get(
        "/api/v1/products?sort=cheapest", headers={"Accept-Language": accept_language}
    )

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["loc"] == ["query", "sort"]
    assert error["msg"].endswith(joined)
    assert error["msg"].count("'") == 10, "all five sorts named"


async def test_cors_allows_a_listed_origin_and_exposes_our_headers(migrated_database: str) -> None:
    origin = "https://pasar.babelprov.go.id"
    settings = make_settings(migrated_database, cors_origins=origin)
    async with running_app(settings) as app, http_client(app) as http:
        preflight = await http.options(
            "/api/v1/orders",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "Idempotency-Key, Content-Type",
            },
        )
        listed = await http.get("/api/v1/regions", headers={"Origin": origin})
        stranger = await http.get("/api/v1/regions", headers={"Origin": "https://evil.example"})

    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == origin
    assert "idempotency-key" in preflight.headers["access-control-allow-headers"].lower()
    assert listed.headers["access-control-allow-origin"] == origin
    assert "X-Request-ID" in listed.headers["access-control-expose-headers"]
    assert "access-control-allow-origin" not in stranger.headers


async def test_no_cors_headers_without_configured_origins(client: AsyncClient) -> None:
    response = await client.get("/api/v1/regions", headers={"Origin": "https://pasar.example"})

    assert "access-control-allow-origin" not in response.headers
