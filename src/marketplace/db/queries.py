"""SQL building blocks every repository shares: keyset pagination, LIKE patterns and values
written into the SQL text."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    literal,
    or_,
    tuple_,
)
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.types import TypeEngine

KeyColumn = ColumnElement[Any] | InstrumentedAttribute[Any]
LIKE_ESCAPE = "\\"


def constant(value: Any, type_: TypeEngine[Any] | None = None) -> BindParameter[Any]:
    """A value the code fixes (a status, ``LIMIT 1``), written into the SQL text rather than
    bound. PostgreSQL plans a prepared statement for each execution (a custom plan) until
    a plan for any bound values (the generic plan) costs no more; with the rule's values
    bound, the generic plan of a product list assumed a third of the products published
    and priced itself above the custom one, so every request paid for planning (~1 ms
    of the database's CPU), more than running the page. Written in, the generic plan is the
    custom one, and PostgreSQL keeps it after its fifth execution."""
    return literal(value, type_, literal_execute=True)


def constant_at_execution(name: str) -> BindParameter[int]:
    """An integer given at execution (a page's LIMIT) and written into the SQL text then: an
    unknown LIMIT makes a generic plan sort every match (see ``constant``). Each distinct
    value is a statement of its own on the connection, so only for values from a small set."""
    return bindparam(name, type_=Integer, literal_execute=True)


def escape_like(text: str) -> str:
    """``text`` matched literally inside a LIKE pattern (``%`` and ``_`` lose their meaning)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class SortKey:
    column: KeyColumn
    descending: bool

    def after(self, value: object) -> ColumnElement[bool]:
        return self.column < value if self.descending else self.column > value

    def not_before(self, value: object) -> ColumnElement[bool]:
        return self.column <= value if self.descending else self.column >= value

    def order(self) -> ColumnElement[Any]:
        return self.column.desc() if self.descending else self.column.asc()


def keyset_after(keys: list[SortKey], values: list[object]) -> ColumnElement[bool]:
    """Rows strictly after ``values`` in the order of ``keys``.

    Both keys in one direction: a row-value comparison ``(a, b) < (x, y)``, which PostgreSQL
    and SQLite turn into an index range (spelled out with OR, both scanned every earlier row).
    Mixed directions (relevance): the OR form, bounded by the first key so it can still seek.
    """
    first, second = keys
    if first.descending == second.descending:
        row = tuple_(first.column, second.column)
        cursor = tuple_(_value(values[0], first), _value(values[1], second))
        return row < cursor if first.descending else row > cursor
    return and_(
        first.not_before(values[0]),
        or_(first.after(values[0]), and_(first.column == values[0], second.after(values[1]))),
    )


def _value(value: object, key: SortKey) -> ColumnElement[Any]:
    """A cursor value as a literal of its key's type; a bound parameter (a statement built
    once, its values given at execution) stays as it is."""
    if isinstance(value, BindParameter):
        return value
    return literal(value, type_=key.column.type)


def keyset_page(
    query: Select[Any], keys: list[SortKey], after: list[object] | None, limit: int
) -> Select[Any]:
    """``query`` ordered by ``keys``, starting after the cursor's row, ``limit`` rows."""
    if after is not None:
        query = query.where(keyset_after(keys, after))
    return query.order_by(*(key.order() for key in keys)).limit(limit)


def newest_first(
    query: Select[Any],
    created_at: KeyColumn,
    row_id: KeyColumn,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Select[Any]:
    """The common list order: newest first, ties broken by id, keyset-paginated."""
    keys = [SortKey(created_at, descending=True), SortKey(row_id, descending=True)]
    return keyset_page(query, keys, list(after) if after else None, limit)
