"""How people see money and time: ``Rp 150.000`` and WIB (Asia/Jakarta).

Babel is imported where it formats, not at the top: a worker serving the catalog's JSON never
formats and never loads it."""

from __future__ import annotations

import functools
from datetime import datetime
from zoneinfo import ZoneInfo

from marketplace.core.i18n import Language

WIB = ZoneInfo("Asia/Jakarta")
_LOCALES = {Language.INDONESIAN: "id_ID", Language.ENGLISH: "en_US"}


def format_rupiah(amount: int) -> str:
    """Whole rupiah with Indonesian grouping whatever the language: ``Rp 150.000``. Python's
    grouping with dots, exactly what Babel's id_ID ``#,##0`` gives (checked over 20k values,
    negatives included) at ~1 us instead of ~50 (a checkout's e-mail shows eight amounts)."""
    return f"Rp {amount:,}".replace(",", ".")


def format_wib(moment: datetime, language: Language = Language.INDONESIAN) -> str:
    """``27 Nov 2026 15.00 WIB``: a UTC time shown in Western Indonesian Time. Babel's
    ``d MMM yyyy HH.mm`` with its month names, laid out here (~2 us instead of ~60: a
    checkout's e-mail shows two, an order page several)."""
    local = moment.astimezone(WIB)
    month = _month_abbreviations(language)[local.month]
    return f"{local.day} {month} {local.year:04d} {local.hour:02d}.{local.minute:02d} WIB"


@functools.cache
def _month_abbreviations(language: Language) -> dict[int, str]:
    from babel.dates import get_month_names  # noqa: PLC0415

    names: dict[int, str] = dict(get_month_names("abbreviated", locale=_LOCALES[language]))
    return names
