"""The baseline for bench/catalog.py: the product list's first page written the plain way.

One FastAPI endpoint, an async SQLAlchemy session per request, the same SQL as our first page
(published products of verified sellers with seller, category, rating, stock flag and first image,
newest first, 20 per page) and the same JSON, serialised by FastAPI from a Pydantic response
model. Nothing of the project is used but its ORM models.

Serve it with ``uvicorn _plain_app:create_plain_app --factory --app-dir bench``; the database
comes from ``BENCH_PLAIN_DATABASE_URL``, image URLs start with ``BENCH_PLAIN_PUBLIC_URL`` and
cursors are signed with ``BENCH_PLAIN_SECRET_KEY`` the way the project signs them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any, Literal
from urllib.parse import quote

import orjson
from fastapi import Depends, FastAPI, Request
from pydantic import BaseModel
from sqlalchemy import RowMapping, Select, exists, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from marketplace.catalog.models import Category, Product, ProductImage, ProductVariant
from marketplace.sellers.models import Seller

PAGE_SIZE = 20
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
POOL_SIZE = 10  # and as many in overflow: at most 20 connections, as the project keeps by default


class ImageRef(BaseModel):
    url: str
    thumbnail_url: str


class SellerRef(BaseModel):
    id: uuid.UUID
    slug: str
    name: str


class Rating(BaseModel):
    average: float | None
    count: int


class ProductSummary(BaseModel):
    id: uuid.UUID
    slug: str
    title: str
    price: int
    currency: Literal["IDR"] = "IDR"
    in_stock: bool
    image: ImageRef | None
    category: str
    region_code: str
    seller: SellerRef
    rating: Rating


class ProductPage(BaseModel):
    items: list[ProductSummary]
    next_cursor: str | None = None


def async_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    return url


def first_image(column: Any) -> Any:
    return (
        select(column)
        .where(ProductImage.product_id == Product.id)
        .order_by(ProductImage.position, ProductImage.id)
        .limit(1)
        .correlate(Product)
        .scalar_subquery()
    )


def first_page_query() -> Select[Any]:
    in_stock = (
        exists()
        .where(ProductVariant.product_id == Product.id, ProductVariant.stock > 0)
        .correlate(Product)
    )
    columns: tuple[Any, ...] = (
        Product.id,
        Product.slug,
        Product.title,
        Product.min_price,
        Product.region_code,
        Product.published_at,
        Product.created_at,
        Product.status,
        Category.slug.label("category_slug"),
        Seller.id.label("seller_id"),
        Seller.slug.label("seller_slug"),
        Seller.name.label("seller_name"),
        Product.rating_count,
        Product.rating_total,
        in_stock.label("in_stock"),
        first_image(ProductImage.storage_key).label("image_key"),
        first_image(ProductImage.thumbnail_key).label("thumbnail_key"),
    )
    return (
        select(*columns)
        .join(Seller, Seller.id == Product.seller_id)
        .join(Category, Category.id == Product.category_id)
        .where(Product.status == "published", Seller.status == "verified")
        .order_by(Product.published_at.desc(), Product.id.desc())
        .limit(PAGE_SIZE + 1)
    )


def sign_cursor(secret: str, purpose: str, values: list[Any]) -> str:
    key = hashlib.sha256(f"cursor:{purpose}:{secret}".encode()).digest()
    payload = orjson.dumps(values)
    signature = hmac.new(key, payload, hashlib.sha256).digest()[:12]
    return base64.urlsafe_b64encode(signature + payload).decode().rstrip("=")


def summary(row: RowMapping, public_url: str) -> ProductSummary:
    count, total = row["rating_count"], row["rating_total"]
    average = round(total / count, 2) if count else None
    image = None
    if row["image_key"]:
        image = ImageRef(
            url=f"{public_url}/media/{quote(row['image_key'])}",
            thumbnail_url=f"{public_url}/media/{quote(row['thumbnail_key'])}",
        )
    return ProductSummary(
        id=row["id"],
        slug=row["slug"],
        title=row["title"],
        price=row["min_price"],
        in_stock=bool(row["in_stock"]),
        image=image,
        category=row["category_slug"],
        region_code=row["region_code"],
        seller=SellerRef(id=row["seller_id"], slug=row["seller_slug"], name=row["seller_name"]),
        rating=Rating(average=average, count=count),
    )


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session:
        yield session


Session = Annotated[AsyncSession, Depends(get_session)]


def create_plain_app(
    database_url: str | None = None, *, public_url: str | None = None, secret: str | None = None
) -> FastAPI:
    """The app; arguments left out come from the BENCH_PLAIN_* environment variables."""
    engine = create_async_engine(
        async_url(database_url or os.environ["BENCH_PLAIN_DATABASE_URL"]),
        pool_size=POOL_SIZE,
        max_overflow=POOL_SIZE,
    )
    base_url = (public_url or os.environ.get("BENCH_PLAIN_PUBLIC_URL", DEFAULT_PUBLIC_URL)).rstrip(
        "/"
    )
    signing_secret = secret or os.environ.get("BENCH_PLAIN_SECRET_KEY", "plain-secret")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    app = FastAPI(lifespan=lifespan)
    app.state.engine = engine
    app.state.sessionmaker = async_sessionmaker(engine, expire_on_commit=False)

    @app.get("/plain/products", response_model=ProductPage)
    async def list_products(session: Session) -> ProductPage:
        rows = list((await session.execute(first_page_query())).mappings())
        next_cursor = None
        if len(rows) > PAGE_SIZE:
            last = rows[PAGE_SIZE - 1]
            values = [last["published_at"].isoformat(), str(last["id"])]
            next_cursor = sign_cursor(signing_secret, "products:newest", values)
        return ProductPage(
            items=[summary(row, base_url) for row in rows[:PAGE_SIZE]], next_cursor=next_cursor
        )

    return app
