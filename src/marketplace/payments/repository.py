"""SQL for payments, refunds, webhook events and the ledger."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Insert,
    Integer,
    Select,
    Table,
    Uuid,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    literal,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert
from sqlalchemy.sql.selectable import CTE

from marketplace.complaints.models import Complaint, ComplaintStatus
from marketplace.db.base import utcnow
from marketplace.db.pending_inserts import cast_table, execute_with_pending
from marketplace.db.queries import constant, newest_first
from marketplace.orders.models import Order, SellerOrder, SellerOrderStatus
from marketplace.payments.models import (
    LedgerBucket,
    LedgerEntry,
    LedgerKind,
    Payment,
    PaymentAnomaly,
    PaymentAttemptStatus,
    PaymentMethod,
    PaymentProof,
    PayoutAccount,
    PlatformLedgerEntry,
    Refund,
    SellerOrderSettlement,
    StatementLine,
    StripeEvent,
    TransferCode,
)
from marketplace.sellers.models import Seller


async def get_payment(
    session: AsyncSession, payment_id: uuid.UUID, *, for_update: bool = False
) -> Payment | None:
    query = select(Payment).where(Payment.id == payment_id)
    if for_update:
        # Re-read under the lock: a copy loaded earlier in this session may be stale by now.
        query = query.with_for_update().execution_options(populate_existing=True)
    return (await session.execute(query)).scalar_one_or_none()


async def get_payment_by_reference(session: AsyncSession, reference: str) -> Payment | None:
    result = await session.execute(select(Payment).where(Payment.reference == reference))
    return result.scalar_one_or_none()


async def latest_payments(
    session: AsyncSession, order_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Payment]:
    """Each order's newest payment attempt."""
    result = await session.execute(
        select(Payment)
        .where(Payment.order_id.in_(order_ids))
        .order_by(Payment.created_at, Payment.id)
    )
    return {payment.order_id: payment for payment in result.scalars()}


async def payments_of_order(session: AsyncSession, order_id: uuid.UUID) -> list[Payment]:
    result = await session.execute(
        select(Payment).where(Payment.order_id == order_id).order_by(Payment.created_at)
    )
    return list(result.scalars())


