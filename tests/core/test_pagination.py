"""Signed keyset cursors."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from marketplace.core.errors import InvalidInput
from marketplace.core.pagination import CursorCodec, parse_text_and_id, parse_time_and_id

SECRET = "cursor-test-secret-0123456789abcdef"
ROW_ID = "01936a4e-8c00-7000-8000-000000000001"


def test_cursor_round_trip_gives_back_the_values() -> None:
    codec = CursorCodec(SECRET, purpose="products")
    values = ["2026-11-27T08:00:00+00:00", ROW_ID]

    cursor = codec.encode(values)

    assert "=" not in cursor
    assert codec.decode(cursor) == values
    assert codec.decode_as(cursor, parse_time_and_id) == (
        datetime(2026, 11, 27, 8, 0, tzinfo=UTC),
        uuid.UUID(ROW_ID),
    )


def test_tampered_cursor_is_invalid_input() -> None:
    codec = CursorCodec(SECRET, purpose="sellers")
    cursor = codec.encode(["KIM Lada Muntok", ROW_ID])
    tampered = cursor[:-2] + ("AA" if cursor[-2:] != "AA" else "BB")

    with pytest.raises(InvalidInput) as caught:
        codec.decode(tampered)

    assert caught.value.status_code == 422
    assert caught.value.errors == [
        {"loc": ["query", "cursor"], "msg": "invalid cursor", "type": "invalid_cursor"}
    ]


@pytest.mark.parametrize("garbage", ["", "!!!", "bm90LWEtY3Vyc29y", "é"])
def test_garbage_cursor_is_invalid_input(garbage: str) -> None:
    codec = CursorCodec(SECRET, purpose="sellers")

    with pytest.raises(InvalidInput):
        codec.decode(garbage)


def test_cursor_of_another_list_is_invalid_input() -> None:
    sellers_cursor = CursorCodec(SECRET, purpose="sellers").encode(["Koperasi Timah", ROW_ID])

    with pytest.raises(InvalidInput):
        CursorCodec(SECRET, purpose="products").decode(sellers_cursor)


def test_cursor_signed_with_another_secret_is_invalid_input() -> None:
    foreign = CursorCodec("another-secret-0123456789abcdef", purpose="sellers").encode(["a", 1])

    with pytest.raises(InvalidInput):
        CursorCodec(SECRET, purpose="sellers").decode(foreign)


def test_signed_cursor_of_the_wrong_shape_is_invalid_input() -> None:
    codec = CursorCodec(SECRET, purpose="products")
    cursor = codec.encode(["not a time", ROW_ID])

    with pytest.raises(InvalidInput):
        codec.decode_as(cursor, parse_time_and_id)
    with pytest.raises(InvalidInput):
        codec.decode_as(codec.encode([42, ROW_ID]), parse_text_and_id)
    with pytest.raises(InvalidInput):
        codec.decode_as(codec.encode(["2026-11-27T08:00:00", ROW_ID]), parse_time_and_id)


def test_split_page_gives_a_cursor_only_when_a_further_row_was_fetched() -> None:
    from marketplace.core.pagination import CursorCodec, split_page

    codec = CursorCodec("secret", purpose="test")

    full, none_after = split_page([1, 2, 3], 3, codec, lambda n: [n])
    page, cursor = split_page([1, 2, 3, 4], 3, codec, lambda n: [n])

    assert list(full) == [1, 2, 3]
    assert none_after is None
    assert list(page) == [1, 2, 3]
    assert cursor is not None
    assert codec.decode(cursor) == [3]
