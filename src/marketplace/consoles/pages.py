"""The seller console's routers under ``/penjual/``, in the order the app includes them (each
on its own: see ``marketplace.api.API_ROUTERS`` for why not through one router)."""

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

ROUTERS: tuple[APIRouter, ...] = (
    seller_home.router,
    seller_products.router,
    seller_orders.router,
    seller_money.router,
    seller_team.router,
    seller_import.router,
)
