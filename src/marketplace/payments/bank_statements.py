"""Reading bank statements (CSV exports of Indonesian internet banking) into credit lines.

Each format names the columns it needs by the headers the bank writes; a preamble before the
header row (account number, period) and footers after the rows (opening balance, totals) are
skipped. ``;`` or ``,`` separators, a UTF-8 byte-order mark or none, and numbers written the
Indonesian way (``1.234.567,00``) or the English way (``1,234,567.00``) are all read. The
layouts are the banks' documented internet-banking exports as best known; see README.md."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

MAX_STATEMENT_LINES = 20_000


class StatementFormat(StrEnum):
    GENERIC = "generic"
    BCA = "bca"
    BRI = "bri"
    MANDIRI = "mandiri"
    BNI = "bni"
    BANK_SUMSEL_BABEL = "bank_sumsel_babel"


@dataclass(frozen=True)
class Layout:
    """Header names (lower case) that identify each column of one bank's export."""

    date: tuple[str, ...]
    description: tuple[str, ...]
    # Either a credit column (debits in another column), or a signed amount column, or an
    # amount column with a debit/credit marker column (or a CR/DB suffix in the amount).
    credit: tuple[str, ...] = ()
    amount: tuple[str, ...] = ()
    marker: tuple[str, ...] = ()
    credit_markers: frozenset[str] = field(default_factory=lambda: frozenset({"CR", "K", "C"}))


LAYOUTS: dict[StatementFormat, Layout] = {
    StatementFormat.GENERIC: Layout(
        date=("date",), description=("description",), amount=("amount",)
    ),
    # KlikBCA "Mutasi Rekening" CSV: Tanggal Transaksi, Keterangan, Cabang, Jumlah, Saldo;
    # Jumlah carries a CR/DB suffix ("150,123.00 CR").
    StatementFormat.BCA: Layout(
        date=("tanggal transaksi", "tanggal"),
        description=("keterangan",),
        amount=("jumlah",),
    ),
    # BRI internet banking / CMS: Tanggal Transaksi (TGL_TRAN), Uraian Transaksi (DESK_TRAN),
    # Teller, Debet (MUTASI_DEBET), Kredit (MUTASI_KREDIT), Saldo.
    StatementFormat.BRI: Layout(
        date=("tanggal transaksi", "tgl_tran", "tanggal"),
        description=("uraian transaksi", "desk_tran", "keterangan"),
        credit=("kredit", "mutasi_kredit", "credit"),
    ),
    # Livin'/MCM by Mandiri: Account No, Date, Val. Date, Transaction Code, Description,
    # Description, Reference No., Debit, Credit (both Description columns are read).
    StatementFormat.MANDIRI: Layout(
        date=("date", "tanggal", "posting date"),
        description=("description", "keterangan", "remarks", "reference no."),
        credit=("credit", "kredit"),
    ),
    # BNI internet banking: Tanggal Transaksi, Uraian Transaksi, Tipe (D/K), Nominal, Saldo.
    StatementFormat.BNI: Layout(
        date=("tanggal transaksi", "tanggal", "post date"),
        description=("uraian transaksi", "keterangan", "description"),
        amount=("nominal", "amount", "jumlah"),
        marker=("tipe", "type", "db/cr", "d/k"),
    ),
    # Bank Sumsel Babel internet banking: Tanggal, Keterangan, Debet, Kredit, Saldo.
    StatementFormat.BANK_SUMSEL_BABEL: Layout(
        date=("tanggal", "tanggal transaksi", "tgl"),
        description=("keterangan", "uraian", "uraian transaksi"),
        credit=("kredit", "credit"),
    ),
}


class StatementError(Exception):
    """The file cannot be read as a statement of the chosen format."""


@dataclass(frozen=True)
class CreditLine:
    """One money-in row of a statement; ``line`` is its row number in the file (1-based)."""

    line: int
    posted_on: str
    description: str
    amount: int
    line_hash: str


_AMOUNT_SUFFIX = re.compile(r"\s*(CR|DB|K|D|C)\.?$", re.IGNORECASE)
_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3})+$")
_DECIMAL_COMMA = re.compile(r"^\d+,\d{1,2}$")
_DECIMAL_DOT = re.compile(r"^\d+\.\d{1,2}$")


def parse_rupiah(text: str) -> int:
    """Whole rupiah from ``150123``, ``150.123``, ``150.123,00``, ``1,234,567.00``,
    ``Rp 1.500``, ``-25.000`` or ``(25.000)``; ValueError for anything else or for cents."""
    value = text.strip().replace("\u00a0", " ")
    negative = value.startswith("-") or (value.startswith("(") and value.endswith(")"))
    value = value.strip("-() ")
    value = re.sub(r"^(Rp\.?|IDR)\s*", "", value, flags=re.IGNORECASE).replace(" ", "")
    whole, fraction = _split_decimal(value)
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        raise ValueError(f"not an amount: {text!r}")
    if fraction.strip("0"):
        raise ValueError(f"an amount in whole rupiah has no cents: {text!r}")
    amount = int(whole)
    return -amount if negative else amount


