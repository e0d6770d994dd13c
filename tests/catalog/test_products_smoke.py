from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import create_account, create_admin, create_verified_seller


async def test_published_product_is_listed_and_found_by_search_with_typo(
    app: FastAPI, client: AsyncClient, is_postgres: bool
) -> None:
    admin = await create_admin(app, client)
    owner = await create_account(client)
    seller = await create_verified_seller(client, owner, admin)
    await client.post(
        "/api/v1/admin/categories", json={"slug": "rempah", "name": "Rempah"}, headers=admin.headers
    )
    await client.post(
        "/api/v1/admin/categories",
        json={"slug": "lada", "name": "Lada", "parent": "rempah"},
        headers=admin.headers,
    )
    created = await client.post(
        f"/api/v1/sellers/{seller['id']}/products",
        json={
            "title": "Lada Putih Muntok",
            "description": "Kami menjual lada putih asli Muntok",
            "category": "lada",
            "variants": [
                {"name": "100 g", "price": 25000, "stock": 5, "weight_grams": 120},
                {"name": "250 g", "price": 55000, "stock": 0, "weight_grams": 270},
            ],
            "attributes": {"pirt_number": "2091905010123-27"},
        },
        headers=owner.headers,
    )
    assert created.status_code == 201, created.text
    product = created.json()
    assert product["slug"] == "lada-putih-muntok"
    assert product["price"] == 25000
    published = await client.post(
        f"/api/v1/products/{product['id']}/publish", headers=owner.headers
    )
    assert published.status_code == 200, published.text

    listed = await client.get("/api/v1/products", params={"category": "rempah"})
    assert listed.status_code == 200, listed.text
    assert [p["slug"] for p in listed.json()["items"]] == ["lada-putih-muntok"]
    searched = await client.get("/api/v1/products", params={"q": "jual lada"})
    assert [p["slug"] for p in searched.json()["items"]] == ["lada-putih-muntok"], searched.text
    if is_postgres:
        typo = await client.get("/api/v1/products", params={"q": "lada puith"})
        assert [p["slug"] for p in typo.json()["items"]] == ["lada-putih-muntok"], typo.text
    detail = await client.get("/api/v1/products/lada-putih-muntok")
    assert detail.status_code == 200
    assert detail.json()["attributes"]["pirt_number"] == "209190501012327"
