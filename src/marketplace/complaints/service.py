"""Complaints: a buyer opens one on a shipped or delivered seller-order whose money has not
settled; that freezes the money (no settlement while it is open); the seller may answer; an
admin resolves it with a refund, a partial refund or a release to the seller, after which the
seller-order settles. Every change to one order takes the order's row lock first."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import User
from marketplace.audit import service as audit_service
from marketplace.complaints import notices, repository
from marketplace.complaints.exceptions import (
    ComplaintExists,
    ComplaintNotAllowed,
    ComplaintNotFound,
    ComplaintResolved,
    RefundExceedsPaid,
)
from marketplace.complaints.models import (
    Complaint,
    ComplaintOutcome,
    ComplaintStatus,
)
from marketplace.complaints.schemas import (
    ComplaintAnswer,
    ComplaintCreate,
    ComplaintRead,
    ComplaintResolve,
)
from marketplace.core.errors import Forbidden
from marketplace.core.pagination import CursorCodec, parse_time_and_id, split_page, time_and_id
from marketplace.core.schemas import Page
from marketplace.db.base import parse_id, utcnow
from marketplace.orders import service as orders_service
from marketplace.orders.exceptions import SellerOrderNotFound
from marketplace.orders.models import Order, SellerOrder, SellerOrderStatus
from marketplace.payments import escrow
from marketplace.payments.ledger import PaidPart
from marketplace.payments.models import SettlementTrigger
from marketplace.payments.service import PaymentRuntime

COMPLAINABLE = (SellerOrderStatus.SHIPPED, SellerOrderStatus.DELIVERED)


def _part(part: SellerOrder) -> PaidPart:
    return PaidPart(
        seller_order_id=part.id,
        seller_id=part.seller_id,
        goods=part.subtotal,
        shipping=part.shipping,
    )


async def open_complaint(
    session: AsyncSession,
    viewer: User | None,
    order_token: str | None,
    seller_order_id: str,
    body: ComplaintCreate,
) -> Complaint:
    """The buyer's complaint; 404 for anyone who cannot see the seller-order, 403 for its
    seller's members and admins, 409 unless shipped or delivered, unsettled and the first."""
    order, part, _ = await orders_service.seller_order_for(
        session, viewer, seller_order_id, order_token
    )
    if not orders_service.is_buyer(order, viewer, order_token):
        raise Forbidden()
    if part.status not in COMPLAINABLE:
        raise ComplaintNotAllowed(params={"current": part.status.value})
    if await escrow.is_settled(session, _part(part)):
        raise ComplaintNotAllowed(params={"current": "settled"})
    if await repository.of_seller_order(session, part.id) is not None:
        raise ComplaintExists()
    complaint = Complaint(
        seller_order_id=part.id,
        order_id=order.id,
        seller_id=part.seller_id,
        status=ComplaintStatus.OPEN,
        reason=body.reason,
        description=body.description,
    )
    try:
        async with session.begin_nested():
            session.add(complaint)
            await session.flush()
    except IntegrityError as error:
        raise ComplaintExists() from error
    await notices.complaint_opened(session, complaint, order)
    return complaint


async def complaints_of_seller_order(
    session: AsyncSession, viewer: User | None, order_token: str | None, seller_order_id: str
) -> list[Complaint]:
    """For the buyer, the seller's members and admins; 404 for anyone else."""
    _, part, _ = await orders_service.seller_order_for(
        session, viewer, seller_order_id, order_token
    )
    complaint = await repository.of_seller_order(session, part.id)
    return [complaint] if complaint else []


