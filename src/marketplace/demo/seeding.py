"""Seed data for ``marketplace demo``: an admin, a seller account, a buyer, a seller in each
regency with its products."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts import service as accounts_service
from marketplace.accounts.models import User
from marketplace.accounts.schemas import UserCreate
from marketplace.catalog import gallery, listings
from marketplace.catalog import service as catalog_service
from marketplace.catalog.models import ProductStatus
from marketplace.catalog.schemas import Attributes, CategoryCreate, ProductCreate, VariantCreate
from marketplace.config import Settings
from marketplace.core.security import PasswordHashing
from marketplace.db.base import utcnow
from marketplace.db.session import begin_write_transaction, commit
from marketplace.demo.catalog import DemoProduct, demo_products, draw_product_picture
from marketplace.demo.orders import seed_featured, seed_orders
from marketplace.gateways import Gateways, started
from marketplace.sellers import service as sellers_service
from marketplace.sellers.models import Seller, SellerKind, SellerStatus
from marketplace.sellers.schemas import SellerCreate

DEMO_PASSWORD = "babel-demo-2026"
ADMIN_EMAIL = "admin@demo-babel.id"
SELLER_EMAIL = "penjual@demo-babel.id"
BUYER_EMAIL = "pembeli@demo-babel.id"


@dataclass(frozen=True)
class DemoSeller:
    name: str
    kind: SellerKind
    region_code: str
    description: str
    status: SellerStatus = SellerStatus.VERIFIED


DEMO_SELLERS = (
    DemoSeller(
        "KIM Lada Muntok Sejahtera",
        SellerKind.COMMUNITY_GROUP,
        "19.05",
        "Kelompok informasi masyarakat petani lada putih Muntok dari Bangka Barat.",
    ),
    DemoSeller(
        "Koperasi Pengrajin Timah Pangkalpinang",
        SellerKind.COOPERATIVE,
        "19.71",
        "Kerajinan pewter dan timah buatan tangan pengrajin Pangkalpinang.",
    ),
    DemoSeller(
        "UMKM Madu Pelawan Namang",
        SellerKind.UMKM,
        "19.04",
        "Madu hutan pelawan dari kawasan hutan Namang, Bangka Tengah.",
    ),
    DemoSeller(
        "KIM Kemplang Sungailiat",
        SellerKind.COMMUNITY_GROUP,
        "19.01",
        "Kemplang, kerupuk ikan dan getas khas Sungailiat.",
    ),
    DemoSeller(
        "UMKM Terasi Toboali",
        SellerKind.UMKM,
        "19.03",
        "Terasi udang rebon dan ikan asin dari pesisir Toboali.",
    ),
    DemoSeller(
        "Koperasi Batik Cual Belitung",
        SellerKind.COOPERATIVE,
        "19.02",
        "Batik cual dan kain tenun khas Belitung.",
    ),
    DemoSeller(
        "KIM Kopi Manggar",
        SellerKind.COMMUNITY_GROUP,
        "19.06",
        "Kopi Manggar, kota seribu warung kopi di Belitung Timur.",
        SellerStatus.PENDING,
    ),
)

DEMO_CATEGORIES = (
    CategoryCreate(slug="rempah", name="Rempah", name_en="Spices", halal_required=True),
    CategoryCreate(slug="lada", name="Lada", name_en="Pepper", parent="rempah"),
    CategoryCreate(slug="kerajinan", name="Kerajinan", name_en="Crafts"),
    CategoryCreate(
        slug="kerajinan-timah", name="Kerajinan Timah", name_en="Tin and pewter", parent="kerajinan"
    ),
    CategoryCreate(
        slug="kain", name="Kain dan Batik", name_en="Cloth and batik", parent="kerajinan"
    ),
    CategoryCreate(slug="makanan", name="Makanan", name_en="Food", halal_required=True),
    CategoryCreate(slug="madu", name="Madu", name_en="Honey", parent="makanan"),
    CategoryCreate(slug="camilan", name="Camilan", name_en="Snacks", parent="makanan"),
    CategoryCreate(
        slug="hasil-laut", name="Hasil Laut Olahan", name_en="Seafood products", parent="makanan"
    ),
    CategoryCreate(slug="minuman", name="Minuman", name_en="Drinks", halal_required=True),
    CategoryCreate(slug="kopi", name="Kopi", name_en="Coffee", parent="minuman"),
)


async def seed_demo(settings: Settings) -> dict[str, tuple[str, str]]:
    """Seed once (a second run finds the admin and stops); returns the demo credentials."""
    hashing = PasswordHashing.from_settings(settings)
    async with started(settings) as (sessionmaker, gateways), sessionmaker() as session:
        await begin_write_transaction(session)
        if await accounts_service.find_user_by_email(session, ADMIN_EMAIL) is None:
            sellers = await _seed(session, hashing)
            await _seed_products(session, gateways, sellers)
            await seed_orders(session, gateways.payments, BUYER_EMAIL, ADMIN_EMAIL)
            await seed_featured(session, ADMIN_EMAIL)
        await commit(session)
    return {
        "admin": (ADMIN_EMAIL, DEMO_PASSWORD),
        "seller": (SELLER_EMAIL, DEMO_PASSWORD),
        "buyer": (BUYER_EMAIL, DEMO_PASSWORD),
    }


async def _seed(session: AsyncSession, hashing: PasswordHashing) -> list[Seller]:
    admin, _ = await accounts_service.create_or_promote_admin(
        session, hashing, ADMIN_EMAIL, DEMO_PASSWORD, "Operator Diskominfo Babel"
    )
    seller_user = await _user(session, hashing, SELLER_EMAIL, "Siti Aminah")
    await _user(session, hashing, BUYER_EMAIL, "Budi Santoso")
    for category in DEMO_CATEGORIES:
        await catalog_service.create_category(session, category)
    sellers = []
    for demo_seller in DEMO_SELLERS:
        seller = await sellers_service.create_seller(
            session,
            seller_user,
            SellerCreate(
                name=demo_seller.name,
                kind=demo_seller.kind,
                region_code=demo_seller.region_code,
                description=demo_seller.description,
                whatsapp="0812-7000-1234",
            ),
        )
        if demo_seller.status is SellerStatus.VERIFIED:
            await sellers_service.change_status(
                session, admin, str(seller.id), SellerStatus.VERIFIED, "Dokumen lengkap (demo)"
            )
        sellers.append(seller)
    return sellers


async def _seed_products(session: AsyncSession, gateways: Gateways, sellers: list[Seller]) -> None:
    """Every demo product with a drawn picture; published where the seller is verified."""
    storage, settings = gateways.media, gateways.settings
    for demo_product in demo_products():
        seller = sellers[demo_product.seller_index]
        product = await listings.create_product(session, seller, _product_create(demo_product))
        await gallery.add_image(
            session, storage, settings, product, draw_product_picture(demo_product)
        )
        if seller.status is SellerStatus.VERIFIED:
            product.status = ProductStatus.PUBLISHED
            product.published_at = utcnow()
    await session.flush()


def _product_create(demo_product: DemoProduct) -> ProductCreate:
    return ProductCreate(
        title=demo_product.title,
        description=demo_product.description,
        category=demo_product.category,
        variants=[
            VariantCreate(name=name, price=price, stock=stock, weight_grams=weight)
            for name, price, stock, weight in demo_product.variants
        ],
        attributes=Attributes(pirt_number=demo_product.pirt, halal_certificate=demo_product.halal),
    )


async def _user(session: AsyncSession, hashing: PasswordHashing, email: str, name: str) -> User:
    """A demo account with its address already confirmed (it may sell and pay on delivery)."""
    user = await accounts_service.register_user(
        session, hashing, UserCreate(email=email, password=DEMO_PASSWORD, full_name=name)
    )
    user.email_verified_at = utcnow()
    await session.flush()
    return user
