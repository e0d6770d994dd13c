"""``seed_demo``: the ready-made data of ``marketplace demo``, on a database of its own."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace import migrations
from marketplace.accounts.models import User
from marketplace.catalog.models import Category
from marketplace.config import Settings
from marketplace.db.session import create_engine, create_sessionmaker
from marketplace.demo import (
    ADMIN_EMAIL,
    BUYER_EMAIL,
    DEMO_PASSWORD,
    SELLER_EMAIL,
    seed_demo,
)
from marketplace.sellers.models import MemberRole, Seller, SellerMember, SellerStatus
from tests.conftest import make_settings


@pytest.fixture
async def demo_settings(tmp_path: Path) -> Settings:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    await asyncio.to_thread(migrations.upgrade, url)
    return make_settings(url, media_root=tmp_path / "media")


@pytest.fixture
async def demo_session(demo_settings: Settings) -> AsyncIterator[AsyncSession]:
    """A session opened after seeding (open it last), to read what the seed left behind."""
    await seed_demo(demo_settings)
    engine = create_engine(demo_settings)
    try:
        async with create_sessionmaker(engine)() as session:
            yield session
    finally:
        await engine.dispose()


async def _counts(settings: Settings) -> dict[str, int]:
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            return {
                model.__tablename__: int(
                    await session.scalar(select(func.count()).select_from(model)) or 0
                )
                for model in (User, Seller, SellerMember, Category)
            }
    finally:
        await engine.dispose()


async def test_seed_returns_the_demo_credentials(demo_settings: Settings) -> None:
    credentials = await seed_demo(demo_settings)

    assert credentials == {
        "admin": ("admin@demo.babel.test", "babel-demo-2026"),
        "seller": ("penjual@demo.babel.test", "babel-demo-2026"),
        "buyer": ("pembeli@demo.babel.test", "babel-demo-2026"),
    }
    assert (ADMIN_EMAIL, SELLER_EMAIL, BUYER_EMAIL, DEMO_PASSWORD) == (
        credentials["admin"][0],
        credentials["seller"][0],
        credentials["buyer"][0],
        "babel-demo-2026",
    )


async def test_seed_creates_admin_seller_account_and_buyer(demo_session: AsyncSession) -> None:
    users = (await demo_session.execute(select(User).order_by(User.email))).scalars().all()

    assert [(u.email, u.full_name, u.is_admin) for u in users] == [
        ("admin@demo.babel.test", "Operator Diskominfo Babel", True),
        ("pembeli@demo.babel.test", "Budi Santoso", False),
        ("penjual@demo.babel.test", "Siti Aminah", False),
    ]


async def test_seed_creates_six_verified_sellers_and_one_pending(
    demo_session: AsyncSession,
) -> None:
    sellers = (await demo_session.execute(select(Seller).order_by(Seller.name))).scalars().all()

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
    owner = await demo_session.scalar(select(User).where(User.email == SELLER_EMAIL))
    assert owner is not None
    memberships = (
        await demo_session.execute(select(SellerMember.user_id, SellerMember.role))
    ).all()
    assert memberships == [(owner.id, MemberRole.OWNER)] * 7


async def test_seed_creates_the_category_tree(demo_session: AsyncSession) -> None:
    categories = (await demo_session.execute(select(Category))).scalars().all()
    slug_by_id = {c.id: c.slug for c in categories}

    tree = sorted((c.slug, slug_by_id.get(c.parent_id) if c.parent_id else None) for c in categories)

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


async def test_seeding_twice_changes_nothing(demo_settings: Settings) -> None:
    await seed_demo(demo_settings)
    first = await _counts(demo_settings)

    await seed_demo(demo_settings)

    assert first == {"users": 3, "sellers": 7, "seller_members": 7, "categories": 11}
    assert await _counts(demo_settings) == first
