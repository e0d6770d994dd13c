"""SQL for the audit log."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.audit.models import AuditEntry
from marketplace.db.queries import newest_first


async def list_entries(
    session: AsyncSession,
    *,
    limit: int,
    after: tuple[datetime, uuid.UUID] | None,
    target_type: str | None,
    target_id: str | None,
) -> list[AuditEntry]:
    """Newest first, keyset-paginated on (created_at, id)."""
    query = select(AuditEntry)
    if target_type:
        query = query.where(AuditEntry.target_type == target_type)
    if target_id:
        query = query.where(AuditEntry.target_id == target_id)
    query = newest_first(query, AuditEntry.created_at, AuditEntry.id, after, limit)
    return list((await session.execute(query)).scalars())
