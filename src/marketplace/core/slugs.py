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


def next_free_slug(base: str, taken: set[str], *, max_length: int = MAX_SLUG_LENGTH) -> str:
    """``base`` if free, else ``base-2``, ``base-3``, ... (the first one not in ``taken``),
    the base cut so that the slug with its suffix still fits ``max_length``."""
    if base not in taken:
        return base
    counter = 2
    while _with_suffix(base, counter, max_length) in taken:
        counter += 1
    return _with_suffix(base, counter, max_length)


def _with_suffix(base: str, counter: int, max_length: int) -> str:
    suffix = f"-{counter}"
    return base[: max_length - len(suffix)].rstrip("-") + suffix
