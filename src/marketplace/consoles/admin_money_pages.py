"""Admin console, money: complaints (resolved with a refund, a partial refund or a release
to the seller) and payouts of what sellers have available."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from marketplace.complaints import service as complaints_service
from marketplace.complaints.models import ComplaintOutcome, ComplaintStatus
from marketplace.complaints.schemas import ComplaintResolve
from marketplace.consoles.admin_access import Console, error_text, require_confirmation
from marketplace.core.dependencies import cursor_codec
from marketplace.core.errors import AppError
from marketplace.core.pagination import CursorCodec
from marketplace.db.session import DbSession, RequestTransactions
from marketplace.orders import desk as orders_desk
from marketplace.payments import payouts
from marketplace.payments.banks import bank_name
from marketplace.payments.schemas import PayoutCreate
from marketplace.sellers import service as sellers_service
from marketplace.sellers.exceptions import SellerNotFound

router = APIRouter(prefix="/admin", tags=["admin console"], include_in_schema=False)
CsrfField = Annotated[str, Form(alias="csrf_token", max_length=200)]
ComplaintCodec = Annotated[CursorCodec, Depends(cursor_codec("complaints"))]
Amount = Annotated[str, Form(max_length=20)]
PAGE_SIZE = 20


def parse_rupiah(raw: str) -> int | str | None:
    """``150.000``, ``150000`` or ``Rp 150.000`` as whole rupiah; the text itself when it is no
    number (so validation names it); None when empty."""
    text = raw.strip().removeprefix("Rp").strip().replace(".", "").replace(" ", "")
    if not text:
        return None
    return int(text) if text.isdigit() and len(text) <= 13 else raw.strip()


@router.get("/keluhan", response_class=Response)
async def complaints_page(
    console: Console,
    session: DbSession,
    codec: ComplaintCodec,
    status: Annotated[str, Query(max_length=20)] = "open",
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    return await _complaints_page(console, session, codec, status, cursor)


async def _complaints_page(
    console: Console,
    session: AsyncSession,
    codec: CursorCodec,
    status: str,
    cursor: str | None,
    *,
    error: str | None = None,
    failed_id: str | None = None,
    status_code: int = 200,
) -> Response:
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
    return console.render(
        "complaints.html",
        status_code=status_code,
        complaints=page.items,
        next_cursor=page.next_cursor,
        shown=shown.value,
        numbers=numbers,
        sellers=sellers,
        outcomes=[o.value for o in ComplaintOutcome],
        error=error,
        failed_id=failed_id,
    )


@router.post("/keluhan/{complaint_id}/selesaikan", response_class=Response)
async def resolve_complaint(
    complaint_id: Annotated[str, Path(max_length=100)],
    console: Console,
    transactions: RequestTransactions,
    codec: ComplaintCodec,
    csrf_token: CsrfField = "",
    outcome: Annotated[str, Form(max_length=20)] = "",
    amount: Amount = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    confirm: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """Final: a refund goes back through the original payment, a release pays the seller."""
    console.check_csrf(csrf_token)
    fields = {"outcome": outcome, "note": note, "amount": parse_rupiah(amount)}
    if outcome != ComplaintOutcome.PARTIAL_REFUND.value and fields["amount"] is None:
        del fields["amount"]
    try:
        require_confirmation(confirm)
        body = ComplaintResolve.model_validate(fields)
        async with transactions(write=True) as writing:
            await complaints_service.resolve_complaint(writing, console.admin, complaint_id, body)
    except (AppError, ValidationError) as failure:
        status_code = failure.status_code if isinstance(failure, AppError) else 422
        async with transactions(write=False) as reading:
            return await _complaints_page(
                console,
                reading,
                codec,
                "open",
                None,
                error=error_text(failure, console.language),
                failed_id=complaint_id,
                status_code=status_code,
            )
    return console.done("/admin/keluhan", f"complaint-{body.outcome.value}")


# --- payouts ------------------------------------------------------------------------------


async def _payouts_page(
    console: Console,
    session: AsyncSession,
    *,
    error: str | None = None,
    failed_id: str | None = None,
    status_code: int = 200,
) -> Response:
    due = await payouts.payouts_due(session)
    return console.render(
        "payouts.html",
        status_code=status_code,
        due=due,
        bank_name=bank_name,
        error=error,
        failed_id=failed_id,
    )


@router.get("/pencairan", response_class=Response)
async def payouts_page(console: Console, session: DbSession) -> Response:
    """Sellers with money available, their bank accounts, and a form to record each payout."""
    return await _payouts_page(console, session)


@router.post("/pencairan/{seller_id}", response_class=Response)
async def record_payout(
    seller_id: Annotated[uuid.UUID, Path()],
    console: Console,
    transactions: RequestTransactions,
    csrf_token: CsrfField = "",
    amount: Amount = "",
    bank_reference: Annotated[str, Form(max_length=200)] = "",
    note: Annotated[str, Form(max_length=1000)] = "",
    confirm: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """The money was sent from the bank: recorded once, never above what is available."""
    console.check_csrf(csrf_token)
    fields = {"amount": parse_rupiah(amount), "bank_reference": bank_reference}
    if note.strip():
        fields["note"] = note
    try:
        require_confirmation(confirm)
        body = PayoutCreate.model_validate(fields)
        async with transactions(write=True) as writing:
            seller = await sellers_service.get_seller(writing, seller_id)
            if seller is None:
                raise SellerNotFound()
            await payouts.pay_seller(
                writing, console.admin, seller.id, body.amount, body.bank_reference, body.note
            )
    except (AppError, ValidationError) as failure:
        status_code = failure.status_code if isinstance(failure, AppError) else 422
        async with transactions(write=False) as reading:
            return await _payouts_page(
                console,
                reading,
                error=error_text(failure, console.language),
                failed_id=str(seller_id),
                status_code=status_code,
            )
    return console.done("/admin/pencairan", "payout-recorded", name=seller.name)
