"""A seller's products as CSV (format in ``csv_format``): the export, and the import that reads
the same file back. The import creates and updates but never publishes or deletes. Each product
is applied in a savepoint of its own, so a bad product is reported and skipped while the others
still go in."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace import cached_pages
from marketplace.catalog import listings, repository, review_rules
from marketplace.catalog.csv_format import (
    ATTRIBUTE_COLUMNS,
    MAX_BYTES,
    MAX_MEGABYTES,
    FileRefused,
    ProductRows,
    group_rows,
    read_rows,
    validate_product,
)
from marketplace.catalog.models import Product, ProductVariant
from marketplace.catalog.schemas import MAX_VARIANTS, ProductCreate, VariantCreate
from marketplace.catalog.spreadsheet import (
    XLSX_MEDIA_TYPE,
    WorkbookUnreadable,
    looks_like_workbook,
    read_workbook_rows,
)
from marketplace.config import ListingReview, Settings
from marketplace.core.errors import AppError, PayloadTooLarge, UnsupportedMediaType
from marketplace.core.i18n import gettext
from marketplace.db.base import parse_id, utcnow
from marketplace.db.session import (
    begin_write_transaction,
    commit,
)
from marketplace.sellers import service as sellers_service
from marketplace.sellers.models import Seller

# Browsers label .csv files with any of these (Windows with Excel installed: vnd.ms-excel).
CSV_MEDIA_TYPES = frozenset(
    {"text/csv", "text/plain", "application/csv", "application/vnd.ms-excel", "application/x-csv"}
)
MAX_UPLOAD_BYTES = MAX_BYTES
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MAX_SLUG_LENGTH = 100
RowCallback = Callable[[int, int], None]
"""Called once per row when it is done, with (rows done, rows in the file)."""


class RowError(BaseModel):
    row: int = Field(description="As a spreadsheet numbers it: the header is row 1")
    errors: list[str]


class ImportReport(BaseModel):
    created_products: int = 0
    updated_products: int = 0
    created_variants: int = 0
    updated_variants: int = 0
    errors: list[RowError] = Field(default_factory=list)


@dataclass
class _SellerCatalog:
    """What rows are compared with, loaded once: the seller's products and their variants."""

    seller: Seller
    products: dict[str, Product]
    variants: dict[uuid.UUID, list[ProductVariant]]
    categories: dict[str, uuid.UUID]
    review: ListingReview


async def _load_catalog(
    session: AsyncSession, seller: Seller, review: ListingReview
) -> _SellerCatalog:
    products = await repository.list_products_of_seller(session, seller.id)
    variants: dict[uuid.UUID, list[ProductVariant]] = {product.id: [] for product, _ in products}
    for variant in await repository.list_variants_of_seller(session, seller.id):
        variants[variant.product_id].append(variant)
    categories = await repository.list_categories_with_parent_slug(session)
    return _SellerCatalog(
        seller=seller,
        products={product.slug: product for product, _ in products},
        variants=variants,
        categories={category.slug: category.id for category, _ in categories},
        review=review,
    )


async def import_products_csv(
    session: AsyncSession,
    seller: Seller,
    text: str | bytes,
    *,
    review: ListingReview,
    on_row: RowCallback | None = None,
) -> ImportReport:
    """Create and update the seller's products from CSV ``text`` (bytes must be UTF-8) or an
    XLSX workbook's bytes; new products are drafts, and a public product's new title or
    description follows the same review rules as an edit through the API. Only flushes: the
    caller commits, also when some rows failed."""
    report = ImportReport()
    try:
        workbook = isinstance(text, bytes) and looks_like_workbook(text)
        rows = read_workbook_rows(text) if isinstance(text, bytes) and workbook else read_rows(text)
    except FileRefused as error:
        report.errors.append(RowError(row=error.row, errors=[error.message]))
        return report
    catalog = await _load_catalog(session, seller, review)
    errors: dict[int, list[str]] = {}
    done = 0
    for group in group_rows(rows):
        await _import_product(session, catalog, group, report)
        errors.update(group.report())
        for _ in group.rows:
            done += 1
            if on_row is not None:
                on_row(done, len(rows))
    report.errors = [RowError(row=row, errors=errors[row]) for row in sorted(errors)]
    return report


