"""Readable URL slugs: ``Lada Putih Muntok`` -> ``lada-putih-muntok``."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG_LENGTH = 80
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, *, fallback: str = "item") -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:MAX_SLUG_LENGTH].rstrip("-") or fallback


def next_free_slug(base: str, taken: set[str]) -> str:
    """``base`` if free, else ``base-2``, ``base-3``, ... (the first one not in ``taken``)."""
    if base not in taken:
        return base
    counter = 2
    while f"{base}-{counter}" in taken:
        counter += 1
    return f"{base}-{counter}"
