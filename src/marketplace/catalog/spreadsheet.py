"""The products file as an Excel workbook (.xlsx): the same header and rows as the CSV
(``csv_format``), on the first sheet. Written and read with openpyxl, never evaluated: formulas
are neither written (formula-like text is neutralised as in CSV) nor run on import."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from marketplace.catalog.csv_format import (
    COLUMNS,
    FileRefused,
    SheetRow,
    neutralised,
    rows_from_records,
)
from marketplace.core.i18n import gettext

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE = "produk"
_ZIP_MAGIC = b"PK\x03\x04"


class WorkbookUnreadable(FileRefused):
    """Not a workbook openpyxl can open (a renamed or damaged file)."""


def looks_like_workbook(raw: bytes) -> bool:
    return raw.startswith(_ZIP_MAGIC)


def format_xlsx(rows: Iterable[Sequence[object]]) -> bytes:
    """A workbook of one sheet: the header in bold-free plain text, then ``rows``."""
    from openpyxl import Workbook  # noqa: PLC0415 (5 MB per worker, loaded on first use)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(neutralised(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_workbook_rows(raw: bytes) -> list[SheetRow]:
    """The rows of the workbook's first sheet, checked like a CSV file's; FileRefused for a
    file that is not a readable workbook."""
    from openpyxl import load_workbook  # noqa: PLC0415 (loaded on first use)
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise WorkbookUnreadable(
            1,
            gettext(
                "This file is not a readable Excel workbook (.xlsx); save it again from Excel."
            ),
        ) from error
    try:
        sheet = workbook.worksheets[0]
        return rows_from_records(_text_rows(sheet.iter_rows(values_only=True)))
    finally:
        workbook.close()


def _text_rows(rows: Iterator[tuple[object, ...]]) -> Iterator[list[str]]:
    for row in rows:
        yield [_text(cell) for cell in row]


def _text(cell: object) -> str:
    """A cell as the CSV would hold it: 25000 not 25000.0, dates as ISO text, empty for None."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return str(cell).lower()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return str(cell)
