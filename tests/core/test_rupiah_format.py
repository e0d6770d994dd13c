from babel.numbers import format_decimal

from marketplace.core.formatting import format_rupiah


def test_rupiah_amounts_are_grouped_with_dots_as_babel_formats_them_for_id_id() -> None:
    amounts = [0, 7, 999, 1_000, 150_000, 1_234_567, 10**12 + 5, -1, -1_000, -987_654_321]
    for amount in amounts:
        expected = "Rp " + format_decimal(amount, format="#,##0", locale="id_ID")
        assert format_rupiah(amount) == expected
    assert format_rupiah(150_000) == "Rp 150.000"
    assert format_rupiah(-1_234_567) == "Rp -1.234.567"
