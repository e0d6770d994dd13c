"""A seller's products out as CSV or an Excel workbook, one row per variant (the same
columns csv_transfer reads back in)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace import cached_pages
from marketplace.catalog import repository
from marketplace.catalog.csv_format import (
    format_csv,
)
from marketplace.catalog.models import Product, ProductVariant
from marketplace.catalog.spreadsheet import (
    format_xlsx,
)
from marketplace.config import Settings
from marketplace.sellers import service as sellers_service


async def export_products_csv(
    session: AsyncSession,
    seller_id: uuid.UUID,
    *,
    delimiter: str = ",",
    byte_order_mark: bool = False,
) -> str:
    """All of the seller's products in any status, oldest first, variants in position order."""
    rows = await _export_rows(session, seller_id)
    return format_csv(rows, delimiter=delimiter, byte_order_mark=byte_order_mark)


async def export_products_xlsx(session: AsyncSession, seller_id: uuid.UUID) -> bytes:
    """The same rows as the CSV export, as an Excel workbook."""
    return format_xlsx(await _export_rows(session, seller_id))


async def _export_rows(session: AsyncSession, seller_id: uuid.UUID) -> list[list[object]]:
    products = await repository.list_products_of_seller(session, seller_id)
    variants: dict[uuid.UUID, list[ProductVariant]] = {}
    for variant in await repository.list_variants_of_seller(session, seller_id):
        variants.setdefault(variant.product_id, []).append(variant)
    return [
        _export_row(product, category_slug, variant)
        for product, category_slug in products
        for variant in variants.get(product.id, [])
    ]


def _export_row(product: Product, category_slug: str, variant: ProductVariant) -> list[object]:
    return [
        product.slug,
        product.title,
        product.description,
        category_slug,
        product.status.value,
        product.pirt_number or "",
        product.bpom_number or "",
        product.halal_certificate or "",
        variant.name,
        variant.sku or "",
        variant.price,
        variant.stock,
        variant.weight_grams,
    ]


async def run_export(
    settings: Settings,
    seller_slug: str,
    *,
    workbook: bool = False,
    delimiter: str = ",",
    byte_order_mark: bool = False,
) -> str | bytes | None:
    """The command line's export (CSV text, or XLSX bytes); None when no seller has that slug."""
    async with cached_pages.database(settings) as sessionmaker, sessionmaker() as session:
        seller = await sellers_service.get_seller_by_slug(session, seller_slug)
        if seller is None:
            return None
        if workbook:
            return await export_products_xlsx(session, seller.id)
        return await export_products_csv(
            session, seller.id, delimiter=delimiter, byte_order_mark=byte_order_mark
        )
