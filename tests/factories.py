"""Small typed helpers that create what a test needs through the public API."""

from __future__ import annotations

import io
import itertools
import re
import struct
import uuid
import zlib
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient, Response
from PIL import Image
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.accounts import service as accounts_service
from marketplace.accounts.models import User
from marketplace.catalog.models import ProductVariant
from marketplace.config import Settings
from marketplace.db.base import Base
from marketplace.db.session import begin_write_transaction
from marketplace.main import create_app
from marketplace.notifications.models import OutboxEmail
from marketplace.orders.models import Order

DEFAULT_PASSWORD = "kopi-manggar-2026"
_counter = itertools.count(1)


@dataclass(frozen=True)
class Account:
    id: str
    email: str
    password: str
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}{next(_counter)}@contoh.id"


async def register(
    client: AsyncClient,
    *,
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
    full_name: str = "Siti Aminah",
    phone: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email": email or unique_email(),
        "password": password,
        "full_name": full_name,
    }
    if phone is not None:
        body["phone"] = phone
    response = await client.post("/api/v1/auth/register", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def sign_in(
    client: AsyncClient, email: str, password: str = DEFAULT_PASSWORD
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/auth/token", data={"username": email, "password": password}
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def app_of(client: AsyncClient) -> FastAPI:
    """The app behind a test client (every client here is an ASGITransport of one)."""
    transport = client._transport
    assert isinstance(transport, ASGITransport)
    app: FastAPI = transport.app  # type: ignore[assignment]
    return app


async def mark_email_verified(client: AsyncClient, email: str) -> None:
    """What following the e-mailed code does, without reading the mailbox. The confirmation
    e-mail is dropped from the outbox too, so tests counting e-mails see only their own."""
    async with app_of(client).state.sessionmaker() as session:
        await begin_write_transaction(session)
        await session.execute(
            update(User)
            .where(User.email_normalized == email.lower())
            .values(email_verified_at=func.now())
        )
        await session.execute(
            delete(OutboxEmail).where(
                OutboxEmail.recipient == email, OutboxEmail.template == "verify_email"
            )
        )
        await session.commit()


async def create_account(
    client: AsyncClient, *, email: str | None = None, verified: bool = True
) -> Account:
    """A registered, signed-in account; its e-mail is confirmed unless ``verified=False``
    (creating a seller, joining a team and cash on delivery need a confirmed address)."""
    user = await register(client, email=email)
    if verified:
        await mark_email_verified(client, user["email"])
    tokens = await sign_in(client, user["email"])
    return Account(
        id=user["id"],
        email=user["email"],
        password=DEFAULT_PASSWORD,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
    )


async def create_admin(app: FastAPI, client: AsyncClient) -> Account:
    email = unique_email("admin")
    async with app.state.sessionmaker() as session:
        await begin_write_transaction(session)  # the e-mail outbox may be writing meanwhile
        await accounts_service.create_or_promote_admin(
            session, app.state.password_hashing, email, DEFAULT_PASSWORD, "Admin Diskominfo"
        )
        await session.commit()
    tokens = await sign_in(client, email)
    me = (await client.get("/api/v1/me", headers=_bearer(tokens["access_token"]))).json()
    return Account(
        id=me["id"],
        email=email,
        password=DEFAULT_PASSWORD,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
    )


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def create_seller(
    client: AsyncClient,
    owner: Account,
    *,
    name: str = "KIM Lada Muntok",
    kind: str = "community_group",
    region_code: str = "19.05",
    **extra: Any,
) -> dict[str, Any]:
    body = {"name": name, "kind": kind, "region_code": region_code, **extra}
    response = await client.post("/api/v1/sellers", json=body, headers=owner.headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def verify_seller(client: AsyncClient, admin: Account, seller_id: str) -> dict[str, Any]:
    response = await client.post(f"/api/v1/admin/sellers/{seller_id}/verify", headers=admin.headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def create_verified_seller(
    client: AsyncClient, owner: Account, admin: Account, **fields: Any
) -> dict[str, Any]:
    seller = await create_seller(client, owner, **fields)
    return await verify_seller(client, admin, seller["id"])


async def change_seller_status(
    client: AsyncClient, admin: Account, seller_id: str, action: str, *, reason: str | None = None
) -> dict[str, Any]:
    """``action`` is ``verify``, ``reject`` or ``suspend``; asserts the change went through."""
    body = {"reason": reason} if reason is not None else None
    response = await client.post(
        f"/api/v1/admin/sellers/{seller_id}/{action}", json=body, headers=admin.headers
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def invite_member(
    client: AsyncClient, owner: Account, seller_id: str, email: str, *, role: str = "staff"
) -> str:
    """POST /sellers/{id}/members, asserting 201; the invitation code from the e-mail."""
    response = await client.post(
        f"/api/v1/sellers/{seller_id}/members",
        json={"email": email, "role": role},
        headers=owner.headers,
    )
    assert response.status_code == 201, response.text
    return await emailed_code(client, email, "seller_invitation")


async def emailed_code(client: AsyncClient, recipient: str, template: str) -> str:
    """The code in the newest ``template`` e-mail to ``recipient`` (read from the outbox)."""
    async with app_of(client).state.sessionmaker() as session:
        body = await session.scalar(
            select(OutboxEmail.body_text)
            .where(OutboxEmail.recipient == recipient, OutboxEmail.template == template)
            .order_by(OutboxEmail.created_at.desc(), OutboxEmail.id.desc())
            .limit(1)
        )
    assert body is not None, f"no {template} e-mail to {recipient}"
    [code] = re.findall(r"^[A-Za-z0-9_-]{43}$", body, flags=re.MULTILINE)
    return str(code)


async def add_member(
    client: AsyncClient,
    owner: Account,
    seller_id: str,
    email: str,
    *,
    role: str = "staff",
    password: str = DEFAULT_PASSWORD,
) -> dict[str, Any]:
    """Invite ``email`` (an account with a confirmed address and ``password``) and accept as
    that person; the new member as ``POST /invitations/accept`` answers."""
    code = await invite_member(client, owner, seller_id, email, role=role)
    tokens = await sign_in(client, email, password)
    response = await client.post(
        "/api/v1/invitations/accept",
        json={"token": code},
        headers=_bearer(tokens["access_token"]),
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def create_category(
    client: AsyncClient,
    admin: Account,
    *,
    slug: str = "rempah",
    name: str = "Rempah",
    parent: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"slug": slug, "name": name}
    if parent is not None:
        body["parent"] = parent
    response = await client.post("/api/v1/admin/categories", json=body, headers=admin.headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def audit_entries(
    client: AsyncClient, admin: Account, *, target_type: str, target_id: str
) -> list[dict[str, Any]]:
    """The audit log of one record, newest first."""
    response = await client.get(
        "/api/v1/admin/audit-log",
        params={"target_type": target_type, "target_id": target_id, "limit": 100},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


@asynccontextmanager
async def running_app(settings: Settings) -> AsyncIterator[FastAPI]:
    """An app of its own (settings other than the shared ``app``'s), started and shut down."""
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@asynccontextmanager
async def http_client(app: FastAPI, *, address: str = "127.0.0.1") -> AsyncIterator[AsyncClient]:
    """A client of ``app`` calling from ``address`` (the shared ``client`` calls from 127.0.0.1)."""
    transport = ASGITransport(app=app, client=(address, 50000))
    async with AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def count_rows(sessionmaker: async_sessionmaker[AsyncSession], model: type[Base]) -> int:
    async with sessionmaker() as session:
        count = await session.scalar(select(func.count()).select_from(model))
    return int(count or 0)


# --- Catalog -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogSetup:
    """An admin, a seller's owner, their seller and a category to list products under."""

    admin: Account
    owner: Account
    seller: dict[str, Any]
    category: str

    @property
    def seller_id(self) -> str:
        seller_id: str = self.seller["id"]
        return seller_id


async def set_up_catalog(
    app: FastAPI,
    client: AsyncClient,
    *,
    verified: bool = True,
    region_code: str = "19.05",
    category: str = "rempah",
    admin: Account | None = None,
    seller_name: str = "KIM Lada Muntok",
) -> CatalogSetup:
    """A seller (verified unless told otherwise) and a category; pass ``admin`` to reuse one
    (the category is then expected to exist already)."""
    if admin is None:
        admin = await create_admin(app, client)
        await create_category(client, admin, slug=category, name=category.title())
    owner = await create_account(client)
    seller = await create_seller(client, owner, name=seller_name, region_code=region_code)
    if verified:
        seller = await verify_seller(client, admin, seller["id"])
    return CatalogSetup(admin=admin, owner=owner, seller=seller, category=category)


def variant_body(
    name: str = "100 g",
    *,
    price: int = 25_000,
    stock: int = 10,
    weight_grams: int = 120,
    sku: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "price": price,
        "stock": stock,
        "weight_grams": weight_grams,
    }
    if sku is not None:
        body["sku"] = sku
    return body


def product_body(
    *,
    title: str = "Lada Putih Muntok",
    description: str = "Lada putih asli dari Muntok, dijemur tradisional.",
    category: str = "rempah",
    variants: list[dict[str, Any]] | None = None,
    attributes: dict[str, Any] | None = None,
    max_quantity_per_order: int | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": title,
        "description": description,
        "category": category,
        "variants": variants if variants is not None else [variant_body()],
    }
    if attributes is not None:
        body["attributes"] = attributes
    if max_quantity_per_order is not None:
        body["max_quantity_per_order"] = max_quantity_per_order
    return body


async def create_product(
    client: AsyncClient, member: Account, seller_id: str, **fields: Any
) -> dict[str, Any]:
    """A draft through the API; ``fields`` go to ``product_body``."""
    response = await client.post(
        f"/api/v1/sellers/{seller_id}/products", json=product_body(**fields), headers=member.headers
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def publish_product(client: AsyncClient, member: Account, product_id: str) -> dict[str, Any]:
    response = await client.post(f"/api/v1/products/{product_id}/publish", headers=member.headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def create_published_product(
    client: AsyncClient, member: Account, seller_id: str, **fields: Any
) -> dict[str, Any]:
    product = await create_product(client, member, seller_id, **fields)
    return await publish_product(client, member, product["id"])


async def list_products(client: AsyncClient, **params: Any) -> dict[str, Any]:
    """GET /products with ``params``; asserts 200."""
    response = await client.get("/api/v1/products", params=params)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def listed_slugs(client: AsyncClient, **params: Any) -> list[str]:
    return [item["slug"] for item in (await list_products(client, **params))["items"]]


def image_bytes(
    image_format: str = "JPEG",
    width: int = 80,
    height: int = 40,
    color: tuple[int, int, int] = (200, 40, 40),
) -> bytes:
    """A plain picture encoded as ``image_format`` (JPEG, PNG or WEBP)."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format=image_format)
    return buffer.getvalue()


def png_declaring_pixels(width: int, height: int) -> bytes:
    """A 1-bit PNG header claiming ``width`` x ``height`` pixels with no pixel data: a
    decompression bomb's calling card, a few dozen bytes long."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


IMAGE_CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


async def upload_image(
    client: AsyncClient,
    member: Account,
    product_id: str,
    data: bytes | None = None,
    *,
    filename: str = "foto.jpg",
    content_type: str = "image/jpeg",
) -> Response:
    """POST /products/{id}/images with ``data`` (a small JPEG by default); not asserted."""
    return await client.post(
        f"/api/v1/products/{product_id}/images",
        files={"file": (filename, data if data is not None else image_bytes(), content_type)},
        headers=member.headers,
    )


# --- Orders --------------------------------------------------------------------------------

PANGKALPINANG_ADDRESS: dict[str, Any] = {
    "recipient": "Budi Santoso",
    "phone": "0812-3456-7890",
    "street": "Jl. Jenderal Sudirman No. 5",
    "village": "Batin Tikal",
    "district": "Taman Sari",
    "city": "Kota Pangkalpinang",
    "province": "Kepulauan Bangka Belitung",
    "postal_code": "33121",
}
GUEST_BUYER: dict[str, Any] = {
    "name": "Budi Santoso",
    "email": "budi@contoh.id",
    "phone": "081234567890",
}


@dataclass(frozen=True)
class Shop:
    """A verified seller with one published product of one variant, its owner and an admin."""

    admin: Account
    owner: Account
    seller_id: str
    product_id: str
    variant_id: str


async def open_shop(
    app: FastAPI,
    client: AsyncClient,
    *,
    admin: Account | None = None,
    seller_name: str = "KIM Lada Muntok",
    title: str = "Lada Putih Muntok",
    stock: int = 10,
    price: int = 55_000,
    weight_grams: int = 270,
    max_quantity_per_order: int = 1000,
) -> Shop:
    """A published product of one 250 g variant with ``stock`` units for sale; pass ``admin``
    of an earlier shop to open a second seller in the same world. The per-order cap is set
    high (1000) so tests of other rules may order any quantity."""
    setup = await set_up_catalog(app, client, admin=admin, seller_name=seller_name)
    product = await create_published_product(
        client,
        setup.owner,
        setup.seller_id,
        title=title,
        category=setup.category,
        variants=[variant_body("250 g", price=price, stock=stock, weight_grams=weight_grams)],
        max_quantity_per_order=max_quantity_per_order,
    )
    return Shop(
        admin=setup.admin,
        owner=setup.owner,
        seller_id=setup.seller_id,
        product_id=product["id"],
        variant_id=product["variants"][0]["id"],
    )


def order_line(variant_id: str, quantity: int = 2) -> dict[str, Any]:
    return {"variant_id": variant_id, "quantity": quantity}


def shipping_address(**changes: Any) -> dict[str, Any]:
    """An address in Pangkalpinang, with ``changes`` applied."""
    return {**PANGKALPINANG_ADDRESS, **changes}


def order_body(
    *lines: dict[str, Any], payment_method: str = "bank_transfer", **fields: Any
) -> dict[str, Any]:
    """A guest's checkout of ``lines`` shipped to Pangkalpinang; ``fields`` replace parts."""
    body: dict[str, Any] = {
        "items": list(lines),
        "buyer": dict(GUEST_BUYER),
        "shipping_address": shipping_address(),
        "payment_method": payment_method,
    }
    body.update(fields)
    return body


# Cash on delivery needs a signed-in buyer with a confirmed e-mail: ``place_order`` signs
# one in for a COD body sent without Authorization, and ``guest_headers`` then gives that
# buyer's bearer header for the order (so tests written for guest COD orders keep working).
_COD_BUYER_HEADERS: dict[str, dict[str, str]] = {}


async def cod_buyer_headers(client: AsyncClient) -> dict[str, str]:
    buyer = await create_account(client, email=unique_email("pembeli-cod"))
    return buyer.headers


async def place_order(
    client: AsyncClient,
    body: dict[str, Any],
    *,
    key: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """POST /orders with a fresh Idempotency-Key unless ``key`` is given; not asserted.
    A cash-on-delivery body without ``Authorization`` is sent by a fresh verified buyer."""
    sent = {"Idempotency-Key": key or str(uuid.uuid4()), **(headers or {})}
    signed_in_for_cod = body.get("payment_method") == "cod" and "Authorization" not in sent
    if signed_in_for_cod:
        sent.update(await cod_buyer_headers(client))
    response = await client.post("/api/v1/orders", json=body, headers=sent)
    if signed_in_for_cod and response.status_code == 201:
        _COD_BUYER_HEADERS[response.json()["id"]] = {"Authorization": sent["Authorization"]}
    return response


async def placed_order(
    client: AsyncClient,
    body: dict[str, Any],
    *,
    key: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """POST /orders, asserting 201; the order as the response shows it."""
    response = await place_order(client, body, key=key, headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def variant_stock(sessionmaker: async_sessionmaker[AsyncSession], variant_id: str) -> int:
    async with sessionmaker() as session:
        stock = await session.scalar(
            select(ProductVariant.stock).where(ProductVariant.id == uuid.UUID(variant_id))
        )
    assert stock is not None
    return int(stock)


async def set_order_expiry(
    sessionmaker: async_sessionmaker[AsyncSession], order_id: str, expires_at: datetime
) -> None:
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(Order).where(Order.id == uuid.UUID(order_id)).values(expires_at=expires_at)
        )


async def ship_seller_order(
    client: AsyncClient,
    member: Account,
    seller_order_id: str,
    *,
    courier: str = "JNE",
    tracking_number: str = "JNE0012345678",
) -> Response:
    """POST /seller-orders/{id}/ship as ``member``; not asserted."""
    return await client.post(
        f"/api/v1/seller-orders/{seller_order_id}/ship",
        json={"courier": courier, "tracking_number": tracking_number},
        headers=member.headers,
    )


async def confirm_payment(client: AsyncClient, admin: Account, payment_id: str) -> Response:
    """POST /admin/payments/{id}/confirm (a bank transfer arrived); not asserted."""
    return await client.post(f"/api/v1/admin/payments/{payment_id}/confirm", headers=admin.headers)


def guest_headers(order: dict[str, Any]) -> dict[str, str]:
    """The guest's X-Order-Token of ``order`` as placed (for a COD order ``place_order``
    signed a buyer in for: that buyer's bearer header)."""
    if not order.get("access_token") and order["id"] in _COD_BUYER_HEADERS:
        return dict(_COD_BUYER_HEADERS[order["id"]])
    return {"X-Order-Token": order["access_token"]}


async def read_guest_order(client: AsyncClient, order: dict[str, Any]) -> dict[str, Any]:
    """GET /orders/{id} with the guest's token, asserting 200."""
    response = await client.get(f"/api/v1/orders/{order['id']}", headers=guest_headers(order))
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


@dataclass(frozen=True)
class TwoSellerOrder:
    """A guest's order of 2 pepper (KIM Lada Muntok, 10 in stock) and 1 honey (KUB Madu
    Pelawan, 5 in stock): 122.000 and 132.000 with shipping to Pangkalpinang."""

    pepper: Shop
    honey: Shop
    order: dict[str, Any]

    def part_of(self, shop: Shop) -> str:
        """The id of ``shop``'s seller-order."""
        [part_id] = [
            str(part["id"])
            for part in self.order["seller_orders"]
            if part["seller"]["id"] == shop.seller_id
        ]
        return part_id


async def place_two_seller_order(
    app: FastAPI, client: AsyncClient, *, payment_method: str = "cod"
) -> TwoSellerOrder:
    pepper = await open_shop(app, client, stock=10)
    honey = await open_shop(
        app,
        client,
        admin=pepper.admin,
        seller_name="KUB Madu Pelawan",
        title="Madu Pelawan",
        price=120_000,
        weight_grams=500,
        stock=5,
    )
    order = await placed_order(
        client,
        order_body(
            order_line(pepper.variant_id, 2),
            order_line(honey.variant_id, 1),
            payment_method=payment_method,
        ),
    )
    return TwoSellerOrder(pepper=pepper, honey=honey, order=order)
