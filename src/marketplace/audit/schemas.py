"""Audit log as the admin API shows it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from marketplace.core.schemas import ReadSchema


class AuditEntryRead(ReadSchema):
    id: uuid.UUID
    actor_id: uuid.UUID | None
    action: str
    target_type: str
    target_id: str
    reason: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    created_at: datetime
