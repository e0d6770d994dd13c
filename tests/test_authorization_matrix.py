"""Who may call what: every /api/v1 endpoint, as anonymous, another signed-in user, a member
(owner) of the seller in question, and an admin.

Each row is one endpoint (sometimes twice, for a record in another state). The four requests
of a row run in that order against one freshly built world, so a row whose member request
changes something (adds a member, archives a product) expects the admin to see that change.
Rows about one buyer's order add a fifth caller, that buyer, asked last.
``test_every_api_route_is_in_the_matrix`` fails when an endpoint exists that no row covers:
a new endpoint joins the table together with its route.
"""

from __future__ import annotations

import inspect
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from httpx import AsyncClient

from tests.factories import (
    DEFAULT_PASSWORD,
    Account,
    add_member,
    create_account,
    create_admin,
    create_category,
    create_seller,
    create_verified_seller,
    order_body,
    order_line,
    placed_order,
    sign_in,
    unique_email,
)
from tests.media.samples import jpeg_bytes

API_PREFIX = "/api/v1"
ROLES = ("anonymous", "other", "member", "admin")
BUYER = "buyer"  # asked last, and only on rows about one buyer's order


@dataclass
class World:
    """A verified seller with an owner and a staff member, its published and draft products,
    a pending seller of the same owner, an unrelated user, an admin, and a signed-in buyer with
    three orders of the published product: one awaiting a bank transfer, one (cash on delivery)
    to ship and one shipped."""

    client: AsyncClient
    owner: Account
    other: Account
    admin: Account
    buyer: Account
    staff_user_id: str
    seller_id: str
    pending_seller_id: str
    product_id: str
    draft_product_id: str
    variant_id: str
    image_id: str
    order_id: str
    payment_id: str
    to_ship_part_id: str
    shipped_part_id: str
    featured_entry_id: str
    complaint_id: str = ""

    def headers(self, role: str) -> dict[str, str]:
        account = {
            "other": self.other,
            "member": self.owner,
            "admin": self.admin,
            BUYER: self.buyer,
        }.get(role)
        return account.headers if account else {}


def _product_body(title: str) -> dict[str, Any]:
    return {
        "title": title,
        "description": "Lada putih asli Muntok.",
        "category": "rempah",
        "variants": [{"name": "100 g", "price": 25000, "stock": 50, "weight_grams": 120}],
    }


async def build_world(app: FastAPI, client: AsyncClient) -> World:
    admin = await create_admin(app, client)
    owner = await create_account(client)
    staff = await create_account(client)
    other = await create_account(client)
    seller = await create_verified_seller(client, owner, admin, name="KIM Lada Muntok")
    pending = await create_seller(client, owner, name="KIM Kopi Manggar")
    await add_member(client, owner, seller["id"], staff.email, role="staff")
    await create_category(client, admin, slug="rempah", name="Rempah")
    products = f"{API_PREFIX}/sellers/{seller['id']}/products"
    published = await client.post(products, json=_product_body("Lada Putih"), headers=owner.headers)
    draft = await client.post(products, json=_product_body("Lada Hitam"), headers=owner.headers)
    assert published.status_code == draft.status_code == 201, published.text + draft.text
    product = published.json()
    publish = await client.post(
        f"{API_PREFIX}/products/{product['id']}/publish", headers=owner.headers
    )
    image = await client.post(
        f"{API_PREFIX}/products/{product['id']}/images",
        files={"file": ("lada.jpg", jpeg_bytes(), "image/jpeg")},
        headers=owner.headers,
    )
    assert publish.status_code == 200, publish.text
    assert image.status_code == 201, image.text
    buyer = await create_account(client)
    variant_id = product["variants"][0]["id"]
    awaiting_transfer = await placed_order(
        client, order_body(order_line(variant_id, 1)), headers=buyer.headers
    )
    to_ship, shipped = [
        await placed_order(
            client,
            order_body(order_line(variant_id, 1), payment_method="cod"),
            headers=buyer.headers,
        )
        for _ in range(2)
    ]
    shipped_part_id = shipped["seller_orders"][0]["id"]
    ship = await client.post(
        f"{API_PREFIX}/seller-orders/{shipped_part_id}/ship",
        json={"courier": "JNE", "tracking_number": "JNE0001"},
        headers=owner.headers,
    )
    assert ship.status_code == 200, ship.text
    featured = await client.post(
        f"{API_PREFIX}/admin/featured", json={"product_id": product["id"]}, headers=admin.headers
    )
    assert featured.status_code == 201, featured.text
    complaint_id = await _complaint_about_a_shipped_order(client, owner, buyer, variant_id)
    return World(
        client=client,
        owner=owner,
        other=other,
        admin=admin,
        buyer=buyer,
        staff_user_id=staff.id,
        seller_id=seller["id"],
        pending_seller_id=pending["id"],
        product_id=product["id"],
        draft_product_id=draft.json()["id"],
        variant_id=variant_id,
        image_id=image.json()["id"],
        order_id=awaiting_transfer["id"],
        payment_id=awaiting_transfer["payment"]["id"],
        to_ship_part_id=to_ship["seller_orders"][0]["id"],
        shipped_part_id=shipped_part_id,
        featured_entry_id=featured.json()["id"],
        complaint_id=complaint_id,
    )


