"""Idempotency-Key handling: a replay gets the stored response, a different body with the same
key gets 422, and a duplicate still in flight gets 409. The record is written in the same
transaction as what the request created, so both exist or neither does."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

import orjson
from pydantic import BaseModel
from sqlalchemy import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.db.base import new_id, utcnow
from marketplace.db.pending_inserts import insert_later
from marketplace.db.session import select_mappings
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


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """What an earlier request with the key answered, and the hash of its body."""

    caller: str
    request_hash: str
    status_code: int
    body_json: str
    resource_id: uuid.UUID | None

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = orjson.loads(self.body_json)
        return body


def stored_response_of(row: RowMapping) -> StoredResponse | None:
    """The stored response in a row of ``repository.STORED_RESPONSE_COLUMNS`` (None: none)."""
    if row["stored_caller"] is None:
        return None
    return StoredResponse(
        caller=row["stored_caller"],
        request_hash=row["stored_request_hash"],
        status_code=row["stored_status"],
        body_json=row["stored_body"],
        resource_id=row["stored_resource_id"],
    )


async def claim(session: AsyncSession, request: IdempotentRequest) -> StoredResponse | None:
    """The stored response of an earlier identical request, or None when this one should run.

    On PostgreSQL a transaction-scoped advisory lock marks the key as in flight; SQLite runs
    one writer at a time, so a duplicate there simply waits and then finds the record.
    """
    if session.get_bind().dialect.name == "postgresql":
        if not await repository.try_advisory_lock(session, request.lock_id):
            raise IdempotencyInFlight()
    rows = await select_mappings(session, repository.IDEMPOTENCY_RECORD, key_parameters(request))
    return checked(request, True, stored_response_of(rows[0]) if rows else None)


def key_parameters(request: IdempotentRequest) -> dict[str, Any]:
    return {"caller": request.caller, "scope": request.scope, "key": request.key}


def checked(
    request: IdempotentRequest, locked: bool, stored: StoredResponse | None
) -> StoredResponse | None:
    """``stored`` when this request replays it; 409 when the key's lock is held by a duplicate
    in flight, 422 when the key was used for a different body."""
    if not locked:
        raise IdempotencyInFlight()
    if stored is not None and stored.request_hash != request.request_hash:
        raise IdempotencyKeyReused()
    return stored


def is_key_taken(error: IntegrityError) -> bool:
    """The record of this key was written by another transaction after this one read that
    there was none: the other request was still in flight when this one looked."""
    message = str(error.orig)
    return "uq_idempotency_records_scope" in message or "idempotency_records.key" in message


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
