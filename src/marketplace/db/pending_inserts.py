"""Rows written with the next statement that needs them instead of one statement (and one
round trip) each: a checkout creates rows in several tables that nothing reads back before
the commit. On PostgreSQL they ride along as data-modifying CTEs of that statement (foreign
keys are checked at its end); on SQLite each table's rows go in one INSERT just before it.
Both go through ``execute_with_pending``, so the rules are the same code on both databases.

Only for rows nothing reads in the meantime: a statement in the same transaction sees them
only once a statement carried them (``write_pending``, and always before the commit)."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import (
    CTE,
    ColumnElement,
    Executable,
    Table,
    bindparam,
    insert,
    inspect,
    select,
    union_all,
    update,
)
from sqlalchemy.engine import Result
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached, object_mapper
from sqlalchemy.sql.dml import UpdateBase

from marketplace.db.base import utcnow
from marketplace.db.core_statements import CHANGED_TABLES, execute_core

_PENDING = "pending_inserts"
_PENDING_UPDATES = "pending_updates"
PendingUpdate = tuple[type[Any], dict[str, Any], dict[str, Any]]  # model, primary key, values
Row = TypeVar("Row")


def built_in_full(row: Row) -> Row:
    """``row`` (a new ORM object) with every column set: unset ones take their Python-side
    default (scalar or callable), else NULL, as a Core INSERT of it writes them; an unset
    ``updated_at`` is the moment of ``created_at`` (each default read the clock apart)."""
    unset = {
        column.key
        for column in object_mapper(row).columns
        if column.key is not None and column.key not in row.__dict__
    }
    for column in object_mapper(row).columns:
        if column.key in unset:
            setattr(row, column.key, _python_default(column))
    if "updated_at" in unset and "created_at" in row.__dict__:
        row.updated_at = row.created_at  # type: ignore[attr-defined]
    return row


def _python_default(column: ColumnElement[Any]) -> Any:
    default = getattr(column, "default", None)
    if default is not None and default.is_scalar:
        return default.arg
    if default is not None and default.is_callable:
        return default.arg(None)
    return None


def _with_defaults(model: type[Any], values: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row's unset columns with their Python-side defaults: a data-modifying CTE does
    not apply them."""
    columns = [column for column in model.__table__.columns if column.default is not None]
    return [
        {**{c.key: _python_default(c) for c in columns if c.key not in row}, **row}
        for row in values
    ]


def column_values(row: object) -> dict[str, Any]:
    """Every column of an ORM object built in full, for a Core INSERT of it (no flush)."""
    return {column.key: getattr(row, column.key) for column in object_mapper(row).column_attrs}


def cast_table(model: type[Any]) -> Table:
    """The model's table, for a Core statement (no ORM bulk work on its parameters)."""
    table: Table = model.__table__
    return table


def hold_as_loaded(session: AsyncSession, rows: Sequence[object]) -> None:
    """Rows a Core INSERT writes with every column set, taken into the session as if loaded:
    later changes to them flush as UPDATEs (and answers are built from them)."""
    for row in rows:
        for column in object_mapper(row).column_attrs:  # unset: NULL, as inserted
            if column.key not in row.__dict__:
                setattr(row, column.key, None)
        make_transient_to_detached(row)
        session.add(row)


def insert_later(session: AsyncSession, rows: Sequence[object]) -> None:
    """Rows of one model, built in full, written with the session's next statement that
    carries pending rows (never entering the session)."""
    if rows:
        insert_values_later(session, type(rows[0]), [column_values(row) for row in rows])


def insert_values_later(
    session: AsyncSession, model: type[Any], values: Sequence[dict[str, Any]]
) -> None:
    """Rows of ``model`` as column values (the same keys in each; Python-side defaults fill
    the rest), written with the next statement that carries pending rows."""
    if values:
        session.info.setdefault(_PENDING, []).append((model, _with_defaults(model, values)))
        table: str = model.__tablename__
        session.info.setdefault(CHANGED_TABLES, set()).add(table)


def update_later(session: AsyncSession, row: object, *, completes_creation: bool = False) -> None:
    """The columns changed on ``row`` (already written, in the session as loaded) written
    with the next statement that carries pending rows instead of by a flush of their own:
    the object keeps its new values as if flushed. On PostgreSQL the UPDATE is a CTE of that
    statement, so ``row`` must not be among the rows it inserts (a CTE sees none of them), and
    that statement's own parameters must not be named like a column of ``row``'s table:
    SQLAlchemy takes such a parameter as a value to SET in every UPDATE of the table.

    ``completes_creation``: ``row`` was inserted by this transaction and these values finish
    it (an order's totals), so its ``updated_at`` stays the moment it was created. On
    PostgreSQL an UPDATE that changes no indexed column is HOT (no index touched); orders'
    ``updated_at`` is indexed, and setting it wrote all eleven of their indexes again."""
    model: type[Any] = type(row)
    pending_models = {pending_model for pending_model, _ in session.info.get(_PENDING, [])}
    assert model not in pending_models, "update_later of a row not yet written"
    state = inspect(row)
    keys = sorted(state.committed_state)
    if "updated_at" in object_mapper(row).columns:
        if not completes_creation:
            row.updated_at = utcnow()  # type: ignore[attr-defined]
        # Always SET: left out, SQLAlchemy would SET the column's onupdate default. To the
        # value it has, PostgreSQL sees no indexed column change.
        keys = sorted({*keys, "updated_at"})
    values = {key: getattr(row, key) for key in keys}
    # As if flushed: nothing left for the commit's flush to write, nor a flush to run for it
    # (an object marked modified costs a unit-of-work pass even with no changes left).
    state._commit_all(state.dict, session.sync_session.identity_map)
    primary_key = {column.key: getattr(row, column.key) for column in state.mapper.primary_key}
    session.info.setdefault(_PENDING_UPDATES, []).append((model, primary_key, values))
    session.info.setdefault(CHANGED_TABLES, set()).add(model.__tablename__)


