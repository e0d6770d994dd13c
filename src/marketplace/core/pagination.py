"""Opaque, tamper-proof keyset cursors: the last row's sort key, signed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

import orjson

from marketplace.core.errors import InvalidInput
from marketplace.core.i18n import gettext

KeyT = TypeVar("KeyT")
RowT = TypeVar("RowT")

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class CursorCodec:
    """Encodes a list of JSON values into a signed URL-safe string, and back."""

    def __init__(self, secret: str, *, purpose: str) -> None:
        self._key = hashlib.sha256(f"cursor:{purpose}:{secret}".encode()).digest()

    def encode(self, values: list[Any]) -> str:
        payload = orjson.dumps(values)
        signature = hmac.new(self._key, payload, hashlib.sha256).digest()[:12]
        return base64.urlsafe_b64encode(signature + payload).decode().rstrip("=")

    def decode(self, cursor: str) -> list[Any]:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            signature, payload = raw[:12], raw[12:]
            expected = hmac.new(self._key, payload, hashlib.sha256).digest()[:12]
            if not hmac.compare_digest(signature, expected):
                raise ValueError("bad signature")
            values = orjson.loads(payload)
            if not isinstance(values, list):
                raise ValueError("not a list")
            return values
        except (ValueError, orjson.JSONDecodeError) as error:
            raise invalid_cursor() from error

    def decode_as(self, cursor: str, parse: Callable[[list[Any]], KeyT]) -> KeyT:
        """Decode and turn the values into a typed key; any mismatch is an invalid cursor."""
        values = self.decode(cursor)
        try:
            return parse(values)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
            raise invalid_cursor() from error


def parse_text_and_id(values: list[Any]) -> tuple[str, uuid.UUID]:
    text, row_id = values
    if not isinstance(text, str):
        raise TypeError("text expected")
    return text, uuid.UUID(row_id)


def parse_time_and_id(values: list[Any]) -> tuple[datetime, uuid.UUID]:
    moment, row_id = values
    parsed = datetime.fromisoformat(moment)
    if parsed.tzinfo is None:
        raise ValueError("timezone expected")
    return parsed, uuid.UUID(row_id)


def split_page(
    rows: Sequence[RowT], limit: int, codec: CursorCodec, cursor_of: Callable[[RowT], list[Any]]
) -> tuple[Sequence[RowT], str | None]:
    """Rows fetched with ``limit + 1``: the page, and the cursor of its last row when more
    rows follow (the extra row only says that there is a next page)."""
    if len(rows) <= limit:
        return rows, None
    return rows[:limit], codec.encode(cursor_of(rows[limit - 1]))


def time_and_id(moment: datetime, row_id: uuid.UUID) -> list[Any]:
    """Cursor values of a newest-first list (``parse_time_and_id`` reads them back)."""
    return [moment.isoformat(), str(row_id)]


def invalid_cursor() -> InvalidInput:
    return InvalidInput(
        gettext(
            "The 'cursor' value is damaged or not from this list. Start again from the first page."
        ),
        errors=[{"loc": ["query", "cursor"], "msg": "invalid cursor", "type": "invalid_cursor"}],
    )
