"""The admin desk's work across orders and payments: listing payments with their orders,
matching a bank statement and confirming what it proves, proofs of transfer."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts import service as accounts_service
from marketplace.accounts.models import User
from marketplace.config import Settings
from marketplace.core.pagination import CursorCodec
from marketplace.core.schemas import Page
from marketplace.db.base import parse_id
from marketplace.db.session import (
    begin_write_transaction,
    commit,
)
from marketplace.desk.schemas import (
    AdminPaymentRead,
    MatchedLine,
    ProofRead,
    ProofUploaded,
    StatementResult,
    UnmatchedLine,
)
from marketplace.gateways import started
from marketplace.media.storage import MediaStorage
from marketplace.orders import desk as orders_desk
from marketplace.orders import service as orders_service
from marketplace.payments import desk as payments_desk
from marketplace.payments import proofs
from marketplace.payments import service as payments_service
from marketplace.payments.bank_statements import StatementFormat
from marketplace.payments.exceptions import PaymentNotFound
from marketplace.payments.models import PaymentAttemptStatus, PaymentMethod
from marketplace.payments.service import PaymentRuntime
from marketplace.payments.statement_matching import LineMatch, Outcome

Progress = Callable[[int, int], None]


async def payments_page(
    session: AsyncSession,
    codec: CursorCodec,
    status: PaymentAttemptStatus | None,
    method: PaymentMethod | None,
    limit: int,
    cursor: str | None,
) -> Page[AdminPaymentRead]:
    rows, next_cursor = await payments_desk.payments_page(
        session, codec, status, method, limit, cursor
    )
    counts = await payments_desk.proof_counts(session, [payment.id for payment, _ in rows])
    items = [
        AdminPaymentRead(
            id=payment.id,
            order_id=payment.order_id,
            order_number=number,
            method=payment.method,
            status=payment.status.value,
            amount=payment.amount,
            unique_code=payment.unique_code,
            reference=payment.reference,
            proof_count=counts.get(payment.id, 0),
            created_at=payment.created_at,
            paid_at=payment.paid_at,
        )
        for payment, number in rows
    ]
    return Page(items=items, next_cursor=next_cursor)


async def reconcile_statement(
    session: AsyncSession,
    runtime: PaymentRuntime,
    admin_id: uuid.UUID | None,
    raw: bytes,
    statement_format: StatementFormat,
    *,
    apply: bool,
    progress: Progress | None = None,
) -> StatementResult:
    """Match every credit of the statement; with ``apply``, confirm each matched payment
    once (the line's hash is stored first, so a re-upload or a racing upload skips it)."""
    statement = payments_desk.parse_statement(raw, statement_format)
    matches = await payments_desk.match_statement(session, statement)
    matched: list[MatchedLine] = []
    unmatched = [
        UnmatchedLine(
            line=line.line,
            amount=None,
            posted_on=None,
            description=line.text,
            reason=f"unreadable: {line.reason}",
        )
        for line in statement.unreadable
    ]
    for done, match in enumerate(matches, start=1):
        if match.outcome is Outcome.MATCHED and match.payment is not None:
            outcome = (
                await _apply(session, runtime, admin_id, match, statement_format) if apply else None
            )
            matched.append(_matched_line(match, outcome))
        else:
            unmatched.append(_unmatched_line(match))
        if progress is not None:
            progress(done, len(matches))
    return StatementResult(
        format=statement_format.value,
        applied=apply,
        matched=matched,
        unmatched=sorted(unmatched, key=lambda line: line.line),
        credits=len(statement.credits),
        matched_total=sum(line.amount for line in matched),
    )


async def _apply(
    session: AsyncSession,
    runtime: PaymentRuntime,
    admin_id: uuid.UUID | None,
    match: LineMatch,
    statement_format: StatementFormat,
) -> str:
    assert match.payment is not None
    if not await payments_desk.record_statement_line(session, match, statement_format, admin_id):
        return "already_applied"
    return await orders_desk.confirm_from_statement(
        session, runtime, admin_id, match.payment, match.line.line
    )


def _matched_line(match: LineMatch, outcome: str | None) -> MatchedLine:
    assert match.payment is not None
    assert match.order_number is not None
    return MatchedLine(
        line=match.line.line,
        payment_id=match.payment.id,
        order_number=match.order_number,
        amount=match.line.amount,
        posted_on=match.line.posted_on,
        description=match.line.description,
        outcome=outcome,
    )


def _unmatched_line(match: LineMatch) -> UnmatchedLine:
    return UnmatchedLine(
        line=match.line.line,
        amount=match.line.amount,
        posted_on=match.line.posted_on,
        description=match.line.description,
        reason=match.reason or match.outcome.value,
        candidates=match.candidates,
    )


async def upload_proof(
    session: AsyncSession,
    settings: Settings,
    storage: MediaStorage,
    viewer: User | None,
    order_id: str,
    payment_id: str,
    order_token: str | None,
    raw: bytes,
) -> ProofUploaded:
    """The buyer's receipt photo for one of the order's payments; 404 for anyone else."""
    order = await orders_service.order_for_buyer(session, viewer, order_id, order_token)
    if not orders_service.is_buyer(order, viewer, order_token):
        raise PaymentNotFound()
    parsed = parse_id(payment_id)
    payment = await payments_service.get_payment(session, parsed) if parsed else None
    if payment is None or payment.order_id != order.id:
        raise PaymentNotFound()
    proof = await proofs.store_proof(
        session, settings, storage, payment, raw, viewer.id if viewer else None
    )
    return ProofUploaded(
        id=proof.id,
        payment_id=proof.payment_id,
        width=proof.width,
        height=proof.height,
        byte_size=proof.byte_size,
        created_at=proof.created_at,
    )


async def proofs_of_payment(
    session: AsyncSession, settings: Settings, storage: MediaStorage, payment_id: str
) -> list[ProofRead]:
    parsed = parse_id(payment_id)
    payment = await payments_service.get_payment(session, parsed) if parsed else None
    if payment is None:
        raise PaymentNotFound()
    return [
        ProofRead(
            id=link.proof.id,
            payment_id=link.proof.payment_id,
            width=link.proof.width,
            height=link.proof.height,
            byte_size=link.proof.byte_size,
            created_at=link.proof.created_at,
            url=link.url,
            url_expires_at=datetime.fromtimestamp(link.expires_at, UTC),
        )
        for link in await proofs.proof_links(session, settings, storage, payment.id)
    ]


class UnknownAdmin(Exception):
    """The command named no admin account."""


async def run_match_statement(
    settings: Settings,
    raw: bytes,
    statement_format: StatementFormat,
    *,
    admin_email: str | None,
    apply: bool,
    progress: Progress | None = None,
) -> StatementResult:
    """The command line's statement matching, in one transaction (committed with ``apply``);
    confirmations are recorded as the named admin's."""
    async with started(settings) as (sessionmaker, gateways), sessionmaker() as session:
        await begin_write_transaction(session)
        admin = await accounts_service.find_user_by_email(session, admin_email or "")
        if apply and (admin is None or not admin.is_admin):
            raise UnknownAdmin(admin_email)
        result = await reconcile_statement(
            session,
            gateways.payments,
            admin.id if admin is not None and admin.is_admin else None,
            raw,
            statement_format,
            apply=apply,
            progress=progress,
        )
        if apply:
            await commit(session, gateways.mailer)
        return result
