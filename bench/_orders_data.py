"""The database of bench/orders.py: created fresh (a PostgreSQL database or a SQLite file),
seeded with Core inserts (three verified sellers, a few published products each with plenty of
stock, and one scarce variant), and the SQL that checks nothing was oversold afterwards."""

from __future__ import annotations

import asyncio
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _catalog_data import create_postgres_database, drop_postgres_database
from sqlalchemy import FromClause, delete, distinct, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from marketplace.catalog.models import Category, Product, ProductStatus, ProductVariant
from marketplace.db.base import new_id
from marketplace.db.session import async_database_url
from marketplace.orders.models import Order, OrderItem
from marketplace.payments.models import TransferCode
from marketplace.sellers.models import Seller, SellerKind, SellerStatus

POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
# Overridable so several checkouts of the project can bench on one PostgreSQL at once.
POSTGRES_DATABASE = os.environ.get("BENCH_ORDERS_DATABASE", "bench_orders")
SELLERS = ("KIM Lada Muntok", "UMKM Kemplang Sungailiat", "Koperasi Madu Pelawan Koba")
PRODUCTS_PER_SELLER = 4
VARIANTS = (("100 g", 1.0, 120), ("250 g", 2.3, 280), ("1 kg", 8.0, 1_060))
LARGE_STOCK = 10_000_000
SCARCE_STOCK = 50
SELLER_REGION = "19.71"  # Kota Pangkalpinang; the buyers' address is there too


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    """An empty database: a SQLite file in ``folder``, or ``bench_orders`` recreated on the
    local PostgreSQL (and dropped again on the way out)."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'orders.db'}"
        return
    asyncio.run(create_postgres_database(POSTGRES_SERVER, POSTGRES_DATABASE))
    try:
        yield f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"
    finally:
        asyncio.run(drop_postgres_database(POSTGRES_SERVER, POSTGRES_DATABASE))


@dataclass(frozen=True)
class Shops:
    """What was seeded: each seller's plentiful variants, the scarce one, and every stock."""

    seller_ids: list[uuid.UUID]
    variants_by_seller: list[list[uuid.UUID]]
    scarce_variant: uuid.UUID
    seeded_stock: dict[uuid.UUID, int] = field(default_factory=dict)

    @property
    def plentiful_variants(self) -> list[uuid.UUID]:
        return [variant for variants in self.variants_by_seller for variant in variants]


async def seed_shops(database_url: str) -> Shops:
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    engine = create_async_engine(async_database_url(database_url))
    try:
        async with engine.begin() as connection:
            category_id = new_id()
            await connection.execute(
                insert(Category),
                [{"id": category_id, "slug": "rempah-bumbu", "name": "Rempah & Bumbu"}],
            )
            seller_ids = await _insert_sellers(connection, now)
            variants_by_seller: list[list[uuid.UUID]] = []
            stock: dict[uuid.UUID, int] = {}
            for number, seller_id in enumerate(seller_ids):
                products, variants = _products_of(number, seller_id, category_id, now)
                variants_by_seller.append([row["id"] for row in variants])
                if number == 0:  # the scarce product: one variant of SCARCE_STOCK units
                    scarce_products, scarce = _products_of(
                        number, seller_id, category_id, now, scarce=True
                    )
                    products += scarce_products
                    variants += scarce
                await connection.execute(insert(Product), products)
                await connection.execute(insert(ProductVariant), variants)
                stock.update({row["id"]: row["stock"] for row in variants})
    finally:
        await engine.dispose()
    scarce_variant = next(variant for variant, units in stock.items() if units == SCARCE_STOCK)
    return Shops(seller_ids, variants_by_seller, scarce_variant, stock)


async def _insert_sellers(connection: AsyncConnection, now: datetime) -> list[uuid.UUID]:
    rows: list[dict[str, Any]] = [
        {
            "id": new_id(),
            "slug": f"bench-seller-{number}",
            "name": name,
            "kind": SellerKind.COMMUNITY_GROUP,
            "region_code": SELLER_REGION,
            "whatsapp": f"+6281200000{number:03d}",
            "status": SellerStatus.VERIFIED,
            "created_at": now,
            "updated_at": now,
        }
        for number, name in enumerate(SELLERS)
    ]
    await connection.execute(insert(Seller), rows)
    return [row["id"] for row in rows]


