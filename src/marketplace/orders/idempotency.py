"""Idempotency-Key handling: a replay gets the stored response, a different body with the same
key gets 422, and a duplicate still in flight gets 409. The record is written in the same
transaction as what the request created, so both exist or neither does."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.db.base import new_id, utcnow
from marketplace.db.pending_inserts import insert_later
from marketplace.orders import repository
from marketplace.orders.exceptions import IdempotencyInFlight, IdempotencyKeyReused
from marketplace.orders.models import IdempotencyRecord


@dataclass(frozen=True)
class IdempotentRequest:
    caller: str
    scope: str
    key: str
    request_hash: str

    @property
    def lock_id(self) -> int:
        digest = hashlib.sha256(f"{self.caller}|{self.scope}|{self.key}".encode()).digest()
        return int.from_bytes(digest[:8], "big", signed=True)


def body_hash(body: BaseModel) -> str:
    """The parsed body, canonically serialised: spacing and key order do not matter."""
    canonical = orjson.dumps(body.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(canonical).hexdigest()


def caller_of(user_id: object | None) -> str:
    return f"user:{user_id}" if user_id is not None else "guest"


async def claim(session: AsyncSession, request: IdempotentRequest) -> IdempotencyRecord | None:
    """The stored record of an earlier identical request, or None when this one should run.

    On PostgreSQL a transaction-scoped advisory lock marks the key as in flight; SQLite runs
    one writer at a time, so a duplicate there simply waits and then finds the record.
    """
    if session.get_bind().dialect.name == "postgresql":
        if not await repository.try_advisory_lock(session, request.lock_id):
            raise IdempotencyInFlight()
    record = await repository.get_idempotency_record(
        session, request.caller, request.scope, request.key
    )
    if record is not None and record.request_hash != request.request_hash:
        raise IdempotencyKeyReused()
    return record


def remember(
    session: AsyncSession,
    request: IdempotentRequest,
    status_code: int,
    body: dict[str, Any],
    resource_id: Any = None,
) -> None:
    record = IdempotencyRecord(
        id=new_id(),
        caller=request.caller,
        scope=request.scope,
        key=request.key,
        request_hash=request.request_hash,
        response_status=status_code,
        response_body=orjson.dumps(body).decode(),
        resource_id=resource_id,
        created_at=utcnow(),
    )
    insert_later(session, [record])  # with the next statement that carries pending rows


def stored_body(record: IdempotencyRecord) -> dict[str, Any]:
    body: dict[str, Any] = orjson.loads(record.response_body)
    return body
