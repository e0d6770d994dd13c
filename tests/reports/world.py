"""A small marketplace with known sales for the report tests: three sellers of three kinds in
three regencies, and helpers that place, pay, cancel and deliver orders at chosen moments."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.orders.models import SellerOrder
from marketplace.payments.models import Refund, RefundStatus
from marketplace.reports.tasks import sweep_reports
from tests.factories import (
    Account,
    confirm_payment,
    create_account,
    create_admin,
    create_category,
    create_published_product,
    create_verified_seller,
    order_body,
    order_line,
    placed_order,
    ship_seller_order,
    shipping_address,
    variant_body,
)


class Clock:
    """The moment the order flows stamp (paid_at, cancelled_at): set by the test."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 15, 3, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def at(self, *parts: int) -> None:
        self.now = datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@dataclass(frozen=True)
class Seller:
    id: str
    owner: Account
    variant_id: str
    product_id: str
    price: int


@dataclass(frozen=True)
class World:
    admin: Account
    pepper: Seller  # community group, Bangka Barat (19.05), spices, Rp 50.000
    honey: Seller  # UMKM, Bangka Tengah (19.04), honey, Rp 120.000
    pewter: Seller  # cooperative, Pangkalpinang (19.71), crafts, Rp 200.000


async def _seller(
    client: AsyncClient,
    admin: Account,
    *,
    name: str,
    kind: str,
    region_code: str,
    category: str,
    title: str,
    price: int,
) -> Seller:
    owner = await create_account(client)
    seller = await create_verified_seller(
        client, owner, admin, name=name, kind=kind, region_code=region_code
    )
    product = await create_published_product(
        client,
        owner,
        seller["id"],
        title=title,
        category=category,
        variants=[variant_body("1 pcs", price=price, stock=500, weight_grams=200)],
    )
    return Seller(seller["id"], owner, product["variants"][0]["id"], product["id"], price)


async def build_world(app: FastAPI, client: AsyncClient) -> World:
    admin = await create_admin(app, client)
    for slug, name in (("rempah", "Rempah"), ("madu", "Madu"), ("kerajinan", "Kerajinan")):
        await create_category(client, admin, slug=slug, name=name)
    pepper = await _seller(
        client,
        admin,
        name="KIM Lada Muntok",
        kind="community_group",
        region_code="19.05",
        category="rempah",
        title="Lada Putih Muntok",
        price=50_000,
    )
    honey = await _seller(
        client,
        admin,
        name="UMKM Madu Pelawan",
        kind="umkm",
        region_code="19.04",
        category="madu",
        title="Madu Pelawan",
        price=120_000,
    )
    pewter = await _seller(
        client,
        admin,
        name="Koperasi Pewter Timah",
        kind="cooperative",
        region_code="19.71",
        category="kerajinan",
        title="Miniatur Pewter",
        price=200_000,
    )
    return World(admin, pepper, honey, pewter)


def buyer(email: str) -> dict[str, Any]:
    return {"name": "Pembeli", "email": email, "phone": "081234567890"}


async def order(
    client: AsyncClient,
    lines: list[tuple[Seller, int]],
    email: str,
    *,
    payment_method: str = "bank_transfer",
    city: str = "Kota Pangkalpinang",
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    body = order_body(
        *[order_line(seller.variant_id, quantity) for seller, quantity in lines],
        payment_method=payment_method,
        buyer=buyer(email),
        shipping_address=shipping_address(city=city),
    )
    return await placed_order(client, body, headers=headers)


async def pay(client: AsyncClient, world: World, placed: dict[str, Any]) -> None:
    response = await confirm_payment(client, world.admin, placed["payment"]["id"])
    assert response.status_code == 200, response.text


async def cancel(client: AsyncClient, world: World, placed: dict[str, Any]) -> None:
    response = await client.post(
        f"/api/v1/orders/{placed['id']}/cancel", headers=world.admin.headers
    )
    assert response.status_code == 200, response.text


def part_of(placed: dict[str, Any], seller: Seller) -> str:
    [part] = [p["id"] for p in placed["seller_orders"] if p["seller"]["id"] == seller.id]
    return str(part)


async def cancel_part(client: AsyncClient, placed: dict[str, Any], seller: Seller) -> None:
    response = await client.post(
        f"/api/v1/seller-orders/{part_of(placed, seller)}/cancel", headers=seller.owner.headers
    )
    assert response.status_code == 200, response.text


async def deliver(client: AsyncClient, placed: dict[str, Any], seller: Seller) -> None:
    part = part_of(placed, seller)
    assert (await ship_seller_order(client, seller.owner, part)).status_code == 200
    response = await client.post(
        f"/api/v1/seller-orders/{part}/deliver", headers=seller.owner.headers
    )
    assert response.status_code == 200, response.text


async def collect_cash(
    sessionmaker: async_sessionmaker[AsyncSession],
    placed: dict[str, Any],
    seller: Seller,
    moment: datetime,
) -> None:
    """What a seller member's record of collected COD cash stamps (issue 9 builds the flow)."""
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(SellerOrder)
            .where(SellerOrder.id == uuid.UUID(part_of(placed, seller)))
            .values(cod_collected_at=moment, updated_at=datetime.now(UTC))
        )


