"""Benchmark databases for bench/catalog.py: create (PostgreSQL or a SQLite file), seed a
realistic catalog fast with Core bulk inserts, and pick the rows the scenarios ask for.

Everything is seeded from a seeded ``random.Random``, so two runs hold the same catalog.
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from marketplace.catalog.models import (
    Category,
    Product,
    ProductImage,
    ProductStatus,
    ProductVariant,
    Region,
)
from marketplace.db.session import async_database_url
from marketplace.sellers.models import Seller, SellerKind, SellerStatus

BATCH_SIZE = 2_000
VERIFIED_SELLERS = 200
PENDING_SELLERS = 10
PUBLISHED_SHARE = 0.90
DRAFT_SHARE = 0.05  # the rest is archived
OUT_OF_STOCK_SHARE = 0.12
PUBLISHED_SPREAD = timedelta(days=730)

# parent category: its subcategories
CATEGORY_TREE: dict[str, tuple[str, ...]] = {
    "makanan-ringan": ("kemplang-kerupuk", "getas-keripik", "kue-tradisional"),
    "rempah-bumbu": ("lada", "terasi-sambal", "bumbu-dapur"),
    "minuman": ("kopi", "madu", "sirup-teh"),
    "kerajinan": ("batik-tenun", "kerajinan-timah", "anyaman"),
    "olahan-laut": ("ikan-asin", "rusip-cincalok", "olahan-cumi"),
}
FILTER_CATEGORY = "rempah-bumbu"

WEIGHTS = (("100 g", 1.0, 120), ("250 g", 2.3, 280), ("1 kg", 8.0, 1_060))
SIZES = (("Kecil", 1.0, 200), ("Sedang", 1.8, 450), ("Besar", 3.0, 900))

# what is sold: title words, category slug, base price in rupiah, variant ladder
GOODS: tuple[tuple[str, str, int, tuple[tuple[str, float, int], ...]], ...] = (
    ("Lada Putih", "lada", 32_000, WEIGHTS),
    ("Lada Hitam", "lada", 28_000, WEIGHTS),
    ("Bubuk Lada Putih", "lada", 35_000, WEIGHTS),
    ("Terasi Udang", "terasi-sambal", 18_000, WEIGHTS),
    ("Belacan", "terasi-sambal", 16_000, WEIGHTS),
    ("Sambal Terasi", "terasi-sambal", 22_000, WEIGHTS),
    ("Bumbu Lempah Kuning", "bumbu-dapur", 15_000, WEIGHTS),
    ("Kunyit Bubuk", "bumbu-dapur", 12_000, WEIGHTS),
    ("Kemplang Ikan Tenggiri", "kemplang-kerupuk", 25_000, WEIGHTS),
    ("Kerupuk Ikan", "kemplang-kerupuk", 20_000, WEIGHTS),
    ("Kemplang Panggang", "kemplang-kerupuk", 24_000, WEIGHTS),
    ("Getas Ikan", "getas-keripik", 22_000, WEIGHTS),
    ("Keripik Singkong", "getas-keripik", 14_000, WEIGHTS),
    ("Kue Rintak", "kue-tradisional", 18_000, WEIGHTS),
    ("Dodol Ketan", "kue-tradisional", 20_000, WEIGHTS),
    ("Kopi Robusta", "kopi", 40_000, WEIGHTS),
    ("Kopi Bubuk", "kopi", 30_000, WEIGHTS),
    ("Madu Pelawan", "madu", 150_000, SIZES),
    ("Madu Hutan", "madu", 110_000, SIZES),
    ("Sirup Jeruk Kunci", "sirup-teh", 25_000, SIZES),
    ("Teh Daun Pelawan", "sirup-teh", 30_000, WEIGHTS),
    ("Batik Cual", "batik-tenun", 250_000, SIZES),
    ("Kain Tenun Cual", "batik-tenun", 900_000, SIZES),
    ("Kerajinan Timah", "kerajinan-timah", 75_000, SIZES),
    ("Miniatur Kapal Timah", "kerajinan-timah", 180_000, SIZES),
    ("Gantungan Kunci Timah", "kerajinan-timah", 15_000, SIZES),
    ("Tas Anyaman Resam", "anyaman", 120_000, SIZES),
    ("Tikar Pandan", "anyaman", 85_000, SIZES),
    ("Ikan Asin", "ikan-asin", 35_000, WEIGHTS),
    ("Ikan Teri Kering", "ikan-asin", 45_000, WEIGHTS),
    ("Rusip", "rusip-cincalok", 20_000, WEIGHTS),
    ("Cincalok", "rusip-cincalok", 20_000, WEIGHTS),
    ("Cumi Kering", "olahan-cumi", 90_000, WEIGHTS),
    ("Abon Ikan", "olahan-cumi", 35_000, WEIGHTS),
)
ADJECTIVES = (
    "Asli", "Premium", "Super", "Organik", "Pilihan", "Khas", "Murni", "Spesial", "Grade A",
    "Kering", "Halus", "Hemat", "", "", "",
)  # fmt: skip
PLACES = (
    "Muntok", "Sungailiat", "Toboali", "Koba", "Tanjung Pandan", "Manggar", "Pangkalpinang",
    "Jebus", "Belinyu", "Tempilang", "Kelapa", "Lepar", "Gantung", "Membalong", "Bangka",
    "Belitung",
)  # fmt: skip
PHRASES = (
    "Dibuat oleh kelompok usaha setempat",
    "Cocok untuk oleh-oleh keluarga",
    "Tanpa bahan pengawet",
    "Dikemas rapi dan higienis",
    "Bahan baku dari petani dan nelayan sekitar",
    "Dikirim dari {place} setiap hari kerja",
    "Produksi rumahan dengan resep turun-temurun",
    "Tahan lama bila disimpan di tempat kering",
)
SELLER_WORDS = ("Berkah", "Maju", "Sejahtera", "Bersama", "Mandiri", "Harapan", "Sentosa")


@dataclass(frozen=True)
class SeededCatalog:
    products: int
    visible_products: int


@dataclass(frozen=True)
class ScenarioRows:
    """The rows the scenarios name: the deep page's cursor row and a product to show."""

    deep_published_at: datetime
    deep_id: uuid.UUID
    deep_position: int
    detail_slug: str
    filter_category: str
    filter_region: str
    filter_min_price: int
    filter_max_price: int