async def cancel_open_payments(session: AsyncSession, order_id: uuid.UUID) -> None:
    """Void the open attempts and give their unique codes back to the pool."""
    await session.execute(
        update(Payment)
        .where(Payment.order_id == order_id, Payment.status == PaymentAttemptStatus.PENDING)
        .values(status=PaymentAttemptStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        delete(TransferCode).where(
            TransferCode.payment_id.in_(select(Payment.id).where(Payment.order_id == order_id))
        )
    )


async def take_free_transfer_code(
    session: AsyncSession, payment_id: uuid.UUID, highest: int
) -> int | None:
    """One statement: a random code of 1..``highest`` that no committed transfer holds,
    inserted for ``payment_id``; None when none is free or when a concurrent transaction took
    the chosen one first (the insert waited for it, then did nothing: no savepoint needed)."""
    statement = _take_free_code_statement(session.get_bind().dialect.name)
    parameters = {"highest": highest, "payment_id": payment_id, "taken_at": utcnow()}
    result = await execute_with_pending(session, statement, parameters)
    code: int | None = result.scalar_one_or_none()
    return code


@functools.cache
def _take_free_code_statement(dialect: str) -> Insert:
    """Built once per dialect, the values bound at execution: building it per order cost
    more CPU than running it. Core, so the pending rows' parameters ride along."""
    payment_id = bindparam("payment_id", type_=Uuid)
    # Not named like a column: it would also SET that column of a pending UPDATE riding along.
    taken_at = bindparam("taken_at", type_=DateTime(True))
    free = _free_code(bindparam("highest", type_=Integer)).add_columns(payment_id, taken_at)
    insert_for = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return _code_insert(insert_for, free)


def take_code_for_new_payment(new_payment: CTE, highest: int) -> CTE:
    """A CTE taking a random free code of 1..``highest`` for the one payment ``new_payment``
    (a CTE returning its ``id``) inserts, and none when it inserts none; returns the code.
    Nothing either when a concurrent transaction took that code first (see
    ``take_free_transfer_code``). Its moment is bound as ``code_taken_at`` (PostgreSQL)."""
    taken_at = bindparam("code_taken_at", type_=DateTime(True))
    free = (
        _free_code(constant(highest, Integer()))
        .add_columns(new_payment.c.id, taken_at)
        .join(new_payment, true())
    )
    return _code_insert(postgresql.insert, free).cte("new_code")


def _free_code(highest: ColumnElement[int]) -> Select[Any]:
    """One random code of 1..``highest`` that no committed transfer holds."""
    numbers = select(literal(1, Integer).label("code")).cte("numbers", recursive=True)
    numbers = numbers.union_all(
        select((numbers.c.code + 1).label("code")).where(numbers.c.code < highest)
    )
    return (
        select(numbers.c.code)
        .where(numbers.c.code.not_in(select(TransferCode.code)))
        .order_by(func.random())
        .limit(1)
    )


def _code_insert(
    insert_for: Callable[[Table], postgresql.Insert | sqlite.Insert], free: Select[Any]
) -> ReturningInsert[Any]:
    table = cast_table(TransferCode)
    return (
        insert_for(table)
        .from_select([table.c.code, table.c.payment_id, table.c.created_at], free)
        .on_conflict_do_nothing()
        .returning(table.c.code)
    )


async def any_transfer_code_free(session: AsyncSession, highest: int) -> bool:
    held = select(func.count()).select_from(TransferCode).where(TransferCode.code <= highest)
    return int((await session.execute(held)).scalar_one()) < highest


async def release_transfer_code(session: AsyncSession, payment_id: uuid.UUID) -> None:
    await session.execute(delete(TransferCode).where(TransferCode.payment_id == payment_id))


async def was_credited(session: AsyncSession, seller_order_id: uuid.UUID) -> bool:
    result = await session.execute(
        select(LedgerEntry.id).where(
            LedgerEntry.seller_order_id == seller_order_id, LedgerEntry.kind == LedgerKind.SALE
        )
    )
    return result.first() is not None


async def ledger_buckets(session: AsyncSession, seller_id: uuid.UUID) -> tuple[int, int, int]:
    """(pending, available, paid out) of the seller: three sums over its entries."""

    def bucket_sum(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, LedgerEntry.amount), else_=0)), 0)

    result = await session.execute(
        select(
            bucket_sum(LedgerEntry.bucket == LedgerBucket.PENDING),
            bucket_sum(LedgerEntry.bucket == LedgerBucket.AVAILABLE),
            bucket_sum(LedgerEntry.kind == LedgerKind.PAYOUT),
        ).where(LedgerEntry.seller_id == seller_id)
    )
    pending, available, payouts = result.one()
    return int(pending), int(available), -int(payouts)


async def _part_sum(
    session: AsyncSession,
    seller_order_id: uuid.UUID,
    kinds: tuple[LedgerKind, ...],
    bucket: LedgerBucket | None = None,
) -> int:
    query = select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
        LedgerEntry.seller_order_id == seller_order_id, LedgerEntry.kind.in_(kinds)
    )
    if bucket is not None:
        query = query.where(LedgerEntry.bucket == bucket)
    return int((await session.execute(query)).scalar_one())


async def refunded_from_ledger(session: AsyncSession, seller_order_id: uuid.UUID) -> int:
    return -await _part_sum(session, seller_order_id, (LedgerKind.REFUND,))


async def commission_returned(session: AsyncSession, seller_order_id: uuid.UUID) -> int:
    return await _part_sum(session, seller_order_id, (LedgerKind.COMMISSION_RETURN,))