async def _complaint_about_a_shipped_order(
    client: AsyncClient, owner: Account, buyer: Account, variant_id: str
) -> str:
    """A fourth order (cash on delivery), shipped, that its buyer complained about."""
    order = await placed_order(
        client, order_body(order_line(variant_id, 1), payment_method="cod"), headers=buyer.headers
    )
    part_id = order["seller_orders"][0]["id"]
    ship = await client.post(
        f"{API_PREFIX}/seller-orders/{part_id}/ship",
        json={"courier": "JNE", "tracking_number": "JNE0003"},
        headers=owner.headers,
    )
    assert ship.status_code == 200, ship.text
    complaint = await client.post(
        f"{API_PREFIX}/seller-orders/{part_id}/complaints",
        json={"reason": "not_received", "description": "Paket belum sampai."},
        headers=buyer.headers,
    )
    assert complaint.status_code == 201, complaint.text
    return str(complaint.json()["id"])


async def _fresh_refresh_token(world: World) -> dict[str, str]:
    tokens = await sign_in(world.client, world.other.email)
    return {"refresh_token": tokens["refresh_token"]}


async def _exported_csv(world: World) -> dict[str, Any]:
    """The seller's own export, to upload back as an import."""
    export = await world.client.get(
        f"{API_PREFIX}/sellers/{world.seller_id}/products/export.csv", headers=world.owner.headers
    )
    assert export.status_code == 200, export.text
    return {"file": ("produk.csv", export.content, "text/csv")}


async def _review_of_delivered(world: World) -> dict[str, Any]:
    """A review of the shipped seller-order, delivered first by its seller (once)."""
    await world.client.post(
        f"{API_PREFIX}/seller-orders/{world.shipped_part_id}/deliver", headers=world.owner.headers
    )
    return {"seller_order_id": world.shipped_part_id, "rating": 5, "text": "Lada wangi."}


Body = Callable[[World], Any]


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # the route's own template, as app.routes lists it
    anonymous: int
    other: int
    member: int
    admin: int
    # path parameter -> World attribute; a parameter not named here uses the attribute of its name
    at: Mapping[str, str] = field(default_factory=dict)
    json: Body | None = None
    form: Body | None = None
    files: Body | None = None
    headers: Body | None = None
    buyer: int | None = None  # the status for the order's buyer, where that role exists
    state: str = ""

    @property
    def roles(self) -> tuple[str, ...]:
        return ROLES if self.buyer is None else (*ROLES, BUYER)

    @property
    def expected(self) -> dict[str, int]:
        statuses = (self.anonymous, self.other, self.member, self.admin, self.buyer)
        return dict(zip(self.roles, statuses[: len(self.roles)], strict=True))

    def url(self, world: World) -> str:
        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            return str(getattr(world, self.at.get(name, name)))

        return re.sub(r"\{(\w+)\}", value, self.path)

    @property
    def test_id(self) -> str:
        label = f"{self.method} {self.path.removeprefix(API_PREFIX)}"
        return f"{label} [{self.state}]" if self.state else label


def _idempotency_key(world: World) -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def _new_seller(world: World) -> dict[str, str]:
    return {"name": "UMKM Terasi Toboali", "kind": "umkm", "region_code": "19.03"}