def _split_decimal(value: str) -> tuple[str, str]:
    if "." in value and "," in value:
        decimal = "," if value.rfind(",") > value.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        whole, _, fraction = value.replace(thousands, "").partition(decimal)
        return whole, fraction
    if _THOUSANDS_DOT.match(value):
        return value.replace(".", ""), ""
    if _THOUSANDS_COMMA.match(value):
        return value.replace(",", ""), ""
    if _DECIMAL_COMMA.match(value) or _DECIMAL_DOT.match(value):
        whole, _, fraction = value.replace(",", ".").partition(".")
        return whole, fraction
    return value, ""


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as old exports are."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


@dataclass(frozen=True)
class UnreadableLine:
    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class Statement:
    credits: list[CreditLine]
    unreadable: list[UnreadableLine]


def read_statement(raw: bytes, statement_format: StatementFormat) -> Statement:
    """The credit lines of the statement; debits and non-transaction rows are left out, rows
    whose amount cannot be read as whole rupiah are listed as unreadable."""
    text = decode(raw)
    layout = LAYOUTS[statement_format]
    rows, header_index, columns = _find_header(text, layout, statement_format)
    if len(rows) - header_index > MAX_STATEMENT_LINES:
        raise StatementError(f"more than {MAX_STATEMENT_LINES} lines")
    credits: list[CreditLine] = []
    unreadable: list[UnreadableLine] = []
    seen: Counter[tuple[str, str, int]] = Counter()
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        try:
            credit = _credit_of(row, columns, layout)
        except ValueError as error:
            unreadable.append(UnreadableLine(index + 1, ",".join(row)[:300], str(error)))
            continue
        if credit is None:
            continue
        posted_on, description, amount = credit
        key = (posted_on, description, amount)
        seen[key] += 1
        credits.append(
            CreditLine(
                line=index + 1,
                posted_on=posted_on,
                description=description,
                amount=amount,
                line_hash=_line_hash(statement_format, key, seen[key]),
            )
        )
    return Statement(credits, unreadable)


@dataclass(frozen=True)
class _Columns:
    date: int
    descriptions: tuple[int, ...]
    credit: int | None
    amount: int | None
    marker: int | None


def _find_header(
    text: str, layout: Layout, statement_format: StatementFormat
) -> tuple[list[list[str]], int, _Columns]:
    for delimiter in (";", ",", "\t"):
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        for index, row in enumerate(rows[:50]):
            columns = _columns_of([cell.strip().lower() for cell in row], layout)
            if columns is not None:
                return rows, index, columns
    raise StatementError(f"no header row of the {statement_format.value} format")


def _columns_of(header: list[str], layout: Layout) -> _Columns | None:
    def first(names: tuple[str, ...]) -> int | None:
        for name in names:
            if name in header:
                return header.index(name)
        return None

    date = first(layout.date)
    descriptions = tuple(i for i, name in enumerate(header) if name in layout.description)
    credit = first(layout.credit) if layout.credit else None
    amount = first(layout.amount) if layout.amount else None
    marker = first(layout.marker) if layout.marker else None
    if date is None or not descriptions or (credit is None and amount is None):
        return None
    if layout.marker and marker is None:
        return None
    return _Columns(date, descriptions, credit, amount, marker)


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def _credit_of(row: list[str], columns: _Columns, layout: Layout) -> tuple[str, str, int] | None:
    """(date, description, amount) of a money-in row; None for debits, blanks and footers."""
    posted_on = _cell(row, columns.date).lstrip("'")
    if not posted_on or not any(char.isdigit() for char in posted_on):
        return None
    description = " ".join(
        part for part in (_cell(row, i) for i in columns.descriptions) if part
    ).strip()
    if columns.credit is not None:
        text = _cell(row, columns.credit)
        amount = _amount_or_none(text)
    else:
        text = _cell(row, columns.amount)
        suffix = _AMOUNT_SUFFIX.search(text)
        marker = _cell(row, columns.marker).upper().rstrip(".") if columns.marker else ""
        if suffix and not marker:
            marker = suffix.group(1).upper()
        amount = _amount_or_none(_AMOUNT_SUFFIX.sub("", text))
        if amount is not None and marker and marker not in layout.credit_markers:
            return None
    if amount is None or amount <= 0:
        return None
    return posted_on, description, amount


def _amount_or_none(text: str) -> int | None:
    if not text or text in ("-", "0"):
        return None
    return parse_rupiah(text)


def _line_hash(statement_format: StatementFormat, key: tuple[str, str, int], nth: int) -> str:
    """Same bank line, same hash, however often uploaded; two identical lines in one file
    (two transfers of one amount on one day) differ by their occurrence."""
    posted_on, description, amount = key
    normalized = " ".join(description.upper().split())
    text = f"{statement_format.value}|{posted_on}|{normalized}|{amount}|{nth}"
    return hashlib.sha256(text.encode()).hexdigest()
