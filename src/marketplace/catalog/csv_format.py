"""The products CSV: one row per variant under a fixed header. Reading it (UTF-8, with or
without Excel's byte order mark, comma- or semicolon-separated as Excel saves it in an
Indonesian locale), grouping rows by product, and checking each product's rows
with the API's own schema so every error names its row (as a spreadsheet numbers it: the header
is row 1) and its column."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from marketplace.catalog.schemas import MAX_VARIANTS, ProductCreate
from marketplace.core.i18n import gettext
from marketplace.core.validation_messages import validation_message

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
ATTRIBUTE_COLUMNS = ("pirt_number", "bpom_number", "halal_certificate")
PRODUCT_COLUMNS = ("title", "description", "category", *ATTRIBUTE_COLUMNS)
NUMBER_COLUMNS = ("price", "stock", "weight_grams")
MAX_BYTES = 2 * 1024 * 1024
MAX_MEGABYTES = MAX_BYTES // (1024 * 1024)
MAX_ROWS = 5_000
_WHOLE_NUMBER = re.compile(r"^[+-]?[0-9]+$")
_COLUMN_OF_FIELD = {"name": "variant_name"}


class CsvSeparator(StrEnum):
    COMMA = "comma"
    SEMICOLON = "semicolon"

    @property
    def character(self) -> str:
        return ";" if self is CsvSeparator.SEMICOLON else ","


# A cell starting with one of these runs as a formula in a spreadsheet (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(cell: object) -> object:
    """Text that a spreadsheet would run gets a leading apostrophe (shown, not executed)."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_STARTS):
        return "'" + cell
    return cell


def _restore(cell: str) -> str:
    """Undo ``_neutralise`` on import, so an exported file imports unchanged."""
    if cell.startswith("'") and cell[1:].startswith(_FORMULA_STARTS):
        return cell[1:]
    return cell


def format_csv(
    rows: Iterable[Sequence[object]], *, delimiter: str = ",", byte_order_mark: bool = False
) -> str:
    """The header, then ``rows``, with formula-like text neutralised. ``;`` and a byte order
    mark make the file open in columns in Excel set to an Indonesian locale."""
    buffer = io.StringIO()
    if byte_order_mark:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(COLUMNS)
    writer.writerows(neutralised(row) for row in rows)
    return buffer.getvalue()


def neutralised(row: Sequence[object]) -> list[object]:
    """One exported row with formula-like text made inert (CSV and XLSX alike)."""
    return [_neutralise(cell) for cell in row]


class FileRefused(Exception):
    """The whole file is refused, with one error on ``row``."""

    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row = row
        self.message = message


@dataclass(frozen=True, slots=True)
class SheetRow:
    number: int
    cells: dict[str, str]
    problems: list[str]


def read_rows(text: str | bytes) -> list[SheetRow]:
    """The non-blank rows under a matching header; FileRefused for a file not to read at all."""
    size = len(text) if isinstance(text, bytes) else len(text.encode())
    if size > MAX_BYTES:
        raise FileRefused(
            1,
            gettext(
                "A CSV file may be at most %(max_megabytes)s MB; split it into several files.",
                max_megabytes=MAX_MEGABYTES,
            ),
        )
    decoded = _decode(text) if isinstance(text, bytes) else text.removeprefix("\ufeff")
    records = csv.reader(io.StringIO(decoded, newline=""), delimiter=_delimiter_of(decoded))
    try:
        return rows_from_records(records)
    except _UnreadableRecord as error:
        raise FileRefused(
            error.row, gettext("This row cannot be read as CSV: %(reason)s", reason=error.reason)
        ) from error


