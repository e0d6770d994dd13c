"""Admin console, money: complaints (resolved with a refund, a partial refund or a release
to the seller) and payouts of what sellers have available. Both are final, so both ask for
confirmation first."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Depends, Form, Path, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from marketplace.complaints import service as complaints_service
from marketplace.complaints.models import ComplaintOutcome, ComplaintStatus
from marketplace.complaints.schemas import ComplaintResolve
from marketplace.consoles.admin_access import (
    Admin,
    AdminForm,
    admin_router,
    form_values,
    shown_in_page,
)
from marketplace.consoles.web import confirmation_needed
from marketplace.core.dependencies import cursor_codec
from marketplace.core.errors import AppError
from marketplace.core.i18n import N_
from marketplace.core.pagination import CursorCodec
from marketplace.db.session import DbSession, RequestTransactions
from marketplace.orders import desk as orders_desk
from marketplace.payments import payouts
from marketplace.payments.banks import bank_name
from marketplace.payments.dependencies import Payments
from marketplace.payments.schemas import PayoutCreate
from marketplace.sellers import service as sellers_service
from marketplace.sellers.exceptions import SellerNotFound

router = admin_router()
ComplaintCodec = Annotated[CursorCodec, Depends(cursor_codec("complaints"))]
Amount = Annotated[str, Form(max_length=20)]
PAGE_SIZE = 10  # cards with their forms: ten keep a page well under 50 KB
# (question before, message after) for each outcome, every msgid written out
RESOLUTION_TEXTS = {
    ComplaintOutcome.REFUND: (
        N_("Refund the buyer in full? This decision is final."),
        N_("Complaint resolved: the buyer is refunded."),
    ),
    ComplaintOutcome.PARTIAL_REFUND: (
        N_("Refund %(amount)s to the buyer? This decision is final."),
        N_("Complaint resolved: the buyer is partly refunded."),
    ),
    ComplaintOutcome.RELEASE: (
        N_("Release the money to the seller? This decision is final."),
        N_("Complaint resolved: the money goes to the seller."),
    ),
}


def parse_rupiah(raw: str) -> int | str | None:
    """``150.000``, ``150000`` or ``Rp 150.000`` as whole rupiah; the text itself when it is no
    number (so validation names it); None when empty."""
    text = raw.strip().removeprefix("Rp").strip().replace(".", "").replace(" ", "")
    if not text:
        return None
    return int(text) if text.isdigit() and len(text) <= 13 else raw.strip()


async def _complaints_context(
    session: AsyncSession, codec: CursorCodec, status: str, cursor: str | None
) -> dict[str, Any]:
    shown = ComplaintStatus.RESOLVED if status == "resolved" else ComplaintStatus.OPEN
    try:
        page = await complaints_service.complaint_page(
            session, codec, seller_id=None, status=shown, limit=PAGE_SIZE, cursor=cursor
        )
    except AppError:
        page = await complaints_service.complaint_page(
            session, codec, seller_id=None, status=shown, limit=PAGE_SIZE, cursor=None
        )
    numbers = await orders_desk.order_numbers(session, [c.order_id for c in page.items])
    seller_ids = {c.seller_id for c in page.items}
    sellers = {s: await sellers_service.get_seller(session, s) for s in seller_ids}
    return {
        "here": "complaints",
        "complaints": page.items,
        "next_cursor": page.next_cursor,
        "shown": shown.value,
        "numbers": numbers,
        "sellers": sellers,
        "outcomes": [o.value for o in ComplaintOutcome],
    }


@router.get("/keluhan", response_class=Response)
async def complaints_page(
    console: Admin,
    session: DbSession,
    codec: ComplaintCodec,
    status: Annotated[str, Query(max_length=20)] = "open",
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    context = await _complaints_context(session, codec, status, cursor)
    return console.render("admin/complaints.html", **context)


@router.post("/keluhan/{complaint_id}/selesaikan", response_class=Response)
async def resolve_complaint(
    complaint_id: Annotated[str, Path(max_length=100)],
    console: AdminForm,
    transactions: RequestTransactions,
    codec: ComplaintCodec,
    payments: Payments,
    outcome: Annotated[str, Form(max_length=20)] = "",
    amount: Amount = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Final: a refund goes back through the original payment, a release pays the seller."""

    async def page(session: AsyncSession) -> dict[str, Any]:
        return await _complaints_context(session, codec, "open", None)

    form = await console.request.form()
    fields: dict[str, Any] = {"outcome": outcome, "note": note, "amount": parse_rupiah(amount)}
    if outcome != ComplaintOutcome.PARTIAL_REFUND.value and fields["amount"] is None:
        del fields["amount"]
    values = form_values(form, "outcome", "amount", "note")
    async with shown_in_page(
        console,
        transactions,
        "admin/complaints.html",
        page,
        failed_id=complaint_id,
        values=values,
    ) as writing:
        body = ComplaintResolve.model_validate(fields)
        asked = confirmation_needed(
            console,
            form,
            RESOLUTION_TEXTS[body.outcome][0],
            back=console.url("/admin/keluhan"),
            amount=console.money(body.amount or 0),
        )
        if asked is not None:
            return asked
        await complaints_service.resolve_complaint(
            writing, payments, console.user, complaint_id, body
        )
    return console.redirect("/admin/keluhan", success=RESOLUTION_TEXTS[body.outcome][1])