async def _import_product(
    session: AsyncSession, catalog: _SellerCatalog, group: ProductRows, report: ImportReport
) -> None:
    data = validate_product(group)
    if data is not None and data.category not in catalog.categories:
        group.fail(
            group.first,
            "category: " + gettext("Category '%(slug)s' is unknown.", slug=data.category),
        )
    product = await _existing_product(session, catalog, group)
    if data is None or group.errors:
        return
    plan = await _plan_variants(session, catalog, group, product, data)
    if group.errors:
        return
    try:
        async with session.begin_nested():
            if product is None:
                await _create(session, catalog.seller, data, group.slug)
                changed, created, updated = True, len(plan), 0
            else:
                changed, created, updated = await _update(session, catalog, product, data, plan)
    except (AppError, IntegrityError) as error:
        group.fail(group.first, _describe(error))
        return
    report.created_products += int(product is None)
    report.updated_products += int(product is not None and (changed or created + updated > 0))
    report.created_variants += created
    report.updated_variants += updated


async def _existing_product(
    session: AsyncSession, catalog: _SellerCatalog, group: ProductRows
) -> Product | None:
    """The seller's product named by ``product_slug``, or None to create one. Another seller's
    product is an error that calls it unknown rather than saying whose it is."""
    slug = group.slug
    if not slug or slug in catalog.products:
        return catalog.products.get(slug) if slug else None
    found = await repository.get_product_by_slug(session, slug)
    if found is not None and found.seller_id == catalog.seller.id:  # created earlier in the file
        catalog.products[slug] = found
        catalog.variants[found.id] = await repository.list_variants(session, found.id)
        return found
    if found is not None:
        group.fail(
            group.first, "product_slug: " + gettext("product '%(slug)s' is unknown", slug=slug)
        )
    elif len(slug) > _MAX_SLUG_LENGTH or not _SLUG.match(slug) or parse_id(slug) is not None:
        group.fail(
            group.first,
            "product_slug: "
            + gettext("only lowercase letters, digits and hyphens (at most 100 characters)"),
        )
    return None


_Plan = list[tuple[VariantCreate, ProductVariant | None]]


def _match_variants(existing: list[ProductVariant], wanted: list[VariantCreate]) -> _Plan:
    """Each row's variant: the one with its SKU, else one with its name (without a SKU when the
    row has one, which that variant then gets). None: the row adds a variant."""
    free = list(existing)
    plan: _Plan = []
    for item in wanted:
        match = next((v for v in free if item.sku and v.sku == item.sku), None)
        if match is None:
            named = [v for v in free if v.name == item.name and not (item.sku and v.sku)]
            match = min(named, key=lambda variant: variant.sku is not None, default=None)
        if match is not None:
            free.remove(match)
        plan.append((item, match))
    return plan


async def _plan_variants(
    session: AsyncSession,
    catalog: _SellerCatalog,
    group: ProductRows,
    product: Product | None,
    data: ProductCreate,
) -> _Plan:
    """Which variant each row changes; errors for SKUs used elsewhere and too many variants."""
    existing = catalog.variants[product.id] if product else []
    plan = _match_variants(existing, data.variants)
    if len(existing) + sum(1 for _, variant in plan if variant is None) > MAX_VARIANTS:
        group.fail(
            group.first,
            gettext("A product can have at most %(limit)s variants.", limit=MAX_VARIANTS),
        )
    wanted = {
        item.sku: row.number
        for (item, variant), row in zip(plan, group.rows, strict=True)
        if item.sku and (variant is None or variant.sku != item.sku)
    }
    taken = await repository.sku_taken(session, catalog.seller.id, list(wanted)) if wanted else []
    for sku in taken:
        group.fail(
            wanted[sku],
            "sku: "
            + gettext("SKU %(skus)s is already used by another product of this seller.", skus=sku),
        )
    return plan


def _describe(error: AppError | IntegrityError) -> str:
    if isinstance(error, IntegrityError):
        return gettext("Conflicted with another change made at the same time; import again.")
    if error.errors:
        return "; ".join(str(item["msg"]) for item in error.errors)
    return error.render_detail() or error.render_title()


async def _create(session: AsyncSession, seller: Seller, data: ProductCreate, slug: str) -> None:
    """A draft, through the API's own service. It keeps the file's slug when there is one, so
    importing the same file again updates the product instead of adding a second one."""
    product = await listings.create_product(session, seller, data)
    if slug and product.slug != slug:
        product.slug = slug
        await session.flush()


