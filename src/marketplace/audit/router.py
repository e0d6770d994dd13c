"""/admin/audit-log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from marketplace.accounts.dependencies import AdminUser
from marketplace.audit import service
from marketplace.audit.schemas import AuditEntryRead
from marketplace.core.dependencies import cursor_codec
from marketplace.core.errors import problem_responses
from marketplace.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, CursorCodec
from marketplace.core.schemas import Page
from marketplace.db.session import DbSession

router = APIRouter(prefix="/admin/audit-log", tags=["admin"])


@router.get("", response_model=Page[AuditEntryRead], responses=problem_responses(401, 403, 422))
async def list_audit_log(
    admin: AdminUser,
    session: DbSession,
    codec: Annotated[CursorCodec, Depends(cursor_codec("audit"))],
    target_type: Annotated[str | None, Query(max_length=32)] = None,
    target_id: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Page[AuditEntryRead]:
    """Admin actions, newest first."""
    return await service.list_audit_entries(
        session, codec, limit=limit, cursor=cursor, target_type=target_type, target_id=target_id
    )
