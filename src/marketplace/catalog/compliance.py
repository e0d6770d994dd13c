"""Food compliance numbers: P-IRT (home industry), BPOM MD/ML, halal certificate."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\-/]")
_BPOM = re.compile(r"^(MD|ML)\s*(\d{12,15})$", re.IGNORECASE)
_HALAL = re.compile(r"^[A-Z0-9][A-Z0-9./\-]{5,39}$")
PIRT_LENGTH = 15


def normalize_pirt_number(raw: str) -> str:
    """A P-IRT number has 15 digits (``2 09 3471 01 0123 24``): packaging type (1), food type
    (2), the producer's regency code (4: province 11-94, then regency 01-99), product number
    (2), producer number (4) and the year it lapses (2). The regency part is checked too,
    because a mistyped number most often breaks it."""
    digits = _SEPARATORS.sub("", raw.strip().upper().removeprefix("P-IRT").removeprefix("PIRT"))
    digits = digits.removeprefix("NO").strip()
    if not digits.isdigit() or len(digits) != PIRT_LENGTH:
        raise ValueError("P-IRT number must have exactly 15 digits")
    if digits[0] == "0":
        raise ValueError("P-IRT number: the packaging digit cannot be 0")
    province, regency = int(digits[3:5]), int(digits[5:7])
    if not (11 <= province <= 94) or regency == 0:
        raise ValueError("P-IRT number: digits 4-7 must be a Kemendagri regency code")
    return digits


def normalize_bpom_number(raw: str) -> str:
    """``md 224510001234`` -> ``MD 224510001234`` (MD: domestic, ML: imported)."""
    match = _BPOM.match(raw.strip().replace("-", ""))
    if match is None:
        raise ValueError("BPOM number looks like 'MD 123456789012' or 'ML 123456789012'")
    return f"{match.group(1).upper()} {match.group(2)}"


def normalize_halal_certificate(raw: str) -> str:
    value = raw.strip().upper()
    if not _HALAL.match(value):
        raise ValueError("halal certificate number: 6-40 letters, digits, '.', '/' or '-'")
    return value