async def _update(
    session: AsyncSession,
    catalog: _SellerCatalog,
    product: Product,
    data: ProductCreate,
    plan: _Plan,
) -> tuple[bool, int, int]:
    """(product fields changed, variants created, variants updated). Unchanged values are not
    written, so importing an export again leaves rows and timestamps as they were."""
    fields = _product_fields(data, catalog.categories[data.category])
    content = {name: fields.pop(name) for name in review_rules.CONTENT_FIELDS}
    changed = _set_changed(product, fields)
    if any(getattr(product, name) != value for name, value in content.items()):
        await review_rules.apply_or_hold_content(session, product, content, catalog.review)
        changed = True
    variants = catalog.variants[product.id]
    position = max((variant.position for variant in variants), default=-1) + 1
    created = updated = 0
    for item, variant in plan:
        if variant is not None:
            fields = item.model_dump(exclude={"sku"} if item.sku is None else set())
            updated += int(_set_changed(variant, fields))
            continue
        new = ProductVariant(
            product_id=product.id,
            seller_id=product.seller_id,
            position=position,
            **item.model_dump(),
        )
        session.add(new)
        variants.append(new)
        position, created = position + 1, created + 1
    if changed or created or updated:
        product.min_price = min(variant.price for variant in variants)
        product.updated_at = utcnow()
    await session.flush()
    return changed, created, updated


def _product_fields(data: ProductCreate, category_id: uuid.UUID) -> dict[str, Any]:
    attributes = data.attributes.model_dump() if data.attributes else {}
    return {
        "title": data.title,
        "description": data.description,
        "category_id": category_id,
        **{name: attributes.get(name) for name in ATTRIBUTE_COLUMNS},
    }


def _set_changed(target: Product | ProductVariant, fields: dict[str, Any]) -> bool:
    changed = False
    for name, value in fields.items():
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed = True
    return changed


async def import_products_upload(
    session: AsyncSession,
    seller: Seller,
    raw: bytes,
    content_type: str | None,
    filename: str | None,
    review: ListingReview,
) -> ImportReport:
    """The API's import of an uploaded file: 413 past the size limit, 415 unless CSV text or
    a readable XLSX workbook."""
    if len(raw) > MAX_UPLOAD_BYTES:
        raise PayloadTooLarge(
            gettext(
                "A CSV file may be at most %(max_megabytes)s MB; split it into several files.",
                max_megabytes=MAX_MEGABYTES,
            )
        )
    media_type = (content_type or "").partition(";")[0].strip().lower()
    named_xlsx = (filename or "").lower().endswith(".xlsx")
    if (media_type == XLSX_MEDIA_TYPE or named_xlsx) and looks_like_workbook(raw):
        try:
            read_workbook_rows(raw)
        except WorkbookUnreadable as error:
            raise UnsupportedMediaType(error.message) from error
        except FileRefused:
            pass  # a readable workbook with a bad header or rows: reported by row below
        return await import_products_csv(session, seller, raw, review=review)
    named_csv = (filename or "").lower().endswith((".csv", ".txt"))
    declared = media_type in CSV_MEDIA_TYPES or (
        media_type in ("", "application/octet-stream") and named_csv
    )
    # Text never holds NUL bytes; a workbook (.xlsx) or UTF-16 "Unicode text" does.
    if not declared or b"\x00" in raw:
        raise UnsupportedMediaType(
            gettext(
                "Upload a CSV file as UTF-8 text (in Excel: Save As > CSV "
                "UTF-8) or an Excel workbook (.xlsx)."
            )
        )
    return await import_products_csv(session, seller, raw, review=review)


async def run_import(
    settings: Settings, seller_slug: str, raw: bytes, on_row: RowCallback | None = None
) -> ImportReport | None:
    """The command line's import, in one transaction; None when no seller has that slug."""
    async with cached_pages.database(settings) as sessionmaker, sessionmaker() as session:
        await begin_write_transaction(session)
        seller = await sellers_service.get_seller_by_slug(session, seller_slug)
        if seller is None:
            return None
        report = await import_products_csv(
            session, seller, raw, review=settings.listing_review, on_row=on_row
        )
        await commit(session)
        return report
