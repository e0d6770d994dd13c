"""Reading bank statement exports: every preset's layout, separators, byte-order marks,
preambles and footers, and the ways Indonesian and English exports write amounts."""

from __future__ import annotations

import pytest

from marketplace.payments.bank_statements import (
    StatementError,
    StatementFormat,
    parse_rupiah,
    read_statement,
)


@pytest.mark.parametrize(
    ("text", "rupiah"),
    [
        ("150123", 150_123),
        ("150.123", 150_123),
        ("150.123,00", 150_123),
        ("1.234.567,00", 1_234_567),
        ("1,234,567.00", 1_234_567),
        ("1234567.00", 1_234_567),
        ("150123,00", 150_123),
        ("Rp 1.500", 1_500),
        ("Rp1.500,00", 1_500),
        ("IDR 25,000", 25_000),
        ("-25.000", -25_000),
        ("(25.000,00)", -25_000),
        (" 75.000 ", 75_000),
    ],
)
def test_amounts_written_the_indonesian_or_english_way_read_as_whole_rupiah(
    text: str, rupiah: int
) -> None:
    assert parse_rupiah(text) == rupiah


@pytest.mark.parametrize("text", ["1.234,56", "12.50", "abc", "1.2.3", "", "1,23,4", "Rp"])
def test_amounts_with_cents_or_no_number_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="amount"):
        parse_rupiah(text)


def _credits(raw: bytes, statement_format: StatementFormat) -> list[tuple[str, str, int]]:
    return [
        (line.posted_on, line.description, line.amount)
        for line in read_statement(raw, statement_format).credits
    ]


def test_generic_statement_with_bom_and_semicolons_keeps_credits_only() -> None:
    raw = (
        "\ufeffdate;description;amount\r\n"
        "2026-12-02;TRF BB261202-ACDEFG BUDI;122.345,00\r\n"
        "2026-12-02;BIAYA ADM;-10.000\r\n"
        "2026-12-03;SETORAN;75000\r\n"
    ).encode()

    assert _credits(raw, StatementFormat.GENERIC) == [
        ("2026-12-02", "TRF BB261202-ACDEFG BUDI", 122_345),
        ("2026-12-03", "SETORAN", 75_000),
    ]


def test_bca_export_skips_its_preamble_and_footer_and_reads_cr_suffixes() -> None:
    raw = (
        "No. rekening : 0123456789\n"
        "Nama : KOPERASI PASAR DIGITAL BABEL\n"
        "Periode : 01/12/2026 - 02/12/2026\n"
        "Kode Mata Uang : Rp\n"
        "\n"
        "Tanggal Transaksi,Keterangan,Cabang,Jumlah,Saldo\n"
        "'02/12,TRSF E-BANKING CR 0212/FTSCY/WS95031 122345.00 BB261202ACDEFG,0000,"
        '"122,345.00 CR","5,122,345.00"\n'
        '\'02/12,BIAYA ADM,0000,"10,000.00 DB","5,112,345.00"\n'
        "\n"
        'Saldo Awal,"5,000,000.00"\n'
        'Mutasi Kredit,"122,345.00"\n'
    ).encode("cp1252")

    assert _credits(raw, StatementFormat.BCA) == [
        ("02/12", "TRSF E-BANKING CR 0212/FTSCY/WS95031 122345.00 BB261202ACDEFG", 122_345)
    ]


def test_bri_export_reads_the_credit_column() -> None:
    raw = (
        b"Tanggal Transaksi;Uraian Transaksi;Teller;Debet;Kredit;Saldo\n"
        b"02/12/26 08:15:00;NBMB BUDI SANTOSO TO KOPERASI;888;0,00;122.345,00;5.122.345,00\n"
        b"02/12/26 09:00:00;BIAYA SMS;888;2.000,00;0,00;5.120.345,00\n"
    )

    assert _credits(raw, StatementFormat.BRI) == [
        ("02/12/26 08:15:00", "NBMB BUDI SANTOSO TO KOPERASI", 122_345)
    ]


def test_mandiri_export_joins_both_description_columns_and_the_reference() -> None:
    raw = (
        b"Account No,Date,Val. Date,Transaction Code,Description,Description,"
        b"Reference No.,Debit,Credit,\n"
        b"1120012345678,02/12/26,02/12/26,7001,TRANSFER DARI BUDI,BB261202-ACDEFG,"
        b'FT2612020001,.00,"122,345.00",\n'
    )

    assert _credits(raw, StatementFormat.MANDIRI) == [
        ("02/12/26", "TRANSFER DARI BUDI BB261202-ACDEFG FT2612020001", 122_345)
    ]


def test_bni_export_reads_amounts_marked_k_as_credits() -> None:
    raw = (
        b"Tanggal Transaksi,Uraian Transaksi,Tipe,Nominal,Saldo\n"
        b'02/12/2026,TRF DARI BUDI,K,"122.345,00","5.122.345,00"\n'
        b'02/12/2026,TARIK TUNAI,D,"50.000,00","5.072.345,00"\n'
    )

    assert _credits(raw, StatementFormat.BNI) == [("02/12/2026", "TRF DARI BUDI", 122_345)]


def test_bank_sumsel_babel_export_reads_the_kredit_column() -> None:
    raw = (
        "\ufeffTanggal;Keterangan;Debet;Kredit;Saldo\n"
        "02-12-2026;TRANSFER MASUK BB261202-ACDEFG;;122.345;5.122.345\n"
        "02-12-2026;PAJAK BUNGA;1.000;;5.121.345\n"
    ).encode()

    assert _credits(raw, StatementFormat.BANK_SUMSEL_BABEL) == [
        ("02-12-2026", "TRANSFER MASUK BB261202-ACDEFG", 122_345)
    ]


def test_a_credit_with_cents_is_listed_as_unreadable_not_guessed() -> None:
    raw = b'date,description,amount\n2026-12-31,BUNGA,"1.234,56"\n2026-12-31,TRF,5000\n'

    statement = read_statement(raw, StatementFormat.GENERIC)

    assert [line.amount for line in statement.credits] == [5000]
    [unreadable] = statement.unreadable
    assert unreadable.line == 2
    assert "cents" in unreadable.reason


def test_a_file_without_the_format_header_is_refused() -> None:
    with pytest.raises(StatementError, match="bca"):
        read_statement(b"date,description,amount\n2026-12-02,TRF,5000\n", StatementFormat.BCA)


def test_two_identical_lines_in_one_file_count_as_two_transfers() -> None:
    raw = b"date,description,amount\n2026-12-02,SETORAN,5000\n2026-12-02,SETORAN,5000\n"

    first, second = read_statement(raw, StatementFormat.GENERIC).credits

    assert first.line_hash != second.line_hash
    again = read_statement(raw, StatementFormat.GENERIC).credits
    assert [line.line_hash for line in again] == [first.line_hash, second.line_hash]
