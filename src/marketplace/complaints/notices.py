"""The e-mails a complaint sends, to the buyer and to the seller's members, each in their own
language. Queued in the transaction, sent after it commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.complaints.models import Complaint, ComplaintReason
from marketplace.core.i18n import N_, Language, gettext_in
from marketplace.notifications import service as notifications
from marketplace.orders.models import Order
from marketplace.sellers import service as sellers_service

_REASONS = {
    ComplaintReason.DAMAGED: N_("item damaged"),
    ComplaintReason.NOT_AS_DESCRIBED: N_("item not as described"),
    ComplaintReason.NOT_RECEIVED: N_("item not received"),
    ComplaintReason.OTHER: N_("other"),
}


def _reason(complaint: Complaint, language: Language) -> str:
    return gettext_in(language, _REASONS[complaint.reason])


def _context(complaint: Complaint, order: Order, seller_name: str) -> dict[str, Any]:
    return {
        "order_number": order.number,
        "seller_name": seller_name,
        "description": complaint.description,
        "answer": complaint.seller_answer,
        "outcome": complaint.outcome.value if complaint.outcome else None,
        "refund_amount": complaint.refund_amount or 0,
        "note": complaint.resolution_note,
    }


async def _send(
    session: AsyncSession, complaint: Complaint, order: Order, template: str, *, to_seller: bool
) -> None:
    seller = await sellers_service.get_seller(session, complaint.seller_id)
    context = _context(complaint, order, seller.name if seller else "")
    await notifications.queue_email(
        session,
        [order.buyer_email],
        template,
        order.language,
        {**context, "to_seller": False, "reason": _reason(complaint, order.language)},
    )
    if not to_seller or seller is None:
        return
    by_language: dict[Language, list[str]] = {}
    for member in await sellers_service.list_members(session, seller):
        by_language.setdefault(member.language, []).append(member.email)
    for language, emails in by_language.items():
        await notifications.queue_email(
            session,
            emails,
            template,
            language,
            {**context, "to_seller": True, "reason": _reason(complaint, language)},
        )


async def complaint_opened(session: AsyncSession, complaint: Complaint, order: Order) -> None:
    await _send(session, complaint, order, "complaint_opened", to_seller=True)


async def complaint_answered(session: AsyncSession, complaint: Complaint, order: Order) -> None:
    await _send(session, complaint, order, "complaint_answered", to_seller=False)


async def complaint_resolved(session: AsyncSession, complaint: Complaint, order: Order) -> None:
    await _send(session, complaint, order, "complaint_resolved", to_seller=True)
