from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import create_published_product, set_up_catalog, variant_body, create_product


async def test_probe(app: FastAPI, client: AsyncClient) -> None:
    shop = await set_up_catalog(app, client)
    for i in range(5):
        await create_published_product(client, shop.owner, shop.seller_id, title=f"Madu hutan {i}", description="madu " * i)
    await create_published_product(client, shop.owner, shop.seller_id, title="Sirup jeruk", description="Dicampur madu hutan asli Bangka")
    await create_published_product(client, shop.owner, shop.seller_id, title="Madu Pelawan", description="Manis dan pahit")
    r = await client.get("/api/v1/products", params={"q": "madu", "limit": 2})
    print("p1", r.status_code, [i["title"] for i in r.json()["items"]])
    r2 = await client.get("/api/v1/products", params={"q": "madu", "limit": 2, "cursor": r.json()["next_cursor"]})
    print("p2", r2.status_code, r2.text[:300])
    r = await client.get("/api/v1/products", params={"q": "madu", "limit": 50})
    print("all", [i["title"] for i in r.json()["items"]])
    for q in ["a\x00b", "madu\x00"]:
        r = await client.get("/api/v1/products", params={"q": q})
        print("nul q", r.status_code, r.text[:200])
    for name in ["seller", "region", "category"]:
        r = await client.get("/api/v1/products", params={name: "x\x00"})
        print("nul", name, r.status_code, r.text[:200])
    r = await client.get("/api/v1/products/ab%00c")
    print("nul slug", r.status_code, r.text[:200])
    r = await client.get("/api/v1/sellers/ab%00c")
    print("nul seller slug", r.status_code, r.text[:200])
    pending = await set_up_catalog(app, client, verified=False, admin=shop.admin)
    r = await client.post(f"/api/v1/sellers/{pending.seller_id}/products", json={})
    print("anon pending", r.status_code)
    r = await client.post(f"/api/v1/sellers/{shop.seller_id}/products", json={})
    print("anon verified", r.status_code)
