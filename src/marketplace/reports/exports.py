"""A sales report as a download: CSV (UTF-8 with BOM, so spreadsheet programs read it right)
or XLSX (openpyxl), the same rows and the totals last."""

from __future__ import annotations

import csv
import io

from marketplace.reports.service import DateRange, Figures, GroupBy, SalesReport

COLUMNS = (
    "key",
    "label",
    "orders",
    "units",
    "gross",
    "refunds",
    "net",
    "buyers",
    "sellers",
    "average_order_value",
    "buyers_outside_province",
)


# A cell starting with one of these is a formula to spreadsheet programs (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _values(row: Figures) -> list[str | int]:
    return [
        _text(row.key),
        _text(row.label),
        row.orders,
        row.units,
        row.gross,
        row.refunds,
        row.net,
        row.buyers,
        row.sellers,
        row.average_order_value,
        row.buyers_outside_province,
    ]


def _rows(report: SalesReport) -> list[list[str | int]]:
    return [_values(row) for row in [*report.items, report.totals]]


def file_name(group_by: GroupBy, period: DateRange, extension: str) -> str:
    dates = f"{period.first.isoformat()}_{period.last.isoformat()}"
    return f"laporan-penjualan-{group_by.value}-{dates}.{extension}"


def to_csv(report: SalesReport) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(_rows(report))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(report: SalesReport) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 (5 MB per worker, loaded on first use)

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Penjualan"
    sheet.append(list(COLUMNS))
    for values in _rows(report):
        sheet.append(values)
    for row in sheet.iter_rows(min_row=2, min_col=5, max_col=7):
        for cell in row:
            cell.number_format = '"Rp" #,##0'
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
