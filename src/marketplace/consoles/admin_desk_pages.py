"""Admin console, the order desk: find an order by its number (or the buyer's e-mail or
phone, or a tracking number), confirm that its bank transfer arrived, and match a bank
statement's credits to open transfers with a preview before anything is confirmed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from marketplace.consoles.admin_access import Console, error_text, require_confirmation
from marketplace.core.dependencies import cursor_codec
from marketplace.core.errors import AppError
from marketplace.core.pagination import CursorCodec
from marketplace.db.session import DbSession, RequestTransactions
from marketplace.desk import service as desk_service
from marketplace.media.storage import MediaStorage
from marketplace.orders import desk as orders_desk
from marketplace.orders import service as orders_service
from marketplace.orders.exceptions import PaymentNotFound
from marketplace.orders.models import PaymentMethod
from marketplace.orders.repository import OrderFilters
from marketplace.payments.bank_statements import StatementFormat
from marketplace.payments.models import PaymentAttemptStatus

router = APIRouter(prefix="/admin", tags=["admin console"], include_in_schema=False)
CsrfField = Annotated[str, Form(alias="csrf_token", max_length=200)]
OrderCodec = Annotated[CursorCodec, Depends(cursor_codec("admin-orders"))]
PaymentCodec = Annotated[CursorCodec, Depends(cursor_codec("admin-payments"))]
PAGE_SIZE = 20


async def private_storage(request: Request) -> MediaStorage:
    """Where buyers' proofs of transfer are kept (never public)."""
    storage: MediaStorage = request.app.state.private_storage
    return storage


PrivateStorage = Annotated[MediaStorage, Depends(private_storage)]
# The statement travels back with the preview so "apply" confirms exactly what was shown.
MAX_STATEMENT_BYTES = 512 * 1024


@router.get("/pesanan", response_class=Response)
async def orders_page(
    console: Console,
    session: DbSession,
    codec: OrderCodec,
    payment_codec: PaymentCodec,
    q: Annotated[str, Query(max_length=254)] = "",
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    """Search, newest first; with nothing searched, the transfers still waiting for money."""
    text = q.replace("\x00", "").strip()
    filters = OrderFilters(q=text or None)
    try:
        found = await orders_desk.search_page(session, codec, filters, PAGE_SIZE, cursor)
    except AppError:
        found = await orders_desk.search_page(session, codec, filters, PAGE_SIZE, None)
    waiting = await desk_service.payments_page(
        session,
        payment_codec,
        PaymentAttemptStatus.PENDING,
        PaymentMethod.BANK_TRANSFER,
        PAGE_SIZE,
        None,
    )
    if text and len(found.items) == 1 and found.items[0].number.upper() == text.upper():
        return console.done(f"/admin/pesanan/{found.items[0].number}", "")
    return console.render(
        "orders.html", q=text, orders=found.items, next_cursor=found.next_cursor, waiting=waiting
    )


async def _order_page(
    console: Console,
    session: AsyncSession,
    storage: MediaStorage,
    number: str,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    try:
        order = await orders_desk.find_order(session, number)
    except AppError as failure:
        return console.render(
            "order_missing.html",
            number=number,
            message=error_text(failure, console.language),
            status_code=404,
        )
    proofs = []
    if order.payment is not None:
        proofs = await desk_service.proofs_of_payment(
            session, console.settings, storage, str(order.payment.id)
        )
    return console.render(
        "order.html", order=order, proofs=proofs, error=error, status_code=status_code
    )


@router.get("/pesanan/{number}", response_class=Response)
async def order_page(
    number: Annotated[str, Path(max_length=64)],
    console: Console,
    session: DbSession,
    storage: PrivateStorage,
) -> Response:
    return await _order_page(console, session, storage, number)


@router.post("/pesanan/{number}/konfirmasi-transfer", response_class=Response)
async def confirm_transfer(
    number: Annotated[str, Path(max_length=64)],
    console: Console,
    transactions: RequestTransactions,
    storage: PrivateStorage,
    csrf_token: CsrfField = "",
    payment_id: Annotated[str, Form(max_length=64)] = "",
    confirm: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """The money is in the bank: the payment is paid and the order starts processing. The
    form names the payment it saw, so a page left open never confirms a newer attempt."""
    console.check_csrf(csrf_token)
    try:
        require_confirmation(confirm)
        async with transactions(write=True) as writing:
            order = await orders_desk.find_order(writing, number)
            if order.payment is None or str(order.payment.id) != payment_id:
                raise PaymentNotFound()
            await orders_service.confirm_bank_transfer(writing, console.admin, payment_id)
    except AppError as failure:
        async with transactions(write=False) as reading:
            return await _order_page(
                console,
                reading,
                storage,
                number,
                error=error_text(failure, console.language),
                status_code=failure.status_code,
            )
    return console.done(f"/admin/pesanan/{order.number}", "transfer-confirmed")


# --- bank statements ----------------------------------------------------------------------


@router.get("/mutasi-bank", response_class=Response)
async def statement_page(console: Console) -> Response:
    return console.render(
        "statement.html",
        formats=[f.value for f in StatementFormat],
        result=None,
        error=None,
        statement="",
        chosen=StatementFormat.GENERIC.value,
    )


@router.post("/mutasi-bank", response_class=Response)
async def check_statement(
    console: Console,
    transactions: RequestTransactions,
    csrf_token: CsrfField = "",
    statement_format: Annotated[str, Form(alias="format", max_length=40)] = "generic",
    file: Annotated[UploadFile | None, File()] = None,
    statement: Annotated[str, Form(max_length=MAX_STATEMENT_BYTES)] = "",
    apply: Annotated[str, Form(max_length=5)] = "",
    confirm: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """Upload: a preview of what would be confirmed (nothing changes). "Apply" sends the same
    statement back from the preview and confirms the matched payments, each line once."""
    console.check_csrf(csrf_token)
    formats = [f.value for f in StatementFormat]
    raw = await file.read(MAX_STATEMENT_BYTES + 1) if file is not None and file.filename else b""
    if not raw:
        raw = statement.encode("utf-8")
    error = None
    if statement_format not in formats:
        error = console.t("admin.statement-format-unknown")
    elif not raw.strip():
        error = console.t("admin.statement-missing")
    elif apply == "yes" and confirm != "yes":
        error = console.t("admin.confirm-needed")
    elif len(raw) > MAX_STATEMENT_BYTES:
        error = console.t("admin.statement-too-large", kb=MAX_STATEMENT_BYTES // 1024)
    if error is not None:
        return console.render(
            "statement.html",
            formats=formats,
            result=None,
            error=error,
            statement="",
            chosen=statement_format,
            status_code=422,
        )
    applying = apply == "yes"
    try:
        async with transactions(write=applying) as session:
            result = await desk_service.reconcile_statement(
                session, console.admin.id, raw, StatementFormat(statement_format), apply=applying
            )
    except AppError as failure:
        return console.render(
            "statement.html",
            formats=formats,
            result=None,
            error=error_text(failure, console.language),
            statement="",
            chosen=statement_format,
            status_code=failure.status_code,
        )
    return console.render(
        "statement.html",
        formats=formats,
        result=result,
        error=None,
        statement=raw.decode("utf-8", "replace"),
        chosen=statement_format,
    )
