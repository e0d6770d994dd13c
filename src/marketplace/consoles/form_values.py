"""Turning what people type into what the services' schemas take: ``Rp 15.000`` and
``15000`` are the same price; anything else is passed on as typed so the schema names it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_NUMBER_DECORATION = re.compile(r"^\s*(rp\.?)?\s*|[\s.]", re.IGNORECASE)


def whole_number(text: str) -> int | str | None:
    """``"Rp 15.000"`` -> 15000; ``""`` -> None; ``"lima"`` -> ``"lima"`` (refused later)."""
    cleaned = _NUMBER_DECORATION.sub("", text.strip())
    if not cleaned:
        return None
    if cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 15:
        return int(cleaned)
    return text


def text_fields(form: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, str]:
    """The named fields as strings (missing ones empty), for showing a form again."""
    return {name: str(form.get(name, "")) for name in names}