MATRIX: list[Row] = [
    # accounts
    Row("POST", "/api/v1/auth/register", 201, 201, 201, 201,
        json=lambda w: {"email": unique_email(), "password": DEFAULT_PASSWORD,
                        "full_name": "Budi Santoso"}),
    Row("POST", "/api/v1/auth/token", 200, 200, 200, 200,
        form=lambda w: {"username": w.other.email, "password": DEFAULT_PASSWORD}),
    Row("POST", "/api/v1/auth/refresh", 200, 200, 200, 200, json=_fresh_refresh_token),
    Row("GET", "/api/v1/me", 401, 200, 200, 200),
    Row("POST", "/api/v1/auth/logout", 401, 204, 204, 204,
        json=lambda w: {"refresh_token": "not-a-token-of-this-caller"}),
    Row("POST", "/api/v1/auth/password-reset", 202, 202, 202, 202,
        json=lambda w: {"email": w.other.email}),
    Row("POST", "/api/v1/auth/password-reset/confirm", 422, 422, 422, 422,
        json=lambda w: {"token": "unknown-code", "password": "kata-sandi-baru-2026"}),
    Row("POST", "/api/v1/auth/verify-email", 422, 422, 422, 422,
        json=lambda w: {"token": "unknown-code"}),
    Row("POST", "/api/v1/me/password", 401, 422, 422, 422,
        json=lambda w: {"current_password": "bukan-sandinya-2026",
                        "new_password": "kata-sandi-baru-2026"}),
    Row("POST", "/api/v1/me/verification-email", 401, 202, 202, 202),
    Row("POST", "/api/v1/invitations/accept", 401, 404, 404, 404,
        json=lambda w: {"token": "unknown-code"}),
    # sellers
    Row("POST", "/api/v1/sellers", 401, 201, 201, 201, json=_new_seller),
    Row("GET", "/api/v1/sellers", 200, 200, 200, 200),
    Row("GET", "/api/v1/sellers/{id_or_slug}", 200, 200, 200, 200,
        at={"id_or_slug": "seller_id"}, state="verified"),
    Row("GET", "/api/v1/sellers/{id_or_slug}", 404, 404, 200, 200,
        at={"id_or_slug": "pending_seller_id"}, state="pending"),
    Row("PATCH", "/api/v1/sellers/{seller_id}", 401, 403, 200, 200,
        json=lambda w: {"description": "Lada putih kualitas ekspor."}, state="verified"),
    Row("PATCH", "/api/v1/sellers/{seller_id}", 401, 404, 200, 200,
        at={"seller_id": "pending_seller_id"},
        json=lambda w: {"description": "Kopi Manggar."}, state="pending"),
    Row("GET", "/api/v1/sellers/{seller_id}/members", 401, 403, 200, 200),
    Row("POST", "/api/v1/sellers/{seller_id}/members", 401, 403, 201, 403,
        json=lambda w: {"email": w.other.email, "role": "staff"}),
    Row("DELETE", "/api/v1/sellers/{seller_id}/members/{user_id}", 401, 403, 204, 403,
        at={"user_id": "staff_user_id"}),
    Row("GET", "/api/v1/admin/sellers", 401, 403, 403, 200),
    Row("POST", "/api/v1/admin/sellers/{seller_id}/verify", 401, 403, 403, 200,
        at={"seller_id": "pending_seller_id"}, state="pending"),
    Row("POST", "/api/v1/admin/sellers/{seller_id}/reject", 401, 403, 403, 200,
        at={"seller_id": "pending_seller_id"}, json=lambda w: {"reason": "NIB tidak ada"},
        state="pending"),
    Row("POST", "/api/v1/admin/sellers/{seller_id}/suspend", 401, 403, 403, 200,
        json=lambda w: {"reason": "Keluhan pembeli"}, state="verified"),
    Row("GET", "/api/v1/admin/audit-log", 401, 403, 403, 200),
    # catalog reference data
    Row("GET", "/api/v1/regions", 200, 200, 200, 200),
    Row("GET", "/api/v1/categories", 200, 200, 200, 200),
    Row("POST", "/api/v1/admin/categories", 401, 403, 403, 201,
        json=lambda w: {"slug": "madu", "name": "Madu", "parent": "rempah"}),
    # products
    Row("GET", "/api/v1/products", 200, 200, 200, 200),
    Row("GET", "/api/v1/products/{id_or_slug}", 200, 200, 200, 200,
        at={"id_or_slug": "product_id"}, state="published"),
    Row("GET", "/api/v1/products/{id_or_slug}", 404, 404, 200, 200,
        at={"id_or_slug": "draft_product_id"}, state="draft"),
    Row("POST", "/api/v1/sellers/{seller_id}/products", 401, 403, 201, 403,
        json=lambda w: _product_body("Lada Putih Butir")),
    Row("GET", "/api/v1/sellers/{seller_id}/products", 401, 403, 200, 200),
    Row("PATCH", "/api/v1/products/{product_id}", 401, 403, 200, 200,
        json=lambda w: {"description": "Panen Agustus."}, state="published"),
    Row("PATCH", "/api/v1/products/{product_id}", 401, 404, 200, 200,
        at={"product_id": "draft_product_id"}, json=lambda w: {"description": "Panen Mei."},
        state="draft"),
    Row("PATCH", "/api/v1/products/{product_id}/variants/{variant_id}", 401, 403, 200, 403,
        json=lambda w: {"stock": 7}),
    Row("POST", "/api/v1/products/{product_id}/variants", 401, 403, 201, 403,
        json=lambda w: {"name": "1 kg", "price": 90000, "stock": 4, "weight_grams": 1050}),
    Row("POST", "/api/v1/products/{product_id}/variants", 401, 404, 201, 403,
        at={"product_id": "draft_product_id"},
        json=lambda w: {"name": "1 kg", "price": 90000, "stock": 4, "weight_grams": 1050},
        state="draft"),
    Row("POST", "/api/v1/products/{product_id}/publish", 401, 404, 200, 403,
        at={"product_id": "draft_product_id"}, state="draft"),
    Row("POST", "/api/v1/products/{product_id}/archive", 401, 403, 200, 200,
        state="published"),
    Row("POST", "/api/v1/products/{product_id}/images", 401, 403, 201, 403,
        files=lambda w: {"file": ("lada.jpg", jpeg_bytes(), "image/jpeg")}),
    Row("DELETE", "/api/v1/products/{product_id}/images/{image_id}", 401, 403, 204, 403),
    Row("POST", "/api/v1/sellers/{seller_id}/variants/bulk", 401, 403, 200, 403,
        json=lambda w: {"changes": [{"variant_id": w.variant_id, "stock": 3}]}),
    Row("GET", "/api/v1/sellers/{seller_id}/products/export.csv", 401, 403, 200, 200),
    Row("GET", "/api/v1/sellers/{seller_id}/products/export.xlsx", 401, 403, 200, 200),
    Row("POST", "/api/v1/sellers/{seller_id}/products/import", 401, 403, 200, 403,
        files=_exported_csv),
    # orders: "buyer" is the signed-in user who placed the order in question
    Row("POST", "/api/v1/orders", 201, 201, 201, 201, headers=_idempotency_key,
        json=lambda w: order_body(order_line(w.variant_id, 1))),
    Row("GET", "/api/v1/orders", 401, 200, 200, 200, buyer=200),
    Row("GET", "/api/v1/orders/{order_id}", 404, 404, 404, 200, buyer=200),
    Row("POST", "/api/v1/orders/{order_id}/payments", 404, 404, 404, 403, buyer=201,
        headers=_idempotency_key, json=lambda w: {"payment_method": "bank_transfer"}),
    Row("POST", "/api/v1/orders/{order_id}/cancel", 404, 404, 404, 200, buyer=409,
        state="awaiting transfer; the buyer comes after the admin cancelled"),
    Row("GET", "/api/v1/sellers/{seller_id}/orders", 401, 403, 200, 200, buyer=403),
    Row("POST", "/api/v1/seller-orders/{seller_order_id}/ship", 401, 404, 200, 403, buyer=403,
        at={"seller_order_id": "to_ship_part_id"},
        json=lambda w: {"courier": "JNE", "tracking_number": "JNE0002"}, state="to ship"),
    Row("POST", "/api/v1/seller-orders/{seller_order_id}/deliver", 404, 404, 200, 403,
        buyer=200, at={"seller_order_id": "shipped_part_id"},
        state="shipped; the buyer confirms receipt after the member delivered"),
    Row("POST", "/api/v1/seller-orders/{seller_order_id}/cancel", 401, 404, 200, 409, buyer=403,
        at={"seller_order_id": "to_ship_part_id"},
        state="to ship; the admin comes after the member cancelled"),
    Row("POST", "/api/v1/admin/payments/{payment_id}/confirm", 401, 403, 403, 200, buyer=403),
    Row("GET", "/api/v1/admin/shipping-rates", 401, 403, 403, 200),
    Row("PUT", "/api/v1/admin/shipping-rates", 401, 403, 403, 200,
        json=lambda w: {"rates": [{"region_code": None, "max_weight_grams": 1000,
                                   "price": 20000}]}),
    # payments
    Row("POST", "/api/v1/webhooks/stripe", 404, 404, 404, 404,
        json=lambda w: {"type": "payment_intent.succeeded"}, state="no webhook secret set"),
    Row("GET", "/api/v1/sellers/{seller_id}/balance", 401, 403, 200, 200),
    Row("GET", "/api/v1/sellers/{seller_id}/ledger", 401, 403, 200, 200),
    Row("POST", "/api/v1/admin/sellers/{seller_id}/payouts", 401, 403, 403, 409,
        json=lambda w: {"amount": 10000, "bank_reference": "BCA-0001"},
        state="nothing owed yet"),
    Row("GET", "/api/v1/admin/payment-anomalies", 401, 403, 403, 200),
    # escrow: complaints and payout accounts
    Row("POST", "/api/v1/seller-orders/{seller_order_id}/complaints", 404, 404, 403, 403,
        buyer=201, at={"seller_order_id": "shipped_part_id"},
        json=lambda w: {"reason": "damaged", "description": "Kemasan pecah."}, state="shipped"),
    Row("GET", "/api/v1/seller-orders/{seller_order_id}/complaints", 404, 404, 200, 200,
        buyer=200, at={"seller_order_id": "shipped_part_id"}, state="shipped"),
    Row("POST", "/api/v1/complaints/{complaint_id}/answer", 401, 404, 200, 403, buyer=403,
        json=lambda w: {"message": "Paket sudah kami kirim ulang."}, state="open"),
    Row("GET", "/api/v1/sellers/{seller_id}/complaints", 401, 403, 200, 200),
    Row("GET", "/api/v1/admin/complaints", 401, 403, 403, 200),
    Row("POST", "/api/v1/admin/complaints/{complaint_id}/resolve", 401, 403, 403, 200,
        json=lambda w: {"outcome": "release", "note": "Paket sudah diterima."}, state="open"),
    Row("GET", "/api/v1/banks", 200, 200, 200, 200),
    Row("GET", "/api/v1/sellers/{seller_id}/payout-account", 401, 403, 200, 200),
    Row("PUT", "/api/v1/sellers/{seller_id}/payout-account", 401, 403, 200, 403,
        json=lambda w: {"bank_code": "120", "account_number": "1500012345",
                        "account_holder": "KIM Lada Muntok"}),
    Row("GET", "/api/v1/admin/payouts/export.csv", 401, 403, 403, 200),
    # featured products
    Row("GET", "/api/v1/featured", 200, 200, 200, 200),
    Row("POST", "/api/v1/admin/featured", 401, 403, 403, 201,
        json=lambda w: {"product_id": w.draft_product_id, "position": 50}, state="a draft"),
    Row("GET", "/api/v1/admin/featured", 401, 403, 403, 200),
    Row("PATCH", "/api/v1/admin/featured/{entry_id}", 401, 403, 403, 200,
        at={"entry_id": "featured_entry_id"}, json=lambda w: {"position": 5}),
    Row("DELETE", "/api/v1/admin/featured/{entry_id}", 401, 403, 403, 204,
        at={"entry_id": "featured_entry_id"}),
    # admin desk and Indonesian payments (issue 11)
    Row("GET", "/api/v1/admin/orders", 401, 403, 403, 200),
    Row("GET", "/api/v1/admin/orders/{id_or_number}", 401, 403, 403, 200, buyer=403,
        at={"id_or_number": "order_id"}),
    Row("GET", "/api/v1/admin/payments", 401, 403, 403, 200),
    Row("GET", "/api/v1/admin/payments/{payment_id}/proofs", 401, 403, 403, 200, buyer=403),
    Row("POST", "/api/v1/admin/bank-statements", 401, 403, 403, 200,
        files=lambda w: {"file": ("mutasi.csv", b"date,description,amount\n2026-12-02,X,5000\n",
                                  "text/csv")},
        form=lambda w: {"format": "generic"}),
    Row("GET", "/api/v1/admin/platform-ledger", 401, 403, 403, 200),
    Row("POST", "/api/v1/orders/{order_id}/payments/{payment_id}/proof", 404, 404, 404, 404,
        buyer=201, files=lambda w: {"file": ("struk.jpg", jpeg_bytes(), "image/jpeg")}),
    Row("GET", "/api/v1/payment-proofs/{proof_id}", 422, 422, 422, 422,
        at={"proof_id": "payment_id"}, state="no signature: the signed link is the only key"),
    Row("GET", "/api/v1/payments/{payment_id}/qris.svg", 404, 404, 404, 404, buyer=404,
        state="a bank transfer has no QRIS"),
    # trust and safety: moderation and reviews ("variant_id" stands for an id naming nothing)
    Row("GET", "/api/v1/admin/moderation", 401, 403, 403, 200),
    Row("POST", "/api/v1/admin/moderation/{item_id}/decide", 401, 403, 403, 404,
        at={"item_id": "variant_id"}, json=lambda w: {"action": "approve"}, state="no such item"),
    Row("POST", "/api/v1/admin/products/{product_id}/approve", 401, 403, 403, 200),
    Row("POST", "/api/v1/admin/products/{product_id}/remove", 401, 403, 403, 200,
        json=lambda w: {"reason": "Foto tidak sesuai"}),
    Row("POST", "/api/v1/products/{product_id}/review-request", 401, 403, 409, 403,
        json=lambda w: {"note": "Sudah diperbaiki"}, state="published, not taken down"),
    Row("POST", "/api/v1/products/{product_id}/reports", 201, 201, 201, 201,
        json=lambda w: {"reason": "fraud", "detail": "Harga tidak masuk akal"}),
    Row("POST", "/api/v1/products/{product_id}/reviews", 403, 403, 403, 403, buyer=201,
        json=_review_of_delivered, state="the buyer's delivered seller-order"),
    Row("GET", "/api/v1/products/{product_id}/reviews", 200, 200, 200, 200),
    Row("POST", "/api/v1/reviews/{review_id}/photos", 404, 404, 404, 404,
        at={"review_id": "variant_id"},
        files=lambda w: {"file": ("ulasan.jpg", jpeg_bytes(), "image/jpeg")},
        state="no such review"),
    Row("POST", "/api/v1/reviews/{review_id}/reply", 401, 404, 404, 404,
        at={"review_id": "variant_id"}, json=lambda w: {"text": "Terima kasih"},
        state="no such review"),
    Row("POST", "/api/v1/admin/reviews/{review_id}/hide", 401, 403, 403, 404,
        at={"review_id": "variant_id"}, json=lambda w: {"reason": "Ulasan palsu"},
        state="no such review"),
    # reports
    Row("GET", "/api/v1/admin/reports/sales", 401, 403, 403, 200),
    Row("GET", "/api/v1/sellers/{seller_id}/reports/sales", 401, 403, 200, 200, buyer=403),
    Row("GET", "/api/v1/sellers/{seller_id}/reports/sales", 401, 404, 200, 200,
        at={"seller_id": "pending_seller_id"}, state="a pending seller, hidden from others"),
    Row("GET", "/api/v1/stats/summary", 200, 200, 200, 200),
]  # fmt: skip