async def _locked(
    session: AsyncSession, viewer: User, complaint_id: str
) -> tuple[Order, SellerOrder, Complaint, bool]:
    """The complaint with its order and seller-order, locked in the fixed order (order,
    seller-order, complaint); 404 for anyone who may not see the seller-order."""
    parsed = parse_id(complaint_id)
    found = await repository.get(session, parsed) if parsed else None
    if found is None:
        raise ComplaintNotFound()
    try:
        order, part, is_member = await orders_service.seller_order_for(
            session, viewer, str(found.seller_order_id), None
        )
    except SellerOrderNotFound as error:
        raise ComplaintNotFound() from error
    complaint = await repository.get(session, found.id, for_update=True)
    if complaint is None:
        raise ComplaintNotFound()
    return order, part, complaint, is_member


async def answer_complaint(
    session: AsyncSession, member: User, complaint_id: str, body: ComplaintAnswer
) -> Complaint:
    """The seller's side of the story, while the complaint is open (a new answer replaces
    the earlier one)."""
    order, _, complaint, is_member = await _locked(session, member, complaint_id)
    if not is_member:
        raise Forbidden()
    if complaint.status is not ComplaintStatus.OPEN:
        raise ComplaintResolved()
    complaint.seller_answer = body.message
    complaint.answered_at = utcnow()
    complaint.answered_by = member.id
    await session.flush()
    await notices.complaint_answered(session, complaint, order)
    return complaint


async def resolve_complaint(
    session: AsyncSession,
    runtime: PaymentRuntime,
    admin: User,
    complaint_id: str,
    body: ComplaintResolve,
) -> Complaint:
    """Refund (all that was paid and not yet refunded), partial refund (``amount``) or release;
    then the seller-order settles: what is left of its money goes to the seller."""
    order, part, complaint, _ = await _locked(session, admin, complaint_id)
    if complaint.status is not ComplaintStatus.OPEN:
        raise ComplaintResolved()
    refunded = await _refund_for(session, runtime, order, part, complaint, body)
    complaint.status = ComplaintStatus.RESOLVED
    complaint.outcome = body.outcome
    complaint.refund_amount = refunded
    complaint.resolution_note = body.note
    complaint.resolved_at = utcnow()
    complaint.resolved_by = admin.id
    await session.flush()
    await escrow.settle(session, _part(part), SettlementTrigger.COMPLAINT_RESOLVED)
    await audit_service.record_admin_action(
        session,
        actor_id=admin.id,
        action="complaint.resolve",
        target_type="complaint",
        target_id=complaint.id,
        before={"status": ComplaintStatus.OPEN.value},
        after={
            "status": complaint.status.value,
            "outcome": body.outcome.value,
            "refund_amount": refunded,
            "order_number": order.number,
            "payment_status": order.payment_status.value,
        },
        reason=body.note,
    )
    await notices.complaint_resolved(session, complaint, order)
    return complaint


async def _refund_for(
    session: AsyncSession,
    runtime: PaymentRuntime,
    order: Order,
    part: SellerOrder,
    complaint: Complaint,
    body: ComplaintResolve,
) -> int:
    if body.outcome is ComplaintOutcome.RELEASE:
        return 0
    refundable = await orders_service.refundable_amount(session, order, part)
    amount = refundable if body.amount is None else body.amount
    if amount > refundable or amount <= 0:
        raise RefundExceedsPaid(params={"amount": amount, "refundable": refundable})
    return await orders_service.refund_seller_order(
        session, runtime, order, part, amount, f"complaint-{complaint.id}"
    )


async def complaint_page(
    session: AsyncSession,
    codec: CursorCodec,
    *,
    seller_id: uuid.UUID | None,
    status: ComplaintStatus | None,
    limit: int,
    cursor: str | None,
) -> Page[ComplaintRead]:
    after = codec.decode_as(cursor, parse_time_and_id) if cursor else None
    rows = await repository.page(
        session, seller_id=seller_id, status=status, after=after, limit=limit + 1
    )
    complaints, next_cursor = split_page(
        rows, limit, codec, lambda c: time_and_id(c.created_at, c.id)
    )
    return Page(
        items=[ComplaintRead.model_validate(c) for c in complaints], next_cursor=next_cursor
    )