def has_pending(session: AsyncSession) -> bool:
    return bool(session.info.get(_PENDING) or session.info.get(_PENDING_UPDATES))


def forget_pending(session: AsyncSession) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_PENDING_UPDATES, None)


async def execute_with_pending(
    session: AsyncSession, statement: Executable, parameters: Mapping[str, Any] | None = None
) -> Result[Any]:
    """``statement`` (with its ``parameters``), the pending rows written first (SQLite) or by
    the same statement (PostgreSQL: an INSERT, UPDATE or DELETE carries them as CTEs)."""
    pending: list[tuple[type[Any], list[dict[str, Any]]]] = session.info.pop(_PENDING, [])
    updates: list[PendingUpdate] = session.info.pop(_PENDING_UPDATES, [])
    if (pending or updates) and session.get_bind().dialect.name == "postgresql":
        assert isinstance(statement, UpdateBase)
        values: dict[str, Any] = dict(parameters or {})
        shapes: list[CteShape] = []
        for index, (model, rows) in enumerate(pending):
            name = f"pending_{index}"
            shapes.append(("insert", model.__table__, tuple(rows[0]), len(rows), name))
            for number, row in enumerate(rows):
                values.update({f"{name}_{number}_{key}": row[key] for key in row})
        for index, (model, primary_key, changed) in enumerate(updates):
            name = f"pending_update_{index}"
            shapes.append(("update", model.__table__, (*primary_key, "", *changed), 1, name))
            values.update({f"{name}_{key}": value for key, value in primary_key.items()})
            values.update({f"{name}_{key}": value for key, value in changed.items()})
        return await execute_core(session, _carrying(statement, tuple(shapes)), values)
    for model, rows in pending:
        await execute_core(session, insert(model.__table__), rows)
    await _write_updates(session, updates)
    return await execute_core(session, statement, parameters)


async def _write_updates(session: AsyncSession, updates: list[PendingUpdate]) -> None:
    for model, primary_key, changed in updates:
        table: Table = model.__table__
        condition = [table.c[key] == value for key, value in primary_key.items()]
        await execute_core(session, update(table).where(*condition).values(changed))


# ("insert", table, keys, row count, name) or ("update", table, primary key keys + "" +
# changed keys, 1, name): what a pending-row CTE looks like, its values bound by name.
CteShape = tuple[str, Table, tuple[str, ...], int, str]


@functools.lru_cache(maxsize=256)
def _carrying(statement: UpdateBase, shapes: tuple[CteShape, ...]) -> UpdateBase:
    """``statement`` with the CTEs of pending rows of these shapes, built once per statement
    and shapes: a statement built once then costs no construction per request."""
    return statement.add_cte(*(_pending_cte(*shape) for shape in shapes))


def _pending_cte(kind: str, table: Table, keys: tuple[str, ...], count: int, name: str) -> CTE:
    if kind == "insert":
        return _multi_row_insert(table, keys, count, name)
    separator = keys.index("")
    primary_key, changed = keys[:separator], keys[separator + 1 :]
    return (
        update(table)
        .where(*(table.c[key] == bindparam(f"{name}_{key}") for key in primary_key))
        .values({key: bindparam(f"{name}_{key}", type_=table.c[key].type) for key in changed})
        .cte(name)
    )


@functools.lru_cache(maxsize=256)
def _multi_row_insert(table: Table, keys: tuple[str, ...], count: int, name: str) -> CTE:
    """``count`` rows of ``keys`` as one INSERT CTE of bound parameters, built once per shape
    (coercing every value into the statement each time cost more than its round trip). Rows
    as a UNION ALL of SELECTs: SQLAlchemy caches no compiled multi-row VALUES."""
    rows = [
        select(*(bindparam(f"{name}_{number}_{key}", type_=table.c[key].type) for key in keys))
        for number in range(count)
    ]
    source = rows[0] if count == 1 else union_all(*rows)
    return insert(table).from_select(list(keys), source).cte(name)


async def write_pending(session: AsyncSession) -> None:
    """Every pending row now: in one statement on PostgreSQL, one per table on SQLite."""
    pending: list[tuple[type[Any], list[dict[str, Any]]]] = session.info.get(_PENDING, [])
    if pending:
        model, rows = pending.pop()
        await execute_with_pending(session, insert(model.__table__).values(rows))
    await _write_updates(session, session.info.pop(_PENDING_UPDATES, []))
