"""Recording and reading admin actions."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.audit import repository
from marketplace.audit.models import AuditEntry
from marketplace.audit.schemas import AuditEntryRead
from marketplace.core.pagination import CursorCodec, parse_time_and_id, split_page, time_and_id
from marketplace.core.schemas import Page


async def record_admin_action(
    session: AsyncSession,
    *,
    actor_id: uuid.UUID,
    action: str,
    target_type: str,
    target_id: uuid.UUID | str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
) -> None:
    """Add an audit entry in the caller's transaction: the action and its record land together."""
    session.add(
        AuditEntry(
            actor_id=actor_id,
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            before=before,
            after=after,
            reason=reason,
        )
    )
    await session.flush()


async def list_audit_entries(
    session: AsyncSession,
    codec: CursorCodec,
    *,
    limit: int,
    cursor: str | None,
    target_type: str | None = None,
    target_id: str | None = None,
) -> Page[AuditEntryRead]:
    after = codec.decode_as(cursor, parse_time_and_id) if cursor else None
    entries = await repository.list_entries(
        session, limit=limit + 1, after=after, target_type=target_type, target_id=target_id
    )
    page, next_cursor = split_page(
        entries, limit, codec, lambda entry: time_and_id(entry.created_at, entry.id)
    )
    return Page(
        items=[AuditEntryRead.model_validate(entry) for entry in page], next_cursor=next_cursor
    )
