"""SQL for the audit log."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.audit.models import AuditEntry


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
    if after is not None:
        created_at, entry_id = after
        query = query.where(
            or_(
                AuditEntry.created_at < created_at,
                (AuditEntry.created_at == created_at) & (AuditEntry.id < entry_id),
            )
        )
    query = query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(limit)
    return list((await session.execute(query)).scalars())
