"""SQL for the e-mail outbox."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.db.session import rows_affected
from marketplace.notifications.models import EmailStatus, OutboxEmail


async def due_emails(
    session: AsyncSession, now: datetime, limit: int, *, skip_locked: bool = False
) -> list[OutboxEmail]:
    """Due e-mails; with ``skip_locked`` (PostgreSQL) rows another instance is claiming are
    passed over instead of waited for."""
    query = (
        select(OutboxEmail)
        .where(OutboxEmail.status == EmailStatus.PENDING, OutboxEmail.next_attempt_at <= now)
        .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id)
        .limit(limit)
    )
    if skip_locked:
        query = query.with_for_update(skip_locked=True)
    result = await session.execute(query)
    return list(result.scalars())


async def lease(
    session: AsyncSession, email_id: uuid.UUID, seen_next_attempt: datetime, until: datetime
) -> bool:
    """Claim one e-mail by pushing its next attempt forward, only if nobody else did first."""
    result = await session.execute(
        update(OutboxEmail)
        .where(
            OutboxEmail.id == email_id,
            OutboxEmail.status == EmailStatus.PENDING,
            OutboxEmail.next_attempt_at == seen_next_attempt,
        )
        .values(next_attempt_at=until)
        .execution_options(synchronize_session=False)
    )
    return rows_affected(result) == 1


async def record_attempt(
    session: AsyncSession, email_id: uuid.UUID, values: dict[str, Any]
) -> None:
    await session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id == email_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
