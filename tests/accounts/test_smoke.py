from httpx import AsyncClient

from tests.factories import create_account


async def test_registered_user_reads_own_profile(client: AsyncClient) -> None:
    account = await create_account(client, email="Siti@Contoh.ID")

    response = await client.get("/api/v1/me", headers=account.headers)

    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "Siti@contoh.id"  # the domain part is case-insensitive
    assert body["sellers"] == []
    assert body["is_admin"] is False