# --- payouts ------------------------------------------------------------------------------


async def _payouts_context(session: AsyncSession) -> dict[str, Any]:
    return {"here": "payouts", "due": await payouts.payouts_due(session), "bank_name": bank_name}


@router.get("/pencairan", response_class=Response)
async def payouts_page(console: Admin, session: DbSession) -> Response:
    """Sellers with money available, their bank accounts, and a form to record each payout."""
    return console.render("admin/payouts.html", **await _payouts_context(session))


@router.get("/pencairan/unduh", response_class=Response)
async def download_payout_batch(console: Admin, session: DbSession) -> Response:
    """The payouts to make now as the bank's bulk-transfer CSV (the API's export, for the
    treasurer who works from this page)."""
    return Response(
        await payouts.payout_batch_csv(session),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="pencairan.csv"',
            "Cache-Control": "private, no-store",
        },
    )


@router.post("/pencairan/{seller_id}", response_class=Response)
async def record_payout(
    seller_id: Annotated[uuid.UUID, Path()],
    console: AdminForm,
    transactions: RequestTransactions,
    amount: Amount = "",
    bank_reference: Annotated[str, Form(max_length=200)] = "",
    note: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """The money was sent from the bank: recorded once (after a confirm step), never above
    what is available."""
    form = await console.request.form()
    fields: dict[str, Any] = {"amount": parse_rupiah(amount), "bank_reference": bank_reference}
    if note.strip():
        fields["note"] = note
    async with shown_in_page(
        console,
        transactions,
        "admin/payouts.html",
        _payouts_context,
        failed_id=str(seller_id),
        values=form_values(form, "amount", "bank_reference", "note"),
    ) as writing:
        body = PayoutCreate.model_validate(fields)
        seller = await sellers_service.get_seller(writing, seller_id)
        if seller is None:
            raise SellerNotFound()
        asked = confirmation_needed(
            console,
            form,
            N_("Record a payout of %(amount)s to %(name)s? Make sure the bank has sent it."),
            back=console.url("/admin/pencairan"),
            amount=console.money(body.amount),
            name=seller.name,
        )
        if asked is not None:
            return asked
        await payouts.pay_seller(
            writing, console.user, seller.id, body.amount, body.bank_reference, body.note
        )
    return console.redirect(
        "/admin/pencairan", success=N_("The payout to %(name)s is recorded."), name=seller.name
    )
