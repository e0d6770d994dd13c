"""Indonesian phone numbers, normalised to E.164 (+62...)."""

from __future__ import annotations

import re

from marketplace.core.i18n import gettext

_SEPARATORS = re.compile(r"[\s\-().]")
_E164_INDONESIA = re.compile(r"^\+62[1-9][0-9]{6,12}$")


def normalize_indonesian_phone(raw: str) -> str:
    """``0812-3456-789``, ``62812...`` and ``+62 812...`` all become ``+62812...``.

    Raises ValueError for anything that is not an Indonesian number.
    """
    compact = _SEPARATORS.sub("", raw.strip())
    if compact.startswith("+62"):
        normalized = compact
    elif compact.startswith("62"):
        normalized = "+" + compact
    elif compact.startswith("0"):
        normalized = "+62" + compact[1:]
    else:
        raise ValueError(gettext("phone number must start with 0, 62 or +62"))
    if not _E164_INDONESIA.match(normalized):
        raise ValueError(gettext("not a valid Indonesian phone number"))
    return normalized
