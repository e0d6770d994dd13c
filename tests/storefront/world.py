"""Small typed helpers for the storefront tests: a product with two variants and a photo,
the cookie session's CSRF token read from a page, a cart filled through the product form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import (
    CatalogSetup,
    create_published_product,
    set_up_catalog,
    upload_image,
    variant_body,
)

SAME_ORIGIN = {"Origin": "http://testserver"}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class PepperShop:
    setup: CatalogSetup
    product: dict[str, Any]

    @property
    def slug(self) -> str:
        slug: str = self.product["slug"]
        return slug

    def variant(self, index: int) -> str:
        variant_id: str = self.product["variants"][index]["id"]
        return variant_id


async def pepper_shop(
    app: FastAPI, client: AsyncClient, *, with_image: bool = True, whatsapp: str | None = None
) -> PepperShop:
    """White pepper in 100 g (Rp 25.000) and 250 g (Rp 55.000), with a photo."""
    setup = await set_up_catalog(app, client)
    if whatsapp:
        response = await client.patch(
            f"/api/v1/sellers/{setup.seller_id}",
            json={"whatsapp": whatsapp},
            headers=setup.owner.headers,
        )
        assert response.status_code == 200, response.text
    product = await create_published_product(
        client,
        setup.owner,
        setup.seller_id,
        title="Lada Putih Muntok",
        category=setup.category,
        variants=[
            variant_body("100 g", price=25_000, stock=10, weight_grams=120),
            variant_body("250 g", price=55_000, stock=5, weight_grams=270),
        ],
        attributes={"pirt_number": "2061903010123-29"},
    )
    if with_image:
        response = await upload_image(client, setup.owner, product["id"])
        assert response.status_code == 201, response.text
    return PepperShop(setup=setup, product=product)


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


async def add_to_cart(client: AsyncClient, variant_id: str, quantity: int = 1) -> None:
    response = await client.post(
        "/keranjang",
        data={"variant_id": variant_id, "quantity": str(quantity)},
        headers=SAME_ORIGIN,
    )
    assert response.status_code == 303, response.text


def checkout_form(csrf: str, **changes: str) -> dict[str, str]:
    form = {
        "csrf_token": csrf,
        "action": "place",
        "idempotency_key": "3b1f7c1e-7a2d-4a36-9d0e-0f3c5a8e2b11",
        "name": "Budi Santoso",
        "email": "budi@contoh.id",
        "phone": "081234567890",
        "street": "Jl. Jenderal Sudirman No. 5",
        "village": "Batin Tikal",
        "district": "Taman Sari",
        "postal_code": "33121",
        "region_code": "19.71",
        "payment_method": "bank_transfer",
        "notes": "",
    }
    form.update(changes)
    return form
