"""Data for bench/embed.py: featured products with photos, seeded through a running server's
API (the admin comes from ``marketplace create-admin``, so only its credentials are here)."""

from __future__ import annotations

import asyncio
import io

import httpx
from PIL import Image
from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import create_async_engine

from marketplace.accounts.models import User
from marketplace.db.session import async_database_url

ADMIN_EMAIL = "admin@bench.pasar-babel.id"
OWNER_EMAIL = "kim@bench.pasar-babel.id"
PASSWORD = "lada-putih-muntok-2026"
PRODUCTS = 12


def photo(number: int) -> bytes:
    buffer = io.BytesIO()
    color = (40 + number * 15 % 200, 120, 200 - number * 10 % 150)
    Image.new("RGB", (800, 600), color).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def checked(response: httpx.Response) -> dict[str, object]:
    if response.status_code >= 400:
        raise RuntimeError(f"{response.request.method} {response.request.url}: {response.text}")
    return response.json() if response.content else {}


def bearer(http: httpx.Client, email: str) -> dict[str, str]:
    tokens = checked(
        http.post("/api/v1/auth/token", data={"username": email, "password": PASSWORD})
    )
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def mark_email_verified(database_url: str, email: str) -> None:
    """What following the e-mailed code does (sellers need a confirmed address); the bench
    reads no mailbox."""

    async def mark() -> None:
        engine = create_async_engine(async_database_url(database_url))
        try:
            async with engine.begin() as connection:
                await connection.execute(
                    update(User)
                    .where(User.email_normalized == email.lower())
                    .values(email_verified_at=func.now())
                )
        finally:
            await engine.dispose()

    asyncio.run(mark())


def seed_featured(base_url: str, database_url: str) -> tuple[dict[str, str], str]:
    """Twelve featured products with photos; the admin's headers and one entry's id."""
    with httpx.Client(base_url=base_url, timeout=60.0, trust_env=False) as http:
        admin = bearer(http, ADMIN_EMAIL)
        checked(
            http.post(
                "/api/v1/auth/register",
                json={
                    "email": OWNER_EMAIL,
                    "password": PASSWORD,
                    "full_name": "Siti Aminah",
                },
            )
        )
        mark_email_verified(database_url, OWNER_EMAIL)
        owner = bearer(http, OWNER_EMAIL)
        seller = checked(
            http.post(
                "/api/v1/sellers",
                headers=owner,
                json={
                    "name": "Kelompok Informasi Masyarakat Muntok",
                    "kind": "community_group",
                    "region_code": "19.05",
                },
            )
        )
        checked(http.post(f"/api/v1/admin/sellers/{seller['id']}/verify", headers=admin))
        checked(
            http.post(
                "/api/v1/admin/categories", headers=admin, json={"slug": "rempah", "name": "Rempah"}
            )
        )
        entry_id = ""
        for number in range(1, PRODUCTS + 1):
            entry_id = seed_product(http, admin, owner, str(seller["id"]), number)
        return admin, entry_id


def seed_product(
    http: httpx.Client, admin: dict[str, str], owner: dict[str, str], seller_id: str, number: int
) -> str:
    title = f"Lada Putih Muntok Kualitas Ekspor Panen Raya {number:02d} Kemasan Kedap Udara"
    product = checked(
        http.post(
            f"/api/v1/sellers/{seller_id}/products",
            headers=owner,
            json={
                "title": title,
                "category": "rempah",
                "variants": [
                    {"name": "250 g", "price": 37_500 * number, "stock": 40, "weight_grams": 260}
                ],
            },
        )
    )
    product_id = str(product["id"])
    files = {"file": ("lada.jpg", photo(number), "image/jpeg")}
    checked(http.post(f"/api/v1/products/{product_id}/images", headers=owner, files=files))
    checked(http.post(f"/api/v1/products/{product_id}/publish", headers=owner))
    entry = checked(
        http.post(
            "/api/v1/admin/featured",
            headers=admin,
            json={"product_id": product_id, "position": number * 10},
        )
    )
    return str(entry["id"])