def slugify(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


def uuid7_at(moment: datetime, rng: random.Random) -> uuid.UUID:
    """A UUIDv7 for ``moment``, as the app would have made it then (ids follow creation)."""
    value = (int(moment.timestamp() * 1000) & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= rng.getrandbits(76)
    value &= ~(0x3 << 62)
    value |= 0x2 << 62
    return uuid.UUID(int=value)


async def seed_catalog(database_url: str, products: int, *, seed: int = 2026) -> SeededCatalog:
    """Categories, sellers and ``products`` products with variants and an image each."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    engine = create_async_engine(async_database_url(database_url))
    try:
        async with engine.begin() as connection:
            regions = list((await connection.execute(select(Region.code))).scalars())
            categories = await _insert_categories(connection, now, rng)
            sellers = await _insert_sellers(connection, regions, now, rng)
            for batch in _product_batches(products, categories, sellers, now, rng):
                await connection.execute(insert(Product), batch.products)
                await connection.execute(insert(ProductVariant), batch.variants)
                await connection.execute(insert(ProductImage), batch.images)
            visible = await connection.scalar(_visible_count())
    finally:
        await engine.dispose()
    return SeededCatalog(products=products, visible_products=int(visible or 0))


async def seed_catalog_once(database_url: str, products: int) -> SeededCatalog:
    """``seed_catalog`` on an empty database; a kept one (``--keep``) is used as it is."""
    engine = create_async_engine(async_database_url(database_url))
    try:
        async with engine.connect() as connection:
            found = int(await connection.scalar(select(func.count()).select_from(Product)) or 0)
            visible = await connection.scalar(_visible_count())
    finally:
        await engine.dispose()
    if not found:
        return await seed_catalog(database_url, products)
    if found != products:
        raise RuntimeError(f"the kept database holds {found:,} products, not {products:,}")
    return SeededCatalog(products=found, visible_products=int(visible or 0))


def _visible_count() -> Select[int]:
    return (
        select(func.count())
        .select_from(Product)
        .join(Seller, Seller.id == Product.seller_id)
        .where(Product.status == ProductStatus.PUBLISHED, Seller.status == SellerStatus.VERIFIED)
    )


async def _insert_categories(
    connection: AsyncConnection, now: datetime, rng: random.Random
) -> dict[str, uuid.UUID]:
    ids: dict[str, uuid.UUID] = {}
    rows: list[dict[str, Any]] = []
    for parent_slug, children in CATEGORY_TREE.items():
        ids[parent_slug] = uuid7_at(now - PUBLISHED_SPREAD, rng)
        rows.append(_category_row(ids[parent_slug], parent_slug, None, now))
        for child_slug in children:
            ids[child_slug] = uuid7_at(now - PUBLISHED_SPREAD, rng)
            rows.append(_category_row(ids[child_slug], child_slug, ids[parent_slug], now))
    await connection.execute(insert(Category), rows)
    return ids


def _category_row(
    category_id: uuid.UUID, slug: str, parent_id: uuid.UUID | None, now: datetime
) -> dict[str, Any]:
    return {
        "id": category_id,
        "slug": slug,
        "name": slug.replace("-", " ").title(),
        "name_en": None,
        "parent_id": parent_id,
        "created_at": now,
        "updated_at": now,
    }


@dataclass(frozen=True)
class SellerRow:
    id: uuid.UUID
    region_code: str
    verified: bool


async def _insert_sellers(
    connection: AsyncConnection, regions: list[str], now: datetime, rng: random.Random
) -> list[SellerRow]:
    sellers: list[SellerRow] = []
    rows: list[dict[str, Any]] = []
    for index in range(VERIFIED_SELLERS + PENDING_SELLERS):
        seller = SellerRow(
            id=uuid7_at(now - PUBLISHED_SPREAD, rng),
            region_code=rng.choice(regions),
            verified=index < VERIFIED_SELLERS,
        )
        name = f"UMKM {rng.choice(SELLER_WORDS)} {rng.choice(PLACES)} {index + 1}"
        sellers.append(seller)
        rows.append(
            {
                "id": seller.id,
                "slug": slugify(name),
                "name": name,
                "kind": rng.choice(list(SellerKind)),
                "region_code": seller.region_code,
                "description": f"Penjual produk daerah dari {rng.choice(PLACES)}.",
                "whatsapp": f"+62812{index:07d}",
                "address": None,
                "status": SellerStatus.VERIFIED if seller.verified else SellerStatus.PENDING,
                "status_reason": None,
                "created_at": now - PUBLISHED_SPREAD,
                "updated_at": now - PUBLISHED_SPREAD,
            }
        )
    await connection.execute(insert(Seller), rows)
    return sellers


@dataclass
class ProductBatch:
    products: list[dict[str, Any]]
    variants: list[dict[str, Any]]
    images: list[dict[str, Any]]


def _product_batches(
    count: int,
    categories: dict[str, uuid.UUID],
    sellers: list[SellerRow],
    now: datetime,
    rng: random.Random,
) -> Iterator[ProductBatch]:
    batch = ProductBatch([], [], [])
    for index in range(count):
        _add_product(batch, index, categories, rng.choice(sellers), now, rng)
        if len(batch.products) >= BATCH_SIZE:
            yield batch
            batch = ProductBatch([], [], [])
    if batch.products:
        yield batch


def _add_product(
    batch: ProductBatch,
    index: int,
    categories: dict[str, uuid.UUID],
    seller: SellerRow,
    now: datetime,
    rng: random.Random,
) -> None:
    goods, category, base_price, ladder = rng.choice(GOODS)
    place = rng.choice(PLACES)
    title = " ".join(part for part in (goods, rng.choice(ADJECTIVES), place) if part)
    created_at = now - timedelta(seconds=rng.uniform(0, PUBLISHED_SPREAD.total_seconds()))
    product_id = uuid7_at(created_at, rng)
    roll = rng.random()
    status = ProductStatus.PUBLISHED
    if roll >= PUBLISHED_SHARE:
        status = (
            ProductStatus.DRAFT if roll < PUBLISHED_SHARE + DRAFT_SHARE else ProductStatus.ARCHIVED
        )
    published_at = None
    if status is not ProductStatus.DRAFT:
        published_at = created_at + timedelta(minutes=rng.uniform(5, 4 * 24 * 60))
    price = round(base_price * rng.uniform(0.8, 1.3) / 500) * 500
    variants = ladder[: rng.choice((2, 3))]
    for position, (name, factor, grams) in enumerate(variants):
        in_stock = rng.random() >= OUT_OF_STOCK_SHARE
        batch.variants.append(
            {
                "id": uuid7_at(created_at, rng),
                "product_id": product_id,
                "seller_id": seller.id,
                "name": name,
                "sku": f"SKU-{index:06d}-{position}",
                "price": round(price * factor / 500) * 500,
                "stock": rng.randint(1, 200) if in_stock else 0,
                "weight_grams": grams,
                "position": position,
                "created_at": created_at,
                "updated_at": published_at or created_at,
            }
        )
    batch.products.append(
        {
            "id": product_id,
            "seller_id": seller.id,
            "slug": f"{slugify(title)}-{index}",
            "title": title,
            "description": _description(goods, place, rng),
            "category_id": categories[category],
            "region_code": seller.region_code,
            "status": status,
            "min_price": price,
            "pirt_number": None,
            "bpom_number": None,
            "halal_certificate": None,
            "published_at": published_at,
            "created_at": created_at,
            "updated_at": published_at or created_at,
        }
    )
    batch.images.append(
        {
            "id": uuid7_at(created_at, rng),
            "product_id": product_id,
            "position": 0,
            "storage_key": f"products/{product_id}/0.webp",
            "thumbnail_key": f"products/{product_id}/0-thumb.webp",
            "width": 1200,
            "height": 900,
            "thumbnail_width": 320,
            "thumbnail_height": 240,
            "created_at": created_at,
        }
    )


def _description(goods: str, place: str, rng: random.Random) -> str:
    phrases = [phrase.format(place=place) for phrase in rng.sample(PHRASES, 2)]
    return f"{goods} dari {place}. " + ". ".join(phrases) + "."


async def optimize_database(database_url: str) -> None:
    """Planner statistics as a database in service would have them (and WAL on SQLite)."""
    engine = create_async_engine(async_database_url(database_url), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                # VACUUM too: autovacuum would otherwise start on the fresh rows mid-measurement
                await connection.execute(text("VACUUM ANALYZE"))
            else:
                await connection.execute(text("PRAGMA journal_mode=WAL"))
                # SQLite 3.40's PRAGMA optimize skips tables never analysed: ANALYZE first
                await connection.execute(text("ANALYZE"))
                await connection.execute(text("PRAGMA optimize"))
    finally:
        await engine.dispose()


async def find_scenario_rows(database_url: str, depth: float = 0.9) -> ScenarioRows:
    """The row ``depth`` of the way down the newest-first public list, and a product slug."""
    engine = create_async_engine(async_database_url(database_url))
    visible = (
        select(Product.published_at, Product.id, Product.slug)
        .join(Seller, Seller.id == Product.seller_id)
        .where(Product.status == ProductStatus.PUBLISHED, Seller.status == SellerStatus.VERIFIED)
    )
    try:
        async with engine.connect() as connection:
            count = int(
                await connection.scalar(select(func.count()).select_from(visible.subquery())) or 0
            )
            position = int(count * depth)
            newest = visible.order_by(Product.published_at.desc(), Product.id.desc())
            deep = (await connection.execute(newest.offset(position).limit(1))).one()
            middle = (await connection.execute(newest.offset(count // 2).limit(1))).one()
            region = await connection.scalar(select(Region.code).order_by(Region.code).limit(1))
    finally:
        await engine.dispose()
    return ScenarioRows(
        deep_published_at=deep.published_at,
        deep_id=deep.id,
        deep_position=position,
        detail_slug=middle.slug,
        filter_category=FILTER_CATEGORY,
        filter_region=str(region),
        filter_min_price=20_000,
        filter_max_price=150_000,
    )


async def active_statements(database_url: str) -> int:
    """Statements other connections are running in this PostgreSQL database right now; with
    every connection slot taken (benches of other checkouts share the server), at least one."""
    engine = create_async_engine(async_database_url(database_url))
    try:
        async with engine.connect() as connection:
            count = await connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND state = 'active' AND pid <> pg_backend_pid()"
                )
            )
    except DBAPIError as error:
        if "too many clients" not in str(error):
            raise
        return 1
    finally:
        await engine.dispose()
    return int(count or 0)


async def create_postgres_database(server_url: str, name: str) -> None:
    """Drop ``name`` if it is there and create it empty (over the ``postgres`` database)."""
    await _run_admin(
        server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
    )


async def ensure_postgres_database(server_url: str, name: str) -> None:
    """Create ``name`` unless it is there already."""
    engine = create_async_engine(
        async_database_url(f"{server_url}/postgres"), isolation_level="AUTOCOMMIT"
    )
    try:
        async with engine.connect() as connection:
            exists = await connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                await connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await engine.dispose()


async def drop_postgres_database(server_url: str, name: str) -> None:
    await _run_admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _run_admin(server_url: str, *statements: str) -> None:
    engine: AsyncEngine = create_async_engine(
        async_database_url(f"{server_url}/postgres"), isolation_level="AUTOCOMMIT"
    )
    try:
        async with engine.connect() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()
