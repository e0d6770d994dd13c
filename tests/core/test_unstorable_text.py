import pytest
from httpx import AsyncClient


async def test_nul_byte_in_sign_in_email_is_a_422_not_a_500_on_postgresql(
    client: AsyncClient, is_postgres: bool
) -> None:
    if not is_postgres:
        pytest.skip("SQLite stores NUL characters; only PostgreSQL refuses them")

    response = await client.post(
        "/api/v1/auth/token", data={"username": "a\x00b@contoh.id", "password": "x" * 12}
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["type"] == "invalid_text"


async def test_nul_byte_in_a_json_body_is_refused_by_validation(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": "nul@contoh.id", "password": "kopi-manggar-2026", "full_name": "Siti\x00"},
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "full_name"]


async def test_nul_byte_in_a_seller_path_is_not_found(client: AsyncClient) -> None:
    response = await client.get("/api/v1/sellers/kim%00lada")

    assert response.status_code == 404
