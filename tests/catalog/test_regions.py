"""GET /regions: the province's regencies and cities, seeded by the migrations."""

from __future__ import annotations

from httpx import AsyncClient

from tests.factories import create_account


async def test_regions_lists_the_seven_seeded_regions_by_code(client: AsyncClient) -> None:
    response = await client.get("/api/v1/regions")

    assert response.status_code == 200
    regions = response.json()
    assert [(r["code"], r["name"], r["kind"]) for r in regions] == [
        ("19.01", "Kabupaten Bangka", "regency"),
        ("19.02", "Kabupaten Belitung", "regency"),
        ("19.03", "Kabupaten Bangka Selatan", "regency"),
        ("19.04", "Kabupaten Bangka Tengah", "regency"),
        ("19.05", "Kabupaten Bangka Barat", "regency"),
        ("19.06", "Kabupaten Belitung Timur", "regency"),
        ("19.71", "Kota Pangkalpinang", "city"),
    ]
    assert regions[4]["seat"] == "Muntok"


async def test_signed_in_user_sees_the_same_regions_as_anonymous(client: AsyncClient) -> None:
    account = await create_account(client)

    anonymous = await client.get("/api/v1/regions")
    signed_in = await client.get("/api/v1/regions", headers=account.headers)

    assert signed_in.status_code == 200
    assert signed_in.json() == anonymous.json()
