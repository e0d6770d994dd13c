"""What a seller should do now, gathered for the console's home from the domains' services."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.catalog import browsing
from marketplace.catalog import service as catalog_service
from marketplace.catalog.models import Product, ProductStatus, ProductVariant
from marketplace.catalog.schemas import ProductListing
from marketplace.complaints import service as complaints_service
from marketplace.complaints.models import ComplaintStatus
from marketplace.consoles.web import Console
from marketplace.orders import service as orders_service
from marketplace.orders.models import SellerOrderStatus
from marketplace.payments import ledger
from marketplace.sellers.models import Seller

# Counts on the home stop here ("50+"): the lists behind them show everything.
COUNT_CAP = 50
LOW_STOCK_UNITS = 3


@dataclass(frozen=True)
class Overview:
    to_ship: int
    open_complaints: int
    low_stock: list[tuple[Product, ProductVariant]]
    held: list[ProductListing]  # in review or taken down: the seller should look
    pending: int
    available: int


async def overview(session: AsyncSession, console: Console, seller: Seller) -> Overview:
    to_ship = await orders_service.list_seller_orders(
        session,
        console.codec("seller-orders"),
        seller.id,
        seller.name,
        SellerOrderStatus.TO_SHIP,
        COUNT_CAP,
        None,
    )
    complaints = await complaints_service.complaint_page(
        session,
        console.codec("complaints"),
        seller_id=seller.id,
        status=ComplaintStatus.OPEN,
        limit=COUNT_CAP,
        cursor=None,
    )
    held = [
        listing
        for status in (ProductStatus.IN_REVIEW, ProductStatus.REMOVED)
        for listing in (
            await browsing.list_seller_products(
                session,
                console.codec("seller-products"),
                console.storage,
                seller.id,
                status=status,
                limit=COUNT_CAP,
                cursor=None,
            )
        ).items
    ]
    balance = await ledger.balance(session, seller.id)
    return Overview(
        to_ship=len(to_ship.items),
        open_complaints=len(complaints.items),
        low_stock=await catalog_service.low_stock_variants(session, seller.id, LOW_STOCK_UNITS),
        held=held,
        pending=balance.pending,
        available=balance.available,
    )
