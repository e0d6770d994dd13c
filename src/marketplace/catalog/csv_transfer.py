"""A seller's products as CSV, one row per variant: the export, and the import that reads the
same format back. Each product is applied on its own, so one bad product is reported by row
and column and skipped while the others still go in."""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.catalog import listings, repository
from marketplace.catalog.models import Product, ProductVariant
from marketplace.catalog.schemas import MAX_VARIANTS, ProductCreate, VariantCreate
from marketplace.config import Settings
from marketplace.core.errors import AppError, PayloadTooLarge, UnsupportedMediaType
from marketplace.core.i18n import translate
from marketplace.db.base import utcnow
from marketplace.db.session import begin_write_transaction, commit, create_engine
from marketplace.db.session import create_sessionmaker as create_db_sessionmaker
from marketplace.sellers import service as sellers_service
from marketplace.sellers.models import Seller

COLUMNS = (
    "product_slug",
    "title",
    "description",
    "category",
    "status",
    "pirt_number",
    "bpom_number",
    "halal_certificate",
    "variant_name",
    "sku",
    "price",
    "stock",
    "weight_grams",
)
PRODUCT_COLUMNS = ("title", "description", "category", "pirt_number", "bpom_number")
ATTRIBUTE_COLUMNS = ("pirt_number", "bpom_number", "halal_certificate")
NUMBER_COLUMNS = ("price", "stock", "weight_grams")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000
# Browsers send .csv files as any of these (Windows with Excel installed: vnd.ms-excel).
CSV_MEDIA_TYPES = frozenset(
    {"text/csv", "text/plain", "application/csv", "application/vnd.ms-excel", "application/x-csv"}
)
_WHOLE_NUMBER = re.compile(r"^[+-]?[0-9]+$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MAX_SLUG_LENGTH = 100
RowCallback = Callable[[int, int], None]
"""Called once per row when it is done: (rows done, rows in the file)."""


class RowError(BaseModel):
    row: int = Field(description="As a spreadsheet numbers it: the header is row 1")
    errors: list[str]


class ImportReport(BaseModel):
    created_products: int = 0
    updated_products: int = 0
    created_variants: int = 0
    updated_variants: int = 0
    errors: list[RowError] = Field(default_factory=list)


# Export ------------------------------------------------------------------------------------


async def export_products_csv(session: AsyncSession, seller_id: uuid.UUID) -> str:
    """All of the seller's products in any status, oldest first, variants in position order."""
    products = await repository.list_products_of_seller(session, seller_id)
    variants: dict[uuid.UUID, list[ProductVariant]] = {}
    for variant in await repository.list_variants_of_seller(session, seller_id):
        variants.setdefault(variant.product_id, []).append(variant)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for product, category_slug in products:
        for variant in variants.get(product.id, []):
            writer.writerow(_export_row(product, category_slug, variant))
    return buffer.getvalue()


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


# Reading the file --------------------------------------------------------------------------


class _FileError(Exception):
    """The whole file is refused: one error, on ``row``."""

    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row = row
        self.message = message


@dataclass(frozen=True, slots=True)
class _Row:
    number: int
    cells: dict[str, str]
    problems: list[str]


def _read_rows(text: str | bytes) -> list[_Row]:
    size = len(text) if isinstance(text, bytes) else len(text.encode())
    if size > MAX_BYTES:
        raise _FileError(1, translate("csv-too-large", max_megabytes=MAX_BYTES // 1024 // 1024))
    decoded = _decode(text) if isinstance(text, bytes) else text.removeprefix("\ufeff")
    records = csv.reader(io.StringIO(decoded, newline=""))
    number = 1
    try:
        header = next(records, [])
        if _trim(header) != list(COLUMNS):
            raise _FileError(1, translate("csv-header-mismatch", columns=",".join(COLUMNS)))
        rows: list[_Row] = []
        for number, cells in enumerate(records, start=2):  # noqa: B007 (read in except)
            if not any(cell.strip() for cell in cells):
                continue  # spreadsheets keep blank lines; they are not rows to import
            if len(rows) == MAX_ROWS:
                raise _FileError(number, translate("csv-too-many-rows", max_rows=MAX_ROWS))
            rows.append(_parse_row(number, cells))
    except csv.Error as error:
        raise _FileError(number + 1, translate("csv-unreadable", reason=str(error))) from error
    return rows


def _decode(raw: bytes) -> str:
    """UTF-8, with or without the byte order mark Excel writes."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start].decode("utf-8-sig")
        raise _FileError(_count_records(before + "x"), translate("csv-not-utf8")) from error


def _count_records(text: str) -> int:
    try:
        return sum(1 for _ in csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return 1


def _trim(cells: list[str]) -> list[str]:
    """The cells without surrounding spaces and without empty cells at the end of the line."""
    stripped = [cell.strip() for cell in cells]
    while stripped and not stripped[-1]:
        stripped.pop()
    return stripped


def _parse_row(number: int, cells: list[str]) -> _Row:
    values = _trim(cells)
    problems = []
    if len(values) > len(COLUMNS):
        found = len(values)
        problems.append(translate("csv-column-count", found=found, expected=len(COLUMNS)))
    values += [""] * (len(COLUMNS) - len(values))
    return _Row(number=number, cells=dict(zip(COLUMNS, values, strict=False)), problems=problems)


# Validating one product's rows -------------------------------------------------------------


@dataclass
class _Group:
    """The rows of one product: same ``product_slug``, or same title when the slug is empty."""

    rows: list[_Row]
    errors: dict[int, list[str]] = field(default_factory=dict)

    @property
    def first(self) -> int:
        return self.rows[0].number

    @property
    def slug(self) -> str:
        return self.rows[0].cells["product_slug"]

    def fail(self, row: int, message: str) -> None:
        self.errors.setdefault(row, []).append(message)

    def report(self) -> dict[int, list[str]]:
        """Its errors; when there are any, every other row says it was skipped too."""
        if not self.errors:
            return {}
        skipped = translate("csv-product-skipped", row=min(self.errors))
        return {row.number: self.errors.get(row.number, [skipped]) for row in self.rows}


def _group_rows(rows: list[_Row]) -> list[_Group]:
    groups: dict[tuple[str, str], _Group] = {}
    for row in rows:
        slug = row.cells["product_slug"]
        key = ("slug", slug) if slug else ("title", row.cells["title"])
        group = groups.setdefault(key, _Group(rows=[]))
        group.rows.append(row)
        for problem in row.problems:
            group.fail(row.number, problem)
    return list(groups.values())


def _check_rows_agree(group: _Group) -> None:
    """Product columns may be left empty on a product's later rows, but not contradict."""
    first = group.rows[0]
    for row in group.rows[1:]:
        for column in (*PRODUCT_COLUMNS, "halal_certificate"):
            value = row.cells[column]
            if value and value != first.cells[column]:
                message = translate("csv-value-differs", row=first.number)
                group.fail(row.number, f"{column}: {message}")


def _check_variants_distinct(group: _Group) -> None:
    seen: dict[tuple[str, str], int] = {}
    for row in group.rows:
        sku = row.cells["sku"]
        key = ("sku", sku) if sku else ("name", row.cells["variant_name"])
        if key in seen:
            column = "sku" if sku else "variant_name"
            message = translate("csv-duplicate-variant", row=seen[key])
            group.fail(row.number, f"{column}: {message}")
        seen.setdefault(key, row.number)


def _product_payload(rows: list[_Row]) -> dict[str, Any]:
    first = rows[0].cells
    payload: dict[str, Any] = {
        name: first[name] for name in ("title", "category") if first[name]
    }
    payload["description"] = first["description"]
    payload["attributes"] = {name: first[name] for name in ATTRIBUTE_COLUMNS if first[name]}
    payload["variants"] = [_variant_payload(row.cells) for row in rows]
    return payload


def _variant_payload(cells: dict[str, str]) -> dict[str, Any]:
    payload: dict[str, Any] = {"name": cells["variant_name"]} if cells["variant_name"] else {}
    if cells["sku"]:
        payload["sku"] = cells["sku"]
    for column in NUMBER_COLUMNS:
        value = cells[column]
        if value:
            # Anything but plain digits ("25.000", "25000.5") reaches Pydantic as text and fails.
            payload[column] = int(value) if _WHOLE_NUMBER.match(value) else value
    return payload


_COLUMN_OF_FIELD = {"name": "variant_name"}


def _locate(rows: list[_Row], error: ErrorDetails) -> tuple[int, str]:
    """The row and the CSV column a Pydantic error of ProductCreate is about."""
    location = error["loc"]
    if location[0] == "variants" and len(location) > 2 and isinstance(location[1], int):
        name = str(location[2])
        return rows[location[1]].number, _COLUMN_OF_FIELD.get(name, name)
    if location[0] == "variants":
        return rows[0].number, "variant_name"
    return rows[0].number, str(location[-1])


def _message(error: ErrorDetails) -> str:
    if error["type"] == "missing":
        return translate("csv-required")
    if error["type"] in ("int_type", "int_parsing", "int_from_float"):
        return translate("csv-whole-number")
    if error["type"] == "too_long" and error["loc"] == ("variants",):
        return translate("csv-too-many-variants", limit=MAX_VARIANTS)
    return error["msg"].removeprefix("Value error, ")


# Applying ----------------------------------------------------------------------------------


@dataclass
class _SellerCatalog:
    """What the import compares rows with, loaded once: products by slug, their variants."""

    seller: Seller
    products: dict[str, Product]
    variants: dict[uuid.UUID, list[ProductVariant]]
    categories: dict[str, uuid.UUID]


async def _load_catalog(session: AsyncSession, seller: Seller) -> _SellerCatalog:
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
    )


def _validate(group: _Group, catalog: _SellerCatalog) -> ProductCreate | None:
    """The rows as the API's ProductCreate; errors are recorded on the group by row and column."""
    _check_rows_agree(group)
    _check_variants_distinct(group)
    try:
        data = ProductCreate.model_validate(_product_payload(group.rows))
    except ValidationError as error:
        for item in error.errors():
            row, column = _locate(group.rows, item)
            group.fail(row, f"{column}: {_message(item)}")
        return None
    if data.category not in catalog.categories:
        group.fail(group.first, f"category: {translate('unknown-category', slug=data.category)}")
    return data


async def _existing_product(
    session: AsyncSession, catalog: _SellerCatalog, group: _Group
) -> Product | None:
    """The seller's product named by ``product_slug``; another seller's is reported unknown."""
    slug = group.slug
    if not slug or slug in catalog.products:
        return catalog.products.get(slug) if slug else None
    found = await repository.get_product_by_slug(session, slug)
    if found is not None and found.seller_id == catalog.seller.id:  # created earlier in this file
        catalog.products[slug] = found
        catalog.variants[found.id] = await repository.list_variants(session, found.id)
        return found
    if found is not None:
        group.fail(group.first, translate("csv-unknown-product", slug=slug))
    elif len(slug) > _MAX_SLUG_LENGTH or not _SLUG.match(slug) or listings.parse_uuid(slug):
        group.fail(group.first, f"product_slug: {translate('csv-invalid-slug')}")
    return None


_Plan = list[tuple[VariantCreate, ProductVariant | None]]


def _match_variants(existing: list[ProductVariant], wanted: list[VariantCreate]) -> _Plan:
    """Each row's variant: the one with its SKU, else one with its name (and no SKU when the
    row has one: that gives an existing variant its SKU); None adds a new variant."""
    free = list(existing)
    plan: _Plan = []
    for item in wanted:
        match = next((v for v in free if item.sku and v.sku == item.sku), None)
        if match is None:
            named = [v for v in free if v.name == item.name and not (item.sku and v.sku)]
            match = min(named, key=lambda v: v.sku is not None, default=None)
        if match is not None:
            free.remove(match)
        plan.append((item, match))
    return plan


async def _check_plan(
    session: AsyncSession, catalog: _SellerCatalog, group: _Group, plan: _Plan
) -> None:
    existing = len({id(v) for _, v in plan if v is not None})
    new = sum(1 for _, variant in plan if variant is None)
    if plan[0][1] is not None or existing:  # an update: count the variants it keeps
        product_id = next(v.product_id for _, v in plan if v is not None)
        if len(catalog.variants[product_id]) + new > MAX_VARIANTS:
            group.fail(group.first, translate("csv-too-many-variants", limit=MAX_VARIANTS))
    wanted = {
        item.sku: row.number
        for (item, variant), row in zip(plan, group.rows, strict=True)
        if item.sku and (variant is None or variant.sku != item.sku)
    }
    for sku in await repository.sku_taken(session, catalog.seller.id, list(wanted)):
        group.fail(wanted[sku], f"sku: {translate('sku-taken.detail', skus=sku)}")


async def import_products_csv(
    session: AsyncSession, seller: Seller, text: str | bytes, *, on_row: RowCallback | None = None
) -> ImportReport:
    """Create or update the seller's products from CSV ``text`` (bytes must be UTF-8). New
    products are drafts; nothing is ever published. Only flushes: the caller commits."""
    report = ImportReport()
    try:
        rows = _read_rows(text)
    except _FileError as error:
        report.errors.append(RowError(row=error.row, errors=[error.message]))
        return report
    catalog = await _load_catalog(session, seller)
    errors: dict[int, list[str]] = {}
    done = 0
    for group in _group_rows(rows):
        await _import_group(session, catalog, group, report)
        errors.update(group.report())
        for _ in group.rows:
            done += 1
            if on_row is not None:
                on_row(done, len(rows))
    report.errors = [RowError(row=row, errors=errors[row]) for row in sorted(errors)]
    return report


async def _import_group(
    session: AsyncSession, catalog: _SellerCatalog, group: _Group, report: ImportReport
) -> None:
    data = _validate(group, catalog)
    product = await _existing_product(session, catalog, group)
    if data is None or group.errors:
        return
    plan = _match_variants(catalog.variants[product.id] if product else [], data.variants)
    await _check_plan(session, catalog, group, plan)
    if group.errors:
        return
    try:
        async with session.begin_nested():
            if product is None:
                await _create(session, catalog.seller, data, group.slug)
                report.created_products += 1
                report.created_variants += len(plan)
                return
            changed, created, updated = await _update(session, catalog, product, data, plan)
    except (AppError, IntegrityError) as error:
        group.fail(group.first, _describe(error))
        return
    report.updated_products += int(changed or created > 0 or updated > 0)
    report.created_variants += created
    report.updated_variants += updated


def _describe(error: AppError | IntegrityError) -> str:
    if isinstance(error, IntegrityError):
        return translate("csv-conflict")
    if error.errors:
        return "; ".join(str(item["msg"]) for item in error.errors)
    return error.render_detail() or error.render_title()


async def _create(session: AsyncSession, seller: Seller, data: ProductCreate, slug: str) -> None:
    """A draft, through the same service as the API; it keeps the file's slug when given, so
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
    """(product fields changed, variants created, variants updated); unchanged rows write
    nothing, so re-importing an export leaves every row and timestamp as it was."""
    changed = _set_changed(product, _product_fields(data, catalog.categories[data.category]))
    variants = catalog.variants[product.id]
    position = max((variant.position for variant in variants), default=-1) + 1
    created = updated = 0
    for item, variant in plan:
        if variant is not None:
            fields = item.model_dump(exclude={"sku"} if item.sku is None else set())
            updated += int(_set_changed(variant, fields))
            continue
        new = ProductVariant(product_id=product.id, seller_id=product.seller_id, position=position)
        _set_changed(new, item.model_dump())
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
        if getattr(target, name, None) != value:
            setattr(target, name, value)
            changed = True
    return changed


# Uploads and the command line --------------------------------------------------------------


async def import_products_upload(
    session: AsyncSession,
    seller: Seller,
    raw: bytes,
    content_type: str | None,
    filename: str | None,
) -> ImportReport:
    """The API's import: 413 past the size limit, 415 for anything but CSV text."""
    if len(raw) > MAX_BYTES:
        megabytes = MAX_BYTES // 1024 // 1024
        raise PayloadTooLarge(translate("csv-too-large", max_megabytes=megabytes))
    media_type = (content_type or "").partition(";")[0].strip().lower()
    named_csv = (filename or "").lower().endswith((".csv", ".txt"))
    declared = media_type in CSV_MEDIA_TYPES or (
        media_type in ("", "application/octet-stream") and named_csv
    )
    # Text never holds NUL bytes; spreadsheets (.xlsx) and UTF-16 "Unicode text" do.
    if not declared or b"\x00" in raw:
        raise UnsupportedMediaType(translate("csv-wrong-type"))
    return await import_products_csv(session, seller, raw)


async def run_import(
    settings: Settings, seller_slug: str, raw: bytes, on_row: RowCallback | None = None
) -> ImportReport | None:
    """The command line's import, in one transaction; None when no seller has that slug."""
    engine = create_engine(settings)
    try:
        async with create_db_sessionmaker(engine)() as session:
            await begin_write_transaction(session)
            seller = await sellers_service.get_seller_by_slug(session, seller_slug)
            if seller is None:
                return None
            report = await import_products_csv(session, seller, raw, on_row=on_row)
            await commit(session)
            return report
    finally:
        await engine.dispose()


async def run_export(settings: Settings, seller_slug: str) -> str | None:
    """The command line's export; None when no seller has that slug."""
    engine = create_engine(settings)
    try:
        async with create_db_sessionmaker(engine)() as session:
            seller = await sellers_service.get_seller_by_slug(session, seller_slug)
            return await export_products_csv(session, seller.id) if seller else None
    finally:
        await engine.dispose()