async def _built(build: Body | None, world: World) -> Any:
    if build is None:
        return None
    value = build(world)
    return await value if inspect.isawaitable(value) else value


@pytest.mark.parametrize("row", [pytest.param(row, id=row.test_id) for row in MATRIX])
async def test_endpoint_answers_each_kind_of_caller_as_the_matrix_says(
    app: FastAPI, client: AsyncClient, row: Row
) -> None:
    world = await build_world(app, client)

    observed: dict[str, int] = {}
    for role in row.roles:
        response = await client.request(
            row.method,
            row.url(world),
            json=await _built(row.json, world),
            data=await _built(row.form, world),
            files=await _built(row.files, world),
            headers={**(await _built(row.headers, world) or {}), **world.headers(role)},
        )
        observed[role] = response.status_code
        if response.status_code >= 400:
            assert response.headers["content-type"] == "application/problem+json", response.text

    assert observed == row.expected


def _api_routes(app: FastAPI) -> set[tuple[str, str]]:
    return {
        (method, route.path)
        for route in iter_route_contexts(app.routes)
        if route.path and route.path.startswith(f"{API_PREFIX}/")
        for method in route.methods or ()
        if method != "HEAD"
    }


def test_every_api_route_is_in_the_matrix(app: FastAPI) -> None:
    routes = _api_routes(app)
    covered = {(row.method, row.path) for row in MATRIX}

    assert sorted(routes - covered) == [], "add these endpoints to MATRIX"
    assert sorted(covered - routes) == [], "these MATRIX rows name no endpoint"
