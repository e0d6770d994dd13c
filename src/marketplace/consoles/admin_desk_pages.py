"""Admin console, the order desk: find an order by its number (or the buyer's e-mail or
phone, or a tracking number), confirm that its bank transfer arrived, and match a bank
statement's credits to open transfers with a preview before anything is confirmed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, File, Form, Path, Query, Request, UploadFile
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from marketplace.consoles.admin_access import (
    Admin,
    AdminForm,
    admin_router,
    page_problem,
    shown_in_page,
)
from marketplace.consoles.web import Console, confirmation_needed
from marketplace.core.dependencies import cursor_codec
from marketplace.core.errors import AppError, InvalidInput
from marketplace.core.i18n import N_, gettext_in
from marketplace.core.pagination import CursorCodec
from marketplace.db.session import DbSession, RequestTransactions
from marketplace.desk import service as desk_service
from marketplace.media.storage import MediaStorage
from marketplace.orders import desk as orders_desk
from marketplace.orders import service as orders_service
from marketplace.orders.repository import OrderFilters
from marketplace.payments.bank_statements import StatementFormat
from marketplace.payments.dependencies import Payments
from marketplace.payments.exceptions import PaymentNotFound
from marketplace.payments.models import PaymentAttemptStatus, PaymentMethod

router = admin_router()
OrderCodec = Annotated[CursorCodec, Depends(cursor_codec("admin-orders"))]
PaymentCodec = Annotated[CursorCodec, Depends(cursor_codec("admin-payments"))]
PAGE_SIZE = 20
# The statement travels back with the preview so "apply" confirms exactly what was shown.
MAX_STATEMENT_BYTES = 512 * 1024
STATEMENT_PAGE = "admin/statement.html"


async def private_storage(request: Request) -> MediaStorage:
    """Where buyers' proofs of transfer are kept (never public)."""
    storage: MediaStorage = request.app.state.gateways.private_media
    return storage


PrivateStorage = Annotated[MediaStorage, Depends(private_storage)]


