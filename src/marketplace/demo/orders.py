"""The demo's orders, one in each interesting state: to ship (cash on delivery), awaiting a
bank transfer, completed, and cancelled."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts import service as accounts_service
from marketplace.accounts.models import User
from marketplace.catalog.models import Product, ProductStatus, ProductVariant
from marketplace.core.rate_limit import RateLimiter
from marketplace.orders import lifecycle, placement
from marketplace.orders import service as orders_service
from marketplace.orders.idempotency import IdempotentRequest, body_hash, caller_of
from marketplace.orders.schemas import Buyer, OrderCreate, OrderLine, ShippingAddress
from marketplace.payments import service as payments_service
from marketplace.payments.models import PaymentMethod
from marketplace.payments.service import PaymentRuntime

_ADDRESS = ShippingAddress(
    recipient="Budi Santoso",
    phone="0812-7111-2222",
    street="Jl. Jenderal Sudirman No. 12",
    village="Batin Tikal",
    district="Taman Sari",
    city="Kota Pangkalpinang",
    province="Kepulauan Bangka Belitung",
    postal_code="33121",
)


async def _first_variants(session: AsyncSession, count: int) -> list[uuid.UUID]:
    """One variant from each of the first ``count`` sellers with published products."""
    rows = await session.execute(
        select(ProductVariant.id, ProductVariant.seller_id)
        .join(Product, Product.id == ProductVariant.product_id)
        .where(Product.status == ProductStatus.PUBLISHED, ProductVariant.stock > 5)
        .order_by(ProductVariant.seller_id, ProductVariant.id)
    )
    picked: dict[uuid.UUID, uuid.UUID] = {}
    for variant_id, seller_id in rows.all():
        picked.setdefault(seller_id, variant_id)
    return list(picked.values())[:count]


async def _place(
    session: AsyncSession,
    runtime: PaymentRuntime,
    buyer: User | None,
    variants: list[uuid.UUID],
    method: PaymentMethod,
) -> uuid.UUID:
    body = OrderCreate(
        items=[OrderLine(variant_id=variant_id, quantity=2) for variant_id in variants],
        buyer=Buyer(name="Budi Santoso", email="pembeli@demo-babel.id", phone="081271112222"),
        shipping_address=_ADDRESS,
        payment_method=method,
    )
    request = IdempotentRequest(
        caller=caller_of(buyer.id if buyer else None),
        scope=placement.ORDER_SCOPE,
        key=str(uuid.uuid4()),
        request_hash=body_hash(body),
    )
    checkout = placement.Checkout(
        settings=runtime.settings,
        payments=runtime,
        limiter=RateLimiter.in_memory(),
        buyer=buyer,
        client_address="demo",
    )
    placed = await placement.place_order(session, checkout, body, request)
    return uuid.UUID(str(placed.body["id"]))


async def seed_orders(
    session: AsyncSession, runtime: PaymentRuntime, buyer_email: str, admin_email: str
) -> None:
    buyer = await accounts_service.find_user_by_email(session, buyer_email)
    admin = await accounts_service.find_user_by_email(session, admin_email)
    variants = await _first_variants(session, 4)
    if buyer is None or admin is None or len(variants) < 4:
        return
    await _place(session, runtime, buyer, variants[:2], PaymentMethod.COD)
    await _place(session, runtime, buyer, [variants[2]], PaymentMethod.BANK_TRANSFER)
    completed = await _place(session, runtime, buyer, [variants[3]], PaymentMethod.BANK_TRANSFER)
    await _complete(session, runtime, admin, completed)
    cancelled = await _place(session, runtime, None, [variants[0]], PaymentMethod.BANK_TRANSFER)
    order = await orders_service.lock_order(session, cancelled)
    if order is not None:
        await lifecycle.cancel_order(session, runtime, order, "buyer")


async def _complete(
    session: AsyncSession, runtime: PaymentRuntime, admin: User, order_id: uuid.UUID
) -> None:
    order = await orders_service.lock_order(session, order_id)
    if order is None:
        return
    payment = (await payments_service.latest_payments(session, [order.id]))[order.id]
    await orders_service.confirm_bank_transfer(session, runtime, admin, str(payment.id))
    for part in await lifecycle.seller_orders(session, order):
        await lifecycle.ship(session, order, part, "JNE", f"JNE{str(part.id)[-8:].upper()}")
        await lifecycle.deliver(session, runtime, order, part)


async def seed_featured(session: AsyncSession, admin_email: str, count: int = 8) -> None:
    """The curated page the government site embeds: one product from each seller first."""
    from marketplace.featured import service as featured_service  # noqa: PLC0415
    from marketplace.featured.schemas import FeaturedEntryCreate  # noqa: PLC0415

    admin = await accounts_service.find_user_by_email(session, admin_email)
    rows = await session.execute(
        select(Product.id, Product.seller_id)
        .where(Product.status == ProductStatus.PUBLISHED)
        .order_by(Product.created_at)
    )
    firsts: dict[uuid.UUID, uuid.UUID] = {}
    others: list[uuid.UUID] = []
    for product_id, seller_id in rows.all():
        if seller_id in firsts:
            others.append(product_id)
        else:
            firsts[seller_id] = product_id
    if admin is None:
        return
    for product_id in [*firsts.values(), *others][:count]:
        await featured_service.create_entry(
            session, admin, FeaturedEntryCreate(product_id=product_id)
        )
