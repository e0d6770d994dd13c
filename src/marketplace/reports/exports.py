"""A sales report as a download: CSV (UTF-8 with BOM, so spreadsheet programs read it right)
or XLSX (openpyxl), the same rows and the totals last."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from marketplace.reports.service import Figures, SalesReport

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


def _values(row: Figures) -> list[str | int]:
    return [
        row.key,
        row.label,
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


def file_name(report: SalesReport, extension: str) -> str:
    period = f"{report.period.first.isoformat()}_{report.period.last.isoformat()}"
    return f"laporan-penjualan-{report.group_by.value}-{period}.{extension}"


def to_csv(report: SalesReport) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(_rows(report))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(report: SalesReport) -> bytes:
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