@router.get("/pesanan", response_class=Response)
async def orders_page(
    console: Admin,
    session: DbSession,
    codec: OrderCodec,
    payment_codec: PaymentCodec,
    q: Annotated[str, Query(max_length=254)] = "",
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    """Search, newest first; an exact order number opens that order. With nothing searched,
    the transfers still waiting for their money come first."""
    text = q.replace("\x00", "").strip()
    filters = OrderFilters(q=text or None)
    try:
        found = await orders_desk.search_page(
            session, codec, filters, PAGE_SIZE, cursor, console.settings.public_url
        )
    except AppError:
        found = await orders_desk.search_page(
            session, codec, filters, PAGE_SIZE, None, console.settings.public_url
        )
    if text and len(found.items) == 1 and found.items[0].number.upper() == text.upper():
        return console.redirect(f"/admin/pesanan/{found.items[0].number}")
    waiting = await desk_service.payments_page(
        session,
        payment_codec,
        PaymentAttemptStatus.PENDING,
        PaymentMethod.BANK_TRANSFER,
        PAGE_SIZE,
        None,
    )
    return console.render(
        "admin/orders.html",
        here="orders",
        q=text,
        orders=found.items,
        next_cursor=found.next_cursor,
        waiting=waiting.items,
    )


async def _order_context(
    session: AsyncSession, console: Console, storage: MediaStorage, number: str
) -> dict[str, Any]:
    # 404 page when there is none
    order = await orders_desk.find_order(session, number, console.settings.public_url)
    proofs = []
    if order.payment is not None:
        proofs = await desk_service.proofs_of_payment(
            session, console.settings, storage, str(order.payment.id)
        )
    return {"here": "orders", "order": order, "proofs": proofs}


@router.get("/pesanan/{number}", response_class=Response)
async def order_page(
    number: Annotated[str, Path(max_length=64)],
    console: Admin,
    session: DbSession,
    storage: PrivateStorage,
) -> Response:
    context = await _order_context(session, console, storage, number)
    return console.render("admin/order.html", **context)


@router.post("/pesanan/{number}/konfirmasi-transfer", response_class=Response)
async def confirm_transfer(
    number: Annotated[str, Path(max_length=64)],
    console: AdminForm,
    transactions: RequestTransactions,
    storage: PrivateStorage,
    payments: Payments,
    payment_id: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """The money is in the bank (after a confirm step): the payment is paid and the order
    starts processing. The form names the payment it showed, so a page left open never
    confirms another attempt."""

    async def page(session: AsyncSession) -> dict[str, Any]:
        return await _order_context(session, console, storage, number)

    async with shown_in_page(console, transactions, "admin/order.html", page) as writing:
        order = await orders_desk.find_order(writing, number, console.settings.public_url)
        if order.payment is None or str(order.payment.id) != payment_id:
            raise PaymentNotFound()
        form = await console.request.form()
        back = console.url(f"/admin/pesanan/{order.number}")
        asked = confirmation_needed(
            console,
            form,
            N_(
                "Are you sure %(amount)s arrived for order %(number)s?"
                " A confirmation cannot be undone."
            ),
            back=back,
            amount=console.money(order.payment.amount),
            number=order.number,
        )
        if asked is not None:
            return asked
        await orders_service.confirm_bank_transfer(writing, payments, console.user, payment_id)
    return console.redirect(
        f"/admin/pesanan/{order.number}",
        success=N_("Transfer confirmed: the order is now processing and the sellers are told."),
    )


# --- bank statements ----------------------------------------------------------------------


def _statement_context(chosen: str) -> dict[str, Any]:
    return {
        "here": "statement",
        "formats": [f.value for f in StatementFormat],
        "chosen": chosen,
        "result": None,
        "statement": "",
    }


@router.get("/mutasi-bank", response_class=Response)
async def statement_page(console: Admin) -> Response:
    return console.render(STATEMENT_PAGE, **_statement_context(StatementFormat.GENERIC.value))


async def _statement_bytes(file: UploadFile | None, statement: str) -> bytes:
    raw = await file.read(MAX_STATEMENT_BYTES + 1) if file is not None and file.filename else b""
    return raw or statement.encode("utf-8")


def _statement_problem(console: Console, statement_format: str, raw: bytes) -> InvalidInput | None:
    if statement_format not in [f.value for f in StatementFormat]:
        message, field = gettext_in(console.language, "Unknown bank format."), "format"
    elif not raw.strip():
        message, field = gettext_in(console.language, "Choose a statement file first."), "file"
    elif len(raw) > MAX_STATEMENT_BYTES:
        message = gettext_in(
            console.language,
            "The file is too large (at most %(kb)s KB). Upload it in parts.",
            kb=MAX_STATEMENT_BYTES // 1024,
        )
        field = "file"
    else:
        return None
    return page_problem(field, message)


@router.post("/mutasi-bank", response_class=Response)
async def check_statement(
    console: AdminForm,
    transactions: RequestTransactions,
    payments: Payments,
    statement_format: Annotated[str, Form(alias="format", max_length=40)] = "generic",
    file: Annotated[UploadFile | None, File()] = None,
    statement: Annotated[str, Form(max_length=MAX_STATEMENT_BYTES)] = "",
    apply: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """Upload: a preview of what would be confirmed (nothing changes). "Apply" sends the same
    statement back from the preview and, after a confirm step, confirms the matched
    payments, each statement line at most once however often it is sent."""
    raw = await _statement_bytes(file, statement)
    applying = apply == "yes"
    chosen = statement_format if statement_format in [f.value for f in StatementFormat] else ""

    async def page(session: AsyncSession) -> dict[str, Any]:
        return _statement_context(chosen or StatementFormat.GENERIC.value)

    async with shown_in_page(console, transactions, STATEMENT_PAGE, page) as writing:
        problem = _statement_problem(console, statement_format, raw)
        if problem is not None:
            raise problem
        if applying:
            form = await console.request.form()
            back = console.url("/admin/mutasi-bank")
            asked = confirmation_needed(
                console,
                form,
                N_("Confirm every matched payment? This cannot be undone."),
                back=back,
            )
            if asked is not None:
                return asked
        result = await desk_service.reconcile_statement(
            writing,
            payments,
            console.user.id,
            raw,
            StatementFormat(statement_format),
            apply=applying,
        )
    context = _statement_context(statement_format)
    context.update(result=result, statement=raw.decode("utf-8", "replace"))
    return console.render(STATEMENT_PAGE, **context)