async def record_refund(
    sessionmaker: async_sessionmaker[AsyncSession],
    placed: dict[str, Any],
    seller: Seller,
    amount: int,
    moment: datetime,
) -> None:
    """A refund on a seller-order that stays delivered (what a complaint's resolution
    records, issue 9), dated ``moment``. Being back-dated, it would fall before the sweep's
    watermark, so the seller-order is touched now as well."""
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(SellerOrder)
            .where(SellerOrder.id == uuid.UUID(part_of(placed, seller)))
            .values(updated_at=datetime.now(UTC))
        )
        session.add(
            Refund(
                payment_id=uuid.UUID(placed["payment"]["id"]),
                seller_order_id=uuid.UUID(part_of(placed, seller)),
                amount=amount,
                status=RefundStatus.MANUAL,
                reason="complaint",
                created_at=moment,
            )
        )


async def sweep(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    assert await sweep_reports(sessionmaker) >= 0


async def report(
    client: AsyncClient,
    headers: dict[str, str],
    path: str = "/api/v1/admin/reports/sales",
    **params: str,
) -> dict[str, Any]:
    response = await client.get(path, params=params, headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def figures(row: dict[str, Any]) -> tuple[int, ...]:
    """(orders, units, gross, refunds, net, buyers, sellers)."""
    keys = ("orders", "units", "gross", "refunds", "net", "buyers", "sellers")
    return tuple(row[key] for key in keys)


async def sell_first_quarter(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> World:
    """Eight orders; the sweep runs between the steps, as the background timer would."""
    world = await build_world(app, client)
    pepper, honey, pewter = world.pepper, world.honey, world.pewter
    # O1: 23:59:59 WIB on 31 January -> January
    o1 = await order(client, [(pepper, 2)], "a@contoh.id")
    clock.at(2026, 1, 31, 16, 59, 59)
    await pay(client, world, o1)
    await sweep(sessionmaker)
    # O2: 00:00:00 WIB on 1 February -> February, two sellers
    o2 = await order(client, [(pepper, 1), (honey, 1)], "b@contoh.id")
    clock.at(2026, 1, 31, 17, 0, 0)
    await pay(client, world, o2)
    # O3: paid in February by buyer a (other case), cancelled in March: refunded in March
    o3 = await order(client, [(pewter, 1)], "A@Contoh.ID")
    clock.at(2026, 2, 10, 3, 0)
    await pay(client, world, o3)
    await sweep(sessionmaker)
    clock.at(2026, 3, 2, 2, 0)
    await cancel(client, world, o3)
    # O4: never paid, cancelled: nothing
    o4 = await order(client, [(honey, 3)], "c@contoh.id")
    clock.at(2026, 2, 20, 2, 0)
    await cancel(client, world, o4)
    # O5: cash on delivery, counted when the cash is collected (5 March)
    o5 = await order(client, [(pewter, 1)], "d@contoh.id", payment_method="cod")
    clock.at(2026, 3, 5, 10, 0)
    await deliver(client, o5, pewter)
    await collect_cash(sessionmaker, o5, pewter, datetime(2026, 3, 5, 10, 0, tzinfo=UTC))
    await sweep(sessionmaker)
    # O6: shipped outside the province
    o6 = await order(client, [(pepper, 2)], "e@contoh.id", city="Jakarta Selatan")
    clock.at(2026, 3, 15, 5, 0)
    await pay(client, world, o6)
    # O7: two sellers paid; the honey seller cancels its part the next day
    o7 = await order(client, [(pepper, 1), (honey, 1)], "f@contoh.id")
    clock.at(2026, 3, 20, 5, 0)
    await pay(client, world, o7)
    await sweep(sessionmaker)
    clock.at(2026, 3, 21, 5, 0)
    await cancel_part(client, o7, honey)
    # O8: delivered, then Rp 150.000 refunded on a complaint
    o8 = await order(client, [(pewter, 2)], "g@contoh.id")
    clock.at(2026, 3, 25, 5, 0)
    await pay(client, world, o8)
    await deliver(client, o8, pewter)
    await record_refund(sessionmaker, o8, pewter, 150_000, datetime(2026, 3, 28, 5, 0, tzinfo=UTC))
    await sweep(sessionmaker)
    return world


async def sell_to(
    client: AsyncClient,
    world: World,
    seller: Seller,
    emails: list[str],
    clock: Clock,
    *,
    month: int = 3,
) -> None:
    """One order of one unit per e-mail, paid on successive days of ``month`` 2026."""
    for day, email in enumerate(emails, start=1):
        placed = await order(client, [(seller, 1)], email)
        clock.at(2026, month, day, 3, 0)
        await pay(client, world, placed)


async def sell_a_year_start(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> World:
    """Pepper sells to six buyers in each of January to April 2026, honey to five in March,
    and the small pewter shop to two in April (withheld wherever it stands alone)."""
    world = await build_world(app, client)
    for month in (1, 2, 3, 4):
        emails = [f"p{month}{n}@contoh.id" for n in range(6)]
        await sell_to(client, world, world.pepper, emails, clock, month=month)
    await sell_to(client, world, world.honey, [f"h{n}@contoh.id" for n in range(5)], clock)
    await sell_to(client, world, world.pewter, ["x1@contoh.id", "x2@contoh.id"], clock, month=4)
    await sweep(sessionmaker)
    return world