def _delimiter_of(text: str) -> str:
    """``;`` when the header line has more semicolons than commas (Excel in a locale whose
    decimal separator is a comma, as in Indonesia), else ``,``."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


class _UnreadableRecord(Exception):
    def __init__(self, row: int, reason: str) -> None:
        super().__init__(reason)
        self.row = row
        self.reason = reason


def rows_from_records(records: Iterator[list[str]]) -> list[SheetRow]:
    """The non-blank rows under a matching header, from any source of text cells (CSV lines,
    worksheet rows)."""
    number = 0  # the last row read: the next one is the one that could not be read
    try:
        if _trim(next(records, [])) != list(COLUMNS):
            raise FileRefused(
                1, gettext("The header row must be exactly: %(columns)s", columns=",".join(COLUMNS))
            )
        rows: list[SheetRow] = []
        for number, cells in enumerate(records, start=2):
            if not any(cell.strip() for cell in cells):
                continue  # spreadsheets keep blank lines; there is nothing to import in them
            if len(rows) == MAX_ROWS:
                raise FileRefused(
                    number,
                    gettext(
                        "A CSV file may have at most %(max_rows)s rows; split it "
                        "into several files.",
                        max_rows=MAX_ROWS,
                    ),
                )
            rows.append(_parse_row(number, cells))
    except csv.Error as error:
        raise _UnreadableRecord(number + 1, str(error)) from error
    return rows


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start].decode("utf-8-sig")
        raise FileRefused(
            _count_records(before + "x"),
            gettext("The text on this row is not UTF-8. Save the file as CSV UTF-8."),
        ) from error


def _count_records(text: str) -> int:
    try:
        return sum(1 for _ in csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return 1


def _trim(cells: list[str]) -> list[str]:
    """The cells without surrounding spaces and without empty cells at the end of the line."""
    stripped = [_restore(cell.strip()) for cell in cells]
    while stripped and not stripped[-1]:
        stripped.pop()
    return stripped


def _parse_row(number: int, cells: list[str]) -> SheetRow:
    values = _trim(cells)
    problems = []
    if len(values) > len(COLUMNS):
        found = len(values)
        problems.append(
            gettext(
                "This row has %(found)s columns instead of %(expected)s.",
                found=found,
                expected=len(COLUMNS),
            )
        )
    values += [""] * (len(COLUMNS) - len(values))
    cells_by_column = dict(zip(COLUMNS, values, strict=False))
    return SheetRow(number=number, cells=cells_by_column, problems=problems)


@dataclass
class ProductRows:
    """The rows of one product: the same ``product_slug``, or the same title when it is empty."""

    rows: list[SheetRow]
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
        """Its errors; when there are any, each of its other rows says it was skipped too."""
        if not self.errors:
            return {}
        skipped = gettext("Skipped: this product has errors on row %(row)s.", row=min(self.errors))
        return {row.number: self.errors.get(row.number, [skipped]) for row in self.rows}


def group_rows(rows: list[SheetRow]) -> list[ProductRows]:
    """Rows by product, in the order each product first appears."""
    groups: dict[tuple[str, str], ProductRows] = {}
    for row in rows:
        slug = row.cells["product_slug"]
        key = ("slug", slug) if slug else ("title", row.cells["title"])
        group = groups.setdefault(key, ProductRows(rows=[]))
        group.rows.append(row)
        for problem in row.problems:
            group.fail(row.number, problem)
    return list(groups.values())


def validate_product(group: ProductRows) -> ProductCreate | None:
    """The rows as the API's ProductCreate, or None with the errors recorded on ``group``."""
    _check_rows_agree(group)
    _check_variants_distinct(group)
    try:
        return ProductCreate.model_validate(_product_payload(group.rows))
    except ValidationError as error:
        for item in error.errors():
            row, column = _locate(group.rows, item)
            group.fail(row, f"{column}: {_message(item)}")
        return None


def _check_rows_agree(group: ProductRows) -> None:
    """Product columns come from a product's first row. Later rows may leave them empty, but
    a different value is an error rather than silently ignored."""
    first = group.rows[0]
    for row in group.rows[1:]:
        for column in PRODUCT_COLUMNS:
            value = row.cells[column]
            if value and value != first.cells[column]:
                message = gettext(
                    "differs from row %(row)s of the same product; leave it "
                    "empty or make it the same",
                    row=first.number,
                )
                group.fail(row.number, f"{column}: {message}")


def _check_variants_distinct(group: ProductRows) -> None:
    seen: dict[tuple[str, str], int] = {}
    for row in group.rows:
        sku = row.cells["sku"]
        key = ("sku", sku) if sku else ("name", row.cells["variant_name"])
        if key in seen:
            message = gettext("the same variant is already on row %(row)s", row=seen[key])
            group.fail(row.number, f"{'sku' if sku else 'variant_name'}: {message}")
        seen.setdefault(key, row.number)


def _product_payload(rows: list[SheetRow]) -> dict[str, Any]:
    first = rows[0].cells
    payload: dict[str, Any] = {name: first[name] for name in ("title", "category") if first[name]}
    payload["description"] = first["description"]
    payload["attributes"] = {name: first[name] for name in ATTRIBUTE_COLUMNS if first[name]}
    payload["variants"] = [_variant_payload(row.cells) for row in rows]
    return payload


_MAX_NUMBER_DIGITS = 18


def _variant_payload(cells: dict[str, str]) -> dict[str, Any]:
    payload: dict[str, Any] = {"name": cells["variant_name"]} if cells["variant_name"] else {}
    if cells["sku"]:
        payload["sku"] = cells["sku"]
    for column in NUMBER_COLUMNS:
        value = cells[column]
        if value:
            # "25.000" or "25000.5" reach the schema as text, which its strict integers refuse;
            # so do absurdly long numbers (int() of 5,000 digits raises, it does not refuse).
            is_number = _WHOLE_NUMBER.match(value) and len(value) <= _MAX_NUMBER_DIGITS
            payload[column] = int(value) if is_number else value
    return payload


def _locate(rows: list[SheetRow], error: ErrorDetails) -> tuple[int, str]:
    """The row and the column a ProductCreate error is about."""
    location = error["loc"]
    if location[0] == "variants" and len(location) > 2 and isinstance(location[1], int):
        name = str(location[2])
        return rows[location[1]].number, _COLUMN_OF_FIELD.get(name, name)
    if location[0] == "variants":
        return rows[0].number, "variant_name"
    return rows[0].number, str(location[-1])


def _message(error: ErrorDetails) -> str:
    if error["type"] == "missing":
        return gettext("required")
    if error["type"] in ("int_type", "int_parsing", "int_from_float"):
        return gettext("must be a whole number, without dots, commas or decimals")
    if error["type"] == "too_long" and error["loc"] == ("variants",):
        return gettext("A product can have at most %(limit)s variants.", limit=MAX_VARIANTS)
    return validation_message(error)