def _products_of(
    number: int,
    seller_id: uuid.UUID,
    category_id: uuid.UUID,
    now: datetime,
    *,
    scarce: bool = False,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A seller's products with three variants each (or the one scarce product of one)."""
    products: list[dict[str, Any]] = []
    variants: list[dict[str, Any]] = []
    for index in range(1 if scarce else PRODUCTS_PER_SELLER):
        product_id = new_id()
        price = 20_000 + 5_000 * (number * PRODUCTS_PER_SELLER + index)
        slug = f"bench-{number}-{'scarce' if scarce else index}"
        products.append(
            {
                "id": product_id,
                "seller_id": seller_id,
                "slug": slug,
                "title": f"{'Madu Edisi Terbatas' if scarce else 'Lada Putih'} {slug}",
                "description": "Produk untuk benchmark pesanan.",
                "category_id": category_id,
                "region_code": SELLER_REGION,
                "status": ProductStatus.PUBLISHED,
                "min_price": price,
                "published_at": now,
                "created_at": now,
                "updated_at": now,
            }
        )
        for position, (name, factor, grams) in enumerate(VARIANTS[:1] if scarce else VARIANTS):
            variants.append(
                {
                    "id": new_id(),
                    "product_id": product_id,
                    "seller_id": seller_id,
                    "name": name,
                    "sku": f"{slug}-{position}".upper(),
                    "price": round(price * factor / 500) * 500,
                    "stock": SCARCE_STOCK if scarce else LARGE_STOCK,
                    "weight_grams": grams,
                    "position": position,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    return products, variants


async def count_rows(database_url: str, table: FromClause = Order.__table__) -> int:
    """Rows in ``table`` (the orders, unless told otherwise)."""
    engine = create_async_engine(async_database_url(database_url))
    try:
        async with engine.connect() as connection:
            return int(await connection.scalar(select(func.count()).select_from(table)) or 0)
    finally:
        await engine.dispose()


@dataclass(frozen=True)
class ScarceState:
    stock: int
    orders_with_it: int
    units_sold: int


@dataclass(frozen=True)
class StockAccount:
    """Per variant: seeded stock minus what is left must equal the units on order lines."""

    variants: int
    mismatches: list[str]
    negative: int


async def scarce_state(database_url: str, variant_id: uuid.UUID) -> ScarceState:
    engine = create_async_engine(async_database_url(database_url))
    try:
        async with engine.connect() as connection:
            stock = await connection.scalar(
                select(ProductVariant.stock).where(ProductVariant.id == variant_id)
            )
            sold = (
                await connection.execute(
                    select(
                        func.count(distinct(OrderItem.order_id)),
                        func.coalesce(func.sum(OrderItem.quantity), 0),
                    ).where(OrderItem.variant_id == variant_id)
                )
            ).one()
    finally:
        await engine.dispose()
    return ScarceState(stock=int(stock or 0), orders_with_it=int(sold[0]), units_sold=int(sold[1]))


async def account_stock(database_url: str, seeded: dict[uuid.UUID, int]) -> StockAccount:
    sold = (
        select(OrderItem.variant_id, func.sum(OrderItem.quantity).label("units"))
        .group_by(OrderItem.variant_id)
        .subquery()
    )
    query = select(ProductVariant.id, ProductVariant.stock, sold.c.units).outerjoin(
        sold, sold.c.variant_id == ProductVariant.id
    )
    engine = create_async_engine(async_database_url(database_url))
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(query)).all()
    finally:
        await engine.dispose()
    mismatches = []
    for variant_id, stock, units in rows:
        taken = seeded.get(variant_id, 0) - stock
        if taken != (units or 0):
            mismatches.append(f"{variant_id}: {taken} units gone from stock, {units or 0} ordered")
    return StockAccount(
        variants=len(rows),
        mismatches=mismatches,
        negative=sum(1 for _, stock, _ in rows if stock < 0),
    )


class TransferCodeRelease:
    """Frees the unique codes of bank transfers every ``interval`` seconds, as payments being
    confirmed would: the load places thousands of transfers, and only 999 may be open at once
    (more answer 503 transfer-codes-exhausted, which is right for a real shop but would end the
    benchmark after a few seconds). Runs in a thread of its own with its own event loop."""

    def __init__(self, database_url: str, interval: float = 0.25) -> None:
        self._url = database_url
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="transfer-code-release")
        self.released = 0

    def __enter__(self) -> TransferCodeRelease:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        asyncio.run(self._release_until_stopped())

    async def _release_until_stopped(self) -> None:
        engine = create_async_engine(async_database_url(self._url))
        try:
            while not self._stop.is_set():
                async with engine.begin() as connection:
                    result = await connection.execute(delete(TransferCode))
                    self.released += result.rowcount
                await asyncio.sleep(self._interval)
        finally:
            await engine.dispose()
