import uuid
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import create_account, create_admin, create_verified_seller


async def _product(
    client: AsyncClient, admin: Any, owner: Any, seller: dict[str, Any], stock: int
) -> dict[str, Any]:
    await client.post(
        "/api/v1/admin/categories", json={"slug": "lada", "name": "Lada"}, headers=admin.headers
    )
    created = await client.post(
        f"/api/v1/sellers/{seller['id']}/products",
        json={
            "title": "Lada Putih Muntok",
            "category": "lada",
            "variants": [{"name": "250 g", "price": 55000, "stock": stock, "weight_grams": 270}],
        },
        headers=owner.headers,
    )
    assert created.status_code == 201, created.text
    await client.post(f"/api/v1/products/{created.json()['id']}/publish", headers=owner.headers)
    result: dict[str, Any] = created.json()
    return result


ADDRESS = {
    "recipient": "Budi",
    "phone": "0812-3456-7890",
    "street": "Jl. Jenderal Sudirman No. 5",
    "village": "Batin Tikal",
    "district": "Taman Sari",
    "city": "Kota Pangkalpinang",
    "province": "Kepulauan Bangka Belitung",
    "postal_code": "33121",
}


async def test_guest_bank_transfer_order_goes_from_placed_to_completed(
    app: FastAPI, client: AsyncClient
) -> None:
    admin = await create_admin(app, client)
    owner = await create_account(client)
    seller = await create_verified_seller(client, owner, admin)
    product = await _product(client, admin, owner, seller, stock=5)
    variant_id = product["variants"][0]["id"]
    body = {
        "items": [{"variant_id": variant_id, "quantity": 2}],
        "buyer": {"name": "Budi", "email": "budi@contoh.id", "phone": "081234567890"},
        "shipping_address": ADDRESS,
        "payment_method": "bank_transfer",
    }
    key = str(uuid.uuid4())

    placed = await client.post("/api/v1/orders", json=body, headers={"Idempotency-Key": key})
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["status"] == "pending"
    assert order["subtotal"] == 110000
    assert order["shipping_total"] == 12000
    assert order["total"] == 122000
    assert order["payment"]["instructions"]["amount"] == 122000 + order["payment"]["unique_code"]
    token = order["access_token"]
    replay = await client.post("/api/v1/orders", json=body, headers={"Idempotency-Key": key})
    assert replay.status_code == 201
    assert replay.json()["id"] == order["id"]
    assert replay.json()["access_token"] == token
    stock = (await client.get(f"/api/v1/products/{product['id']}")).json()["variants"][0]["stock"]
    assert stock == 3

    assert (await client.get(f"/api/v1/orders/{order['id']}")).status_code == 404
    seen = await client.get(f"/api/v1/orders/{order['id']}", headers={"X-Order-Token": token})
    assert seen.status_code == 200

    confirmed = await client.post(
        f"/api/v1/admin/payments/{order['payment']['id']}/confirm", headers=admin.headers
    )
    assert confirmed.status_code == 200, confirmed.text
    part_id = order["seller_orders"][0]["id"]
    shipped = await client.post(
        f"/api/v1/seller-orders/{part_id}/ship",
        json={"courier": "JNE", "tracking_number": "JNE123"},
        headers=owner.headers,
    )
    assert shipped.status_code == 200, shipped.text
    delivered = await client.post(
        f"/api/v1/seller-orders/{part_id}/deliver", headers={"X-Order-Token": token}
    )
    assert delivered.status_code == 200, delivered.text
    final = (
        await client.get(f"/api/v1/orders/{order['id']}", headers={"X-Order-Token": token})
    ).json()
    assert final["status"] == "completed"
    assert final["payment_status"] == "paid"
