"""SQL for the e-mail outbox."""

from __future__ import annotations

import functools
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, Update, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.db.pending_inserts import cast_table
from marketplace.notifications.models import EmailStatus, OutboxEmail


async def claim_due(
    session: AsyncSession, now: datetime, until: datetime, limit: int, *, skip_locked: bool
) -> list[OutboxEmail]:
    """Claim due e-mails in one statement by pushing their next attempt to ``until``; with
    ``skip_locked`` (PostgreSQL) rows another instance is claiming are passed over instead of
    waited for (SQLite runs one writer at a time). Oldest due first."""
    parameters = {"now": now, "until": until, "limit": limit}
    result = await session.execute(_claim_statement(skip_locked), parameters)
    return sorted(result.scalars(), key=lambda email: (email.created_at, email.id))


@functools.cache
def _claim_statement(skip_locked: bool) -> Update:
    """Built once (each delivery round ran it), the moments and the batch size bound."""
    due = (
        select(OutboxEmail.id)
        .where(
            OutboxEmail.status == EmailStatus.PENDING,
            OutboxEmail.next_attempt_at <= bindparam("now", type_=DateTime(True)),
        )
        .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id)
        .limit(bindparam("limit", type_=Integer))
    )
    if skip_locked:
        due = due.with_for_update(skip_locked=True)
    return (
        update(OutboxEmail)
        .where(OutboxEmail.id.in_(due.scalar_subquery()))
        .values(next_attempt_at=bindparam("until", type_=DateTime(True)))
        .returning(OutboxEmail)
        .execution_options(synchronize_session=False)
    )


_TABLE = cast_table(OutboxEmail)
# Parameters: ``email_ids`` (a list) and ``sent_at``. Core, on the table: no ORM work per round.
MARK_SENT = (
    update(_TABLE)
    .where(_TABLE.c.id.in_(bindparam("email_ids", expanding=True)))
    .values(status=EmailStatus.SENT, sent_at=bindparam("sent_at", type_=DateTime(True)))
)


def attempt_recorded(email_id: uuid.UUID, values: dict[str, Any]) -> Update:
    """The UPDATE recording a failed attempt's ``values`` on the e-mail."""
    return update(_TABLE).where(_TABLE.c.id == email_id).values(**values)
