"""The payments side of the admin desk: payments with their order numbers (open transfers
first), the platform's own ledger, and reading and matching bank statements."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.core.errors import PayloadTooLarge
from marketplace.core.pagination import CursorCodec, parse_time_and_id, split_page, time_and_id
from marketplace.payments import repository
from marketplace.payments.bank_statements import (
    Statement,
    StatementError,
    StatementFormat,
    read_statement,
)
from marketplace.payments.exceptions import StatementUnreadable
from marketplace.payments.models import (
    Payment,
    PaymentAttemptStatus,
    PaymentMethod,
    PlatformLedgerEntry,
    StatementLine,
)
from marketplace.payments.statement_matching import LineMatch, match_lines


def _parse_payment_key(values: list[Any]) -> tuple[int, datetime, uuid.UUID]:
    group, moment, payment_id = values
    if group not in (0, 1):
        raise ValueError("group")
    return int(group), datetime.fromisoformat(moment), uuid.UUID(payment_id)


async def payments_page(
    session: AsyncSession,
    codec: CursorCodec,
    status: PaymentAttemptStatus | None,
    method: PaymentMethod | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[tuple[Payment, str]], str | None]:
    """(payment, order number) rows: open transfers and QRIS first, then newest first."""
    after = codec.decode_as(cursor, _parse_payment_key) if cursor else None
    rows = await repository.search_payments(
        session, status=status, method=method, after=after, limit=limit + 1
    )
    page, next_cursor = split_page(
        rows, limit, codec, lambda row: [row[0], row[1].created_at.isoformat(), str(row[1].id)]
    )
    return [(payment, number) for _, payment, number in page], next_cursor


async def platform_ledger(
    session: AsyncSession, codec: CursorCodec, limit: int, cursor: str | None
) -> tuple[list[PlatformLedgerEntry], str | None, int]:
    """The platform's entries newest first, and their sum."""
    after = codec.decode_as(cursor, parse_time_and_id) if cursor else None
    rows = await repository.platform_entries(session, after, limit + 1)
    page, next_cursor = split_page(
        rows, limit, codec, lambda entry: time_and_id(entry.created_at, entry.id)
    )
    return list(page), next_cursor, await repository.platform_total(session)


def parse_statement(raw: bytes, statement_format: StatementFormat) -> Statement:
    """The statement's credit lines; 422 when the file does not fit the format."""
    try:
        return read_statement(raw, statement_format)
    except StatementError as error:
        raise StatementUnreadable(
            params={"format": statement_format.value, "reason": str(error)}
        ) from error


async def match_statement(session: AsyncSession, statement: Statement) -> list[LineMatch]:
    return await match_lines(session, statement.credits)


async def record_statement_line(
    session: AsyncSession,
    match: LineMatch,
    statement_format: StatementFormat,
    applied_by: uuid.UUID | None,
) -> bool:
    """Remember the line as applied; False when it already was (a re-upload, a race)."""
    assert match.payment is not None
    return await repository.record_statement_line(
        session,
        StatementLine(
            line_hash=match.line.line_hash,
            payment_id=match.payment.id,
            statement_format=statement_format.value,
            posted_on=match.line.posted_on[:40],
            description=match.line.description[:2000],
            amount=match.line.amount,
            applied_by=applied_by,
        ),
    )


async def proof_counts(session: AsyncSession, payment_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    counts: dict[uuid.UUID, int] = {}
    for proof in await repository.proofs_of(session, payment_ids):
        counts[proof.payment_id] = counts.get(proof.payment_id, 0) + 1
    return counts


def statement_too_large(max_bytes: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        params={"max_megabytes": f"{max_bytes / (1024 * 1024):g}"}, extra={"max_bytes": max_bytes}
    )
