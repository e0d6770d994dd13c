"""Every console page in one router for the app: the seller console under ``/penjual/``."""

from __future__ import annotations

from fastapi import APIRouter

from marketplace.consoles import (
    seller_home,
    seller_import,
    seller_money,
    seller_orders,
    seller_products,
    seller_team,
)

router = APIRouter(include_in_schema=False)
router.include_router(seller_home.router)
router.include_router(seller_products.router)
router.include_router(seller_orders.router)
router.include_router(seller_money.router)
router.include_router(seller_team.router)
router.include_router(seller_import.router)