async def pending_of_part(session: AsyncSession, seller_order_id: uuid.UUID) -> int:
    """What is still held for one seller-order."""
    return await _part_sum(session, seller_order_id, tuple(LedgerKind), LedgerBucket.PENDING)


async def has_entry(
    session: AsyncSession, seller_order_id: uuid.UUID, kind: LedgerKind, reference: str
) -> bool:
    result = await session.execute(
        select(LedgerEntry.id).where(
            LedgerEntry.seller_order_id == seller_order_id,
            LedgerEntry.kind == kind,
            LedgerEntry.reference == reference,
        )
    )
    return result.first() is not None


async def is_settled(session: AsyncSession, seller_order_id: uuid.UUID) -> bool:
    result = await session.execute(
        select(SellerOrderSettlement.id).where(
            SellerOrderSettlement.seller_order_id == seller_order_id
        )
    )
    return result.first() is not None


async def settled_among(
    session: AsyncSession, seller_order_ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    result = await session.execute(
        select(SellerOrderSettlement.seller_order_id).where(
            SellerOrderSettlement.seller_order_id.in_(seller_order_ids)
        )
    )
    return set(result.scalars())


async def has_open_complaint(session: AsyncSession, seller_order_id: uuid.UUID) -> bool:
    result = await session.execute(
        select(Complaint.id).where(
            Complaint.seller_order_id == seller_order_id,
            Complaint.status == ComplaintStatus.OPEN,
        )
    )
    return result.first() is not None


def _due_condition(delivered_before: datetime) -> list[ColumnElement[bool]]:
    open_complaint = exists().where(
        Complaint.seller_order_id == SellerOrder.id, Complaint.status == ComplaintStatus.OPEN
    )
    settled = exists().where(SellerOrderSettlement.seller_order_id == SellerOrder.id)
    return [
        SellerOrder.status == SellerOrderStatus.DELIVERED,
        SellerOrder.delivered_at < delivered_before,
        ~settled,
        ~open_complaint,
    ]


async def due_settlement_order_ids(
    session: AsyncSession, delivered_before: datetime, limit: int, *, skip_locked: bool
) -> list[uuid.UUID]:
    """Orders holding a seller-order delivered before the cutoff, unsettled and with no open
    complaint. The order rows are locked (other sweeps skip them): the order row is the first
    lock every change to an order takes, so a complaint or a refund waits for us or we skip."""
    due = select(SellerOrder.order_id).where(*_due_condition(delivered_before)).limit(limit)
    query = (
        select(Order.id)
        .where(Order.id.in_(due))
        .order_by(Order.id)
        .with_for_update(skip_locked=skip_locked)
    )
    return list((await session.execute(query)).scalars())


async def due_seller_orders(
    session: AsyncSession, order_ids: Sequence[uuid.UUID], delivered_before: datetime
) -> list[SellerOrder]:
    """The due seller-orders of orders we hold locked, checked again under the lock."""
    result = await session.execute(
        select(SellerOrder)
        .where(SellerOrder.order_id.in_(order_ids), *_due_condition(delivered_before))
        .order_by(SellerOrder.id)
        .with_for_update()
    )
    return list(result.scalars())


async def current_payout_account(
    session: AsyncSession, seller_id: uuid.UUID
) -> PayoutAccount | None:
    result = await session.execute(
        select(PayoutAccount)
        .where(PayoutAccount.seller_id == seller_id)
        .order_by(PayoutAccount.created_at.desc(), PayoutAccount.id.desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


async def payout_account_history(
    session: AsyncSession, seller_id: uuid.UUID
) -> list[PayoutAccount]:
    result = await session.execute(
        select(PayoutAccount)
        .where(PayoutAccount.seller_id == seller_id)
        .order_by(PayoutAccount.created_at.desc(), PayoutAccount.id.desc())
    )
    return list(result.scalars())


async def sellers_with_available(session: AsyncSession) -> list[tuple[Seller, int]]:
    """Every seller with money available to pay out, and how much, by name."""
    available = func.sum(
        case((LedgerEntry.bucket == LedgerBucket.AVAILABLE, LedgerEntry.amount), else_=0)
    )
    result = await session.execute(
        select(Seller, available)
        .join(LedgerEntry, LedgerEntry.seller_id == Seller.id)
        .group_by(Seller.id)
        .having(available > 0)
        .order_by(Seller.name, Seller.id)
    )
    return [(seller, int(amount)) for seller, amount in result.all()]


async def lock_seller(session: AsyncSession, seller_id: uuid.UUID) -> None:
    await session.execute(select(Seller.id).where(Seller.id == seller_id).with_for_update())


async def ledger_entries(
    session: AsyncSession,
    seller_id: uuid.UUID,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[LedgerEntry]:
    query = select(LedgerEntry).where(LedgerEntry.seller_id == seller_id)
    query = newest_first(query, LedgerEntry.created_at, LedgerEntry.id, after, limit)
    return list((await session.execute(query)).scalars())


async def event_seen(session: AsyncSession, event_id: str) -> bool:
    return await session.get(StripeEvent, event_id) is not None


async def refunds_by_provider_ids(session: AsyncSession, provider_ids: list[str]) -> set[str]:
    result = await session.execute(
        select(Refund.provider_refund_id).where(Refund.provider_refund_id.in_(provider_ids))
    )
    return {value for value in result.scalars() if value}


async def pending_card_payments(session: AsyncSession, created_before: datetime) -> list[Payment]:
    result = await session.execute(
        select(Payment).where(
            Payment.method == PaymentMethod.STRIPE,
            Payment.status == PaymentAttemptStatus.PENDING,
            Payment.created_at < created_before,
            Payment.reference.is_not(None),
        )
    )
    return list(result.scalars())


async def list_anomalies(session: AsyncSession, limit: int) -> list[PaymentAnomaly]:
    result = await session.execute(
        select(PaymentAnomaly).order_by(PaymentAnomaly.created_at.desc()).limit(limit)
    )
    return list(result.scalars())


async def commission_charged(session: AsyncSession, seller_order_id: uuid.UUID) -> int:
    """What the platform charged on one seller-order (card and transfer, or cash)."""
    return -await _part_sum(
        session, seller_order_id, (LedgerKind.COMMISSION, LedgerKind.COD_COMMISSION)
    )


async def open_card_references(session: AsyncSession, order_id: uuid.UUID) -> list[str]:
    result = await session.execute(
        select(Payment.reference).where(
            Payment.order_id == order_id,
            Payment.method == PaymentMethod.STRIPE,
            Payment.status == PaymentAttemptStatus.PENDING,
            Payment.reference.is_not(None),
        )
    )
    return [reference for reference in result.scalars() if reference]


# Admin desk and Indonesian payments (issue 11)
CODED_METHODS = (PaymentMethod.BANK_TRANSFER, PaymentMethod.QRIS)


async def applied_statement_lines(session: AsyncSession, hashes: Sequence[str]) -> set[str]:
    if not hashes:
        return set()
    result = await session.execute(
        select(StatementLine.line_hash).where(StatementLine.line_hash.in_(hashes))
    )
    return set(result.scalars())


async def coded_payments_of_orders(
    session: AsyncSession, numbers: Sequence[str]
) -> dict[object, list[tuple[Payment, str]]]:
    """Transfer and QRIS attempts not yet paid (open, or voided by expiry) of these orders."""
    if not numbers:
        return {}
    result = await session.execute(
        select(Payment, Order.number)
        .join(Order, Order.id == Payment.order_id)
        .where(
            Order.number.in_(numbers),
            Payment.method.in_(CODED_METHODS),
            Payment.status.in_([PaymentAttemptStatus.PENDING, PaymentAttemptStatus.CANCELLED]),
        )
    )
    found: dict[object, list[tuple[Payment, str]]] = {}
    for payment, number in result.all():
        found.setdefault(number, []).append((payment, number))
    return found


async def open_coded_payments_by_amount(
    session: AsyncSession, amounts: Sequence[int]
) -> dict[object, list[tuple[Payment, str]]]:
    if not amounts:
        return {}
    result = await session.execute(
        select(Payment, Order.number)
        .join(Order, Order.id == Payment.order_id)
        .where(
            Payment.status == PaymentAttemptStatus.PENDING,
            Payment.method.in_(CODED_METHODS),
            Payment.amount.in_(amounts),
        )
        .order_by(Payment.created_at, Payment.id)
    )
    found: dict[object, list[tuple[Payment, str]]] = {}
    for payment, number in result.all():
        found.setdefault(payment.amount, []).append((payment, number))
    return found


async def record_statement_line(session: AsyncSession, line: StatementLine) -> bool:
    """False when the line was recorded already (by an earlier or a concurrent upload)."""
    try:
        async with session.begin_nested():
            session.add(line)
            await session.flush()
    except IntegrityError:
        return False
    return True


async def search_payments(
    session: AsyncSession,
    *,
    status: PaymentAttemptStatus | None,
    method: PaymentMethod | None,
    after: tuple[int, datetime, uuid.UUID] | None,
    limit: int,
) -> list[tuple[int, Payment, str]]:
    """(group, payment, order number): open transfers and QRIS (group 0) first, then every
    other payment (group 1), newest first within each; keyset on (group, created_at, id).
    Two indexed queries rather than one ORDER BY CASE, which no index can serve."""
    rows: list[tuple[int, Payment, str]] = []
    start_group = after[0] if after else 0
    for group in (0, 1):
        if group < start_group or len(rows) >= limit:
            continue
        key = (after[1], after[2]) if after and after[0] == group else None
        query = _payments_with_numbers()
        query = query.where(_open_coded() if group == 0 else ~_open_coded())
        if status is not None:
            query = query.where(Payment.status == status)
        if method is not None:
            query = query.where(Payment.method == method)
        query = newest_first(query, Payment.created_at, Payment.id, key, limit - len(rows))
        rows += [(group, row[0], row[1]) for row in (await session.execute(query)).all()]
    return rows


def _payments_with_numbers() -> Select[Any]:
    columns: tuple[Any, ...] = (Payment, Order.number)
    return select(*columns).join(Order, Order.id == Payment.order_id)


def _open_coded() -> ColumnElement[bool]:
    return and_(Payment.status == PaymentAttemptStatus.PENDING, Payment.method.in_(CODED_METHODS))


async def platform_entries(
    session: AsyncSession, after: tuple[datetime, uuid.UUID] | None, limit: int
) -> list[PlatformLedgerEntry]:
    query = newest_first(
        select(PlatformLedgerEntry),
        PlatformLedgerEntry.created_at,
        PlatformLedgerEntry.id,
        after,
        limit,
    )
    return list((await session.execute(query)).scalars())


async def platform_total(session: AsyncSession) -> int:
    result = await session.execute(select(func.coalesce(func.sum(PlatformLedgerEntry.amount), 0)))
    return int(result.scalar_one())


async def proofs_of(session: AsyncSession, payment_ids: Sequence[uuid.UUID]) -> list[PaymentProof]:
    if not payment_ids:
        return []
    result = await session.execute(
        select(PaymentProof)
        .where(PaymentProof.payment_id.in_(payment_ids))
        .order_by(PaymentProof.created_at, PaymentProof.id)
    )
    return list(result.scalars())


async def get_proof(session: AsyncSession, proof_id: uuid.UUID) -> PaymentProof | None:
    return await session.get(PaymentProof, proof_id)


async def count_proofs(session: AsyncSession, payment_id: uuid.UUID) -> int:
    result = await session.execute(
        select(func.count()).select_from(PaymentProof).where(PaymentProof.payment_id == payment_id)
    )
    return int(result.scalar_one())
