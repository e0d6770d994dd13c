"""Core statements (tables and columns, no ORM entities) run on the session's connection.

``session.execute`` sends every statement through the ORM's execution path (its execute
state, the ``do_orm_execute`` hook, ORM compile and result setup), which buys nothing for a
statement without ORM entities and cost a checkout a share of its CPU per statement.
``execute_core`` keeps what that path does for us here: a one-statement read still counts
the statement, and a write still names its table among the transaction's changed tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Executable
from sqlalchemy.engine import Result
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import UpdateBase

# The tables a transaction wrote (db/session.py announces them after the commit).
CHANGED_TABLES = "changed_tables"
# A one-statement read's session: False until its statement has run.
ONE_STATEMENT = "one_statement"


class OneStatementReadBroken(RuntimeError):
    """A one-statement read tried to run a second statement or to write: a programming error
    (that read must be opened as a transaction)."""

    def __init__(self) -> None:
        super().__init__("a one-statement read may run one SELECT only: open a transaction")


def count_statement(session: Session, *, is_select: bool) -> None:
    """A one-statement read runs one SELECT; anything more is refused before it runs."""
    ran = session.info.get(ONE_STATEMENT)
    if ran is not None:
        if ran or not is_select:
            raise OneStatementReadBroken()
        session.info[ONE_STATEMENT] = True


def note_written_table(session: Session, statement: object) -> None:
    """The table an INSERT, UPDATE or DELETE writes, among the transaction's changed ones."""
    table = getattr(statement, "table", None)
    if table is not None:
        session.info.setdefault(CHANGED_TABLES, set()).add(str(table.name))


async def execute_core(
    session: AsyncSession,
    statement: Executable,
    parameters: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
) -> Result[Any]:
    """``statement`` (a SELECT of columns, or an INSERT, UPDATE or DELETE of a table; never
    of an ORM entity, whose ORM-only behaviour would be lost) in the session's transaction,
    on its connection; a list of ``parameters`` runs it once per row."""
    is_write = isinstance(statement, UpdateBase)
    count_statement(session.sync_session, is_select=not is_write)
    if is_write:
        note_written_table(session.sync_session, statement)
    connection = await session.connection()
    return await connection.execute(statement, parameters)
