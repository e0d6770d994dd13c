"""Indonesian phone numbers normalised to E.164."""

from __future__ import annotations

import pytest

from marketplace.core.phone import normalize_indonesian_phone


@pytest.mark.parametrize(
    ("written", "normalized"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("081234567890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("+62 (812) 3456.7890", "+6281234567890"),
        (" 0717 422 100 ", "+62717422100"),
    ],
)
def test_indonesian_phone_is_normalised_to_e164(written: str, normalized: str) -> None:
    assert normalize_indonesian_phone(written) == normalized


@pytest.mark.parametrize(
    "written",
    [
        "812-3456-7890",  # no trunk or country prefix
        "+1 202 555 0100",  # not Indonesian
        "+62 0812 3456 7890",  # trunk zero after the country code
        "0812",  # too short
        "+62812345678901234",  # too long
        "0812-3456-789a",
        "",
    ],
)
def test_non_indonesian_or_malformed_phone_is_refused(written: str) -> None:
    with pytest.raises(ValueError, match="nomor telepon|Indonesia"):
        normalize_indonesian_phone(written)
