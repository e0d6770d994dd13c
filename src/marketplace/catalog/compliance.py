"""Food and health compliance numbers: P-IRT (home industry, with the year it lapses), BPOM
registrations (processed food MD/ML, traditional medicine TR/TI/TL, herbal HT/FF, supplements
SD/SI/SL, cosmetics notifications NA-NE), and halal certificates."""

from __future__ import annotations

import re
from datetime import date, datetime

from marketplace.core.formatting import WIB
from marketplace.core.i18n import gettext

_SEPARATORS = re.compile(r"[\s.\-/]")
# "BPOM RI MD 224510001234" as printed on packs, "POM TR 133337641", "NA18191200123".
_BPOM_AUTHORITY = re.compile(r"^(?:B?POM)(?:\s*RI)?[\s:.]*", re.IGNORECASE)
_BPOM = re.compile(r"^([A-Z]{2})(\d{9,15})$")
# Digits each kind of registration carries (BPOM's numbering of 2019-2024).
BPOM_DIGITS: dict[str, range] = {
    **dict.fromkeys(("MD", "ML"), range(12, 16)),
    **dict.fromkeys(("TR", "TI", "TL", "HT", "FF"), range(9, 13)),
    **dict.fromkeys(("SD", "SI", "SL"), range(9, 13)),
    **dict.fromkeys(("NA", "NB", "NC", "ND", "NE"), range(11, 14)),
}
_NOTIFICATION_PREFIXES = ("NA", "NB", "NC", "ND", "NE")
_HALAL = re.compile(r"^[A-Z0-9][A-Z0-9./\-]{5,39}$")
PIRT_LENGTH = 15


def today_wib() -> date:
    return datetime.now(WIB).date()


def pirt_lapse_year(digits: str) -> int:
    """The year whose end a (normalised) P-IRT number lapses: its last two digits."""
    return 2000 + int(digits[-2:])


def pirt_lapsed(digits: str, today: date) -> bool:
    return pirt_lapse_year(digits) < today.year


def normalize_pirt_number(raw: str) -> str:
    """A P-IRT number has 15 digits (``2 09 3471 01 0123 24``): packaging type (1), food type
    (2), the producer's regency code (4: province 11-94, then regency 01-99), product number
    (2), producer number (4) and the year it lapses (2). The regency part is checked too,
    because a mistyped number most often breaks it; a number that has lapsed is refused."""
    digits = _SEPARATORS.sub("", raw.strip().upper().removeprefix("P-IRT").removeprefix("PIRT"))
    digits = digits.removeprefix("NO").strip()
    if not digits.isdigit() or len(digits) != PIRT_LENGTH:
        raise ValueError(gettext("P-IRT number must have exactly 15 digits"))
    if digits[0] == "0":
        raise ValueError(gettext("P-IRT number: the packaging digit cannot be 0"))
    province, regency = int(digits[3:5]), int(digits[5:7])
    if not (11 <= province <= 94) or regency == 0:
        raise ValueError(gettext("P-IRT number: digits 4-7 must be a Kemendagri regency code"))
    if pirt_lapsed(digits, today_wib()):
        message = gettext(
            "P-IRT number lapsed at the end of %(year)s: renew it at the regency health "
            "office (Dinas Kesehatan)",
            year=pirt_lapse_year(digits),
        )
        raise ValueError(message)
    return digits


def normalize_bpom_number(raw: str) -> str:
    """``BPOM RI MD 224510001234`` -> ``MD 224510001234``; ``pom tr 133 337 641`` ->
    ``TR 133337641``; cosmetics notifications stay as printed: ``NA18191200123``."""
    value = _BPOM_AUTHORITY.sub("", raw.strip()).upper()
    compact = _SEPARATORS.sub("", value)
    match = _BPOM.match(compact)
    digits = BPOM_DIGITS.get(match.group(1)) if match else None
    if match is None or digits is None or len(match.group(2)) not in digits:
        message = gettext(
            "BPOM number looks like 'MD 123456789012' (food), 'TR 123456789' (jamu) or "
            "'NA18191200123' (cosmetics), with or without 'BPOM RI'"
        )
        raise ValueError(message)
    prefix, number = match.group(1), match.group(2)
    return f"{prefix}{number}" if prefix in _NOTIFICATION_PREFIXES else f"{prefix} {number}"


def normalize_halal_certificate(raw: str) -> str:
    value = raw.strip().upper()
    if not _HALAL.match(value):
        raise ValueError(gettext("halal certificate number: 6-40 letters, digits, '.', '/' or '-'"))
    return value


def not_in_the_past(value: date | None) -> date | None:
    if value is not None and value < today_wib():
        raise ValueError(gettext("the certificate has expired: the date is in the past"))
    return value
