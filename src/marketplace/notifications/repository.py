"""SQL for the e-mail outbox."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.notifications.models import EmailStatus, OutboxEmail


async def claim_due(
    session: AsyncSession, now: datetime, until: datetime, limit: int, *, skip_locked: bool
) -> list[OutboxEmail]:
    """Claim due e-mails in one statement by pushing their next attempt to ``until``; with
    ``skip_locked`` (PostgreSQL) rows another instance is claiming are passed over instead of
    waited for (SQLite runs one writer at a time). Oldest due first."""
    due = (
        select(OutboxEmail.id)
        .where(OutboxEmail.status == EmailStatus.PENDING, OutboxEmail.next_attempt_at <= now)
        .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id)
        .limit(limit)
    )
    if skip_locked:
        due = due.with_for_update(skip_locked=True)
    result = await session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id.in_(due.scalar_subquery()))
        .values(next_attempt_at=until)
        .returning(OutboxEmail)
        .execution_options(synchronize_session=False)
    )
    return sorted(result.scalars(), key=lambda email: (email.created_at, email.id))


async def mark_sent(session: AsyncSession, email_ids: list[uuid.UUID], sent_at: datetime) -> None:
    await session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id.in_(email_ids))
        .values(status=EmailStatus.SENT, sent_at=sent_at)
        .execution_options(synchronize_session=False)
    )


async def record_attempt(
    session: AsyncSession, email_id: uuid.UUID, values: dict[str, Any]
) -> None:
    await session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id == email_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
