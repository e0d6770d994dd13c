"""``seed_demo``: the ready-made data of ``marketplace demo``, on a SQLite database of its own.

Seeding draws and stores every product picture, so it runs once for this module; the tests
read what it left behind, and the last one seeds again to show nothing changes.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace import migrations
from marketplace.accounts.models import User
from marketplace.catalog.models import Category, Product, ProductImage, ProductStatus
from marketplace.config import Settings
from marketplace.db.models import Base
from marketplace.db.session import create_engine, create_sessionmaker
from marketplace.demo import ADMIN_EMAIL, BUYER_EMAIL, DEMO_PASSWORD, SELLER_EMAIL, seed_demo
from marketplace.demo.catalog import demo_products
from marketplace.sellers.models import MemberRole, Seller, SellerMember, SellerStatus
from tests.conftest import make_settings


@pytest.fixture(scope="module")
async def demo_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A migrated, seeded demo database (and media folder) shared by this module's tests."""
    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{folder / 'demo.db'}"
    await asyncio.to_thread(migrations.upgrade, url)
    settings = make_settings(url, media_root=folder / "media")
    await seed_demo(settings)
    return settings


@pytest.fixture
async def session(demo_settings: Settings) -> AsyncIterator[AsyncSession]:
    engine = create_engine(demo_settings)
    try:
        async with create_sessionmaker(engine)() as session:
            yield session
    finally:
        await engine.dispose()


async def _row_counts(settings: Settings) -> dict[str, int]:
    engine = create_engine(settings)
    try:
        async with engine.connect() as connection:
            return {
                table.name: int(
                    await connection.scalar(select(func.count()).select_from(table)) or 0
                )
                for table in Base.metadata.sorted_tables
            }
    finally:
        await engine.dispose()


def _stored_files(settings: Settings) -> list[Path]:
    return sorted(path for path in Path(settings.media_root).rglob("*") if path.is_file())


async def test_demo_users_are_an_admin_a_seller_account_and_a_buyer(
    session: AsyncSession,
) -> None:
    users = (await session.execute(select(User).order_by(User.full_name))).scalars().all()

    assert [(u.email, u.full_name, u.is_admin) for u in users] == [
        (BUYER_EMAIL, "Budi Santoso", False),
        (ADMIN_EMAIL, "Operator Diskominfo Babel", True),
        (SELLER_EMAIL, "Siti Aminah", False),
    ]
    assert DEMO_PASSWORD == "babel-demo-2026"


async def test_demo_has_six_verified_sellers_and_one_pending_all_owned_by_the_seller_account(
    session: AsyncSession,
) -> None:
    sellers = (await session.execute(select(Seller).order_by(Seller.name))).scalars().all()
    owner_id = await session.scalar(select(User.id).where(User.email == SELLER_EMAIL))
    memberships = (await session.execute(select(SellerMember.user_id, SellerMember.role))).all()

    assert [(s.slug, s.region_code, s.status) for s in sellers] == [
        ("kim-kemplang-sungailiat", "19.01", SellerStatus.VERIFIED),
        ("kim-kopi-manggar", "19.06", SellerStatus.PENDING),
        ("kim-lada-muntok-sejahtera", "19.05", SellerStatus.VERIFIED),
        ("koperasi-batik-cual-belitung", "19.02", SellerStatus.VERIFIED),
        ("koperasi-pengrajin-timah-pangkalpinang", "19.71", SellerStatus.VERIFIED),
        ("umkm-madu-pelawan-namang", "19.04", SellerStatus.VERIFIED),
        ("umkm-terasi-toboali", "19.03", SellerStatus.VERIFIED),
    ]
    assert {s.whatsapp for s in sellers} == {"+6281270001234"}
    assert memberships == [(owner_id, MemberRole.OWNER)] * 7


async def test_demo_category_tree(session: AsyncSession) -> None:
    categories = (await session.execute(select(Category))).scalars().all()
    slug_by_id = {c.id: c.slug for c in categories}

    tree = sorted(
        (c.slug, slug_by_id.get(c.parent_id) if c.parent_id else None) for c in categories
    )

    assert tree == [
        ("camilan", "makanan"),
        ("hasil-laut", "makanan"),
        ("kain", "kerajinan"),
        ("kerajinan", None),
        ("kerajinan-timah", "kerajinan"),
        ("kopi", "minuman"),
        ("lada", "rempah"),
        ("madu", "makanan"),
        ("makanan", None),
        ("minuman", None),
        ("rempah", None),
    ]


async def test_demo_products_are_published_only_for_verified_sellers_each_with_a_picture(
    session: AsyncSession,
) -> None:
    rows = (
        await session.execute(
            select(Seller.status, Product.status).join(Product, Product.seller_id == Seller.id)
        )
    ).all()
    images_per_product = Counter(
        (await session.execute(select(ProductImage.product_id))).scalars().all()
    )
    product_count = await session.scalar(select(func.count()).select_from(Product))

    assert product_count == len(demo_products())
    assert set(rows) == {
        (SellerStatus.VERIFIED, ProductStatus.PUBLISHED),
        (SellerStatus.PENDING, ProductStatus.DRAFT),
    }
    assert len(images_per_product) == product_count
    assert set(images_per_product.values()) == {1}


async def test_seeding_again_changes_nothing(demo_settings: Settings) -> None:
    rows_before = await _row_counts(demo_settings)
    files_before = _stored_files(demo_settings)

    credentials = await seed_demo(demo_settings)

    assert credentials == {
        "admin": (ADMIN_EMAIL, DEMO_PASSWORD),
        "seller": (SELLER_EMAIL, DEMO_PASSWORD),
        "buyer": (BUYER_EMAIL, DEMO_PASSWORD),
    }
    assert await _row_counts(demo_settings) == rows_before
    assert rows_before["users"] == 3
    assert rows_before["sellers"] == 7
    assert rows_before["categories"] == 11
    assert _stored_files(demo_settings) == files_before
    assert files_before  # the pictures were stored on the first run
