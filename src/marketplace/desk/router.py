"""/admin/orders, /admin/payments, /admin/bank-statements, the platform ledger, proofs of
transfer (the buyer uploads, admins look through short-lived links) and QRIS images."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile, status
from fastapi.responses import Response

from marketplace.accounts.dependencies import AdminUser, OptionalUser
from marketplace.core.dependencies import AppSettings, cursor_codec
from marketplace.core.errors import NotFound, problem_responses
from marketplace.core.formatting import WIB
from marketplace.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, CursorCodec
from marketplace.core.schemas import Page
from marketplace.db.session import DbSession
from marketplace.desk import service
from marketplace.desk.schemas import (
    AdminPaymentRead,
    PlatformEntryRead,
    PlatformLedgerPage,
    ProofRead,
    ProofUploaded,
    StatementResult,
)
from marketplace.media.images import WEBP_CONTENT_TYPE
from marketplace.media.storage import MediaStorage, read_local
from marketplace.orders import desk as orders_desk
from marketplace.orders.dependencies import OrderToken
from marketplace.orders.models import OrderStatus, PaymentStatus
from marketplace.orders.repository import OrderFilters
from marketplace.orders.schemas import OrderRead
from marketplace.payments import desk as payments_desk
from marketplace.payments import proofs, qris
from marketplace.payments import service as payments_service
from marketplace.payments.bank_statements import StatementFormat
from marketplace.payments.dependencies import Payments
from marketplace.payments.models import PaymentAttemptStatus, PaymentMethod

router = APIRouter(tags=["orders"])
admin_router = APIRouter(prefix="/admin", tags=["admin"])
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
CursorParam = Annotated[str | None, Query(max_length=500)]
MAX_STATEMENT_BYTES = 5 * 1024 * 1024


async def private_storage(request: Request) -> MediaStorage:
    storage: MediaStorage = request.app.state.private_storage
    return storage


PrivateStorage = Annotated[MediaStorage, Depends(private_storage)]


def _as_utc(moment: datetime | None) -> datetime | None:
    """A time without offset is read as WIB, the time people in the province use."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=WIB)


@admin_router.get(
    "/orders", response_model=Page[OrderRead], responses=problem_responses(401, 403, 422)
)
async def search_orders(
    admin: AdminUser,
    session: DbSession,
    settings: AppSettings,
    codec: Annotated[CursorCodec, Depends(cursor_codec("admin-orders"))],
    q: Annotated[
        str | None,
        Query(
            max_length=254,
            description="An order number, buyer e-mail or phone, or tracking number (exact)",
        ),
    ] = None,
    status_filter: Annotated[OrderStatus | None, Query(alias="status")] = None,
    payment_status: PaymentStatus | None = None,
    payment_method: PaymentMethod | None = None,
    seller: Annotated[uuid.UUID | None, Query(description="A seller's id")] = None,
    created_from: Annotated[
        datetime | None, Query(description="Inclusive; without an offset read as WIB")
    ] = None,
    created_to: Annotated[
        datetime | None, Query(description="Exclusive; without an offset read as WIB")
    ] = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: CursorParam = None,
) -> Page[OrderRead]:
    """Any order, newest first, in the full shape; every filter is indexed."""
    filters = OrderFilters(
        q=q.strip() if q and q.strip() else None,
        status=status_filter,
        payment_status=payment_status,
        payment_method=payment_method,
        seller_id=seller,
        created_from=_as_utc(created_from),
        created_to=_as_utc(created_to),
    )
    return await orders_desk.search_page(
        session, codec, filters, limit, cursor, settings.public_url
    )


@admin_router.get(
    "/orders/{id_or_number}", response_model=OrderRead, responses=problem_responses(401, 403, 404)
)
async def read_order(
    id_or_number: Annotated[str, Path(max_length=64)],
    admin: AdminUser,
    session: DbSession,
    settings: AppSettings,
) -> OrderRead:
    """One order by its id or by the number buyers quote (``BB261202-ACDEFG``)."""
    return await orders_desk.find_order(session, id_or_number, settings.public_url)


@admin_router.get(
    "/payments",
    response_model=Page[AdminPaymentRead],
    responses=problem_responses(401, 403, 422),
)
async def list_payments(
    admin: AdminUser,
    session: DbSession,
    codec: Annotated[CursorCodec, Depends(cursor_codec("admin-payments"))],
    status_filter: Annotated[PaymentAttemptStatus | None, Query(alias="status")] = None,
    method: PaymentMethod | None = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: CursorParam = None,
) -> Page[AdminPaymentRead]:
    """Open transfers and QRIS payments first (what the desk has to match), then the rest,
    newest first; each with its order's number."""
    return await service.payments_page(session, codec, status_filter, method, limit, cursor)


@admin_router.get(
    "/payments/{payment_id}/proofs",
    response_model=list[ProofRead],
    responses=problem_responses(401, 403, 404),
)
async def list_proofs(
    payment_id: Annotated[str, Path(max_length=64)],
    admin: AdminUser,
    session: DbSession,
    settings: AppSettings,
    storage: PrivateStorage,
) -> list[ProofRead]:
    """The buyer's proofs of transfer, each with a link that works for a few minutes."""
    return await service.proofs_of_payment(session, settings, storage, payment_id)


@admin_router.post(
    "/bank-statements",
    response_model=StatementResult,
    responses=problem_responses(401, 403, 413, 422),
)
async def reconcile_statement(
    file: Annotated[UploadFile, File(description="The bank's statement export (CSV)")],
    admin: AdminUser,
    session: DbSession,
    payments: Payments,
    statement_format: Annotated[StatementFormat, Form(alias="format")] = StatementFormat.GENERIC,
    apply: Annotated[bool, Query(description="Confirm the matched payments")] = False,
) -> StatementResult:
    """Match the statement's credits to open transfers (exact amount, and the order number
    when the description names one). A preview unless ``apply=true``; each statement line
    confirms a payment at most once, however often the file is uploaded."""
    raw = await file.read(MAX_STATEMENT_BYTES + 1)
    if len(raw) > MAX_STATEMENT_BYTES:
        raise payments_desk.statement_too_large(MAX_STATEMENT_BYTES)
    return await service.reconcile_statement(
        session, payments, admin.id, raw, statement_format, apply=apply
    )


@admin_router.get(
    "/platform-ledger",
    response_model=PlatformLedgerPage,
    responses=problem_responses(401, 403, 422),
)
async def platform_ledger(
    admin: AdminUser,
    session: DbSession,
    codec: Annotated[CursorCodec, Depends(cursor_codec("platform-ledger"))],
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: CursorParam = None,
) -> PlatformLedgerPage:
    """The platform's own money: unique codes of confirmed transfers (income or discount)."""
    entries, next_cursor, balance = await payments_desk.platform_ledger(
        session, codec, limit, cursor
    )
    return PlatformLedgerPage(
        items=[PlatformEntryRead.model_validate(entry) for entry in entries],
        next_cursor=next_cursor,
        balance=balance,
    )


@router.post(
    "/orders/{order_id}/payments/{payment_id}/proof",
    status_code=status.HTTP_201_CREATED,
    response_model=ProofUploaded,
    responses=problem_responses(401, 404, 409, 413, 415, 422),
)
async def upload_proof(
    order_id: Annotated[str, Path(max_length=64)],
    payment_id: Annotated[str, Path(max_length=64)],
    file: Annotated[UploadFile, File(description="A photo of the receipt: JPEG, PNG or WebP")],
    viewer: OptionalUser,
    session: DbSession,
    settings: AppSettings,
    storage: PrivateStorage,
    token: OrderToken = None,
) -> ProofUploaded:
    """The buyer's photo of the transfer receipt (bearer token, or ``X-Order-Token``). It is
    re-encoded and kept privately: only admins see it, through short-lived links."""
    raw = await file.read(settings.payment_proof_max_bytes + 1)
    return await service.upload_proof(
        session, settings, storage, viewer, order_id, payment_id, token, raw
    )


@router.get(
    "/payment-proofs/{proof_id}",
    response_class=Response,
    responses={200: {"content": {WEBP_CONTENT_TYPE: {}}}, **problem_responses(404)},
)
async def read_proof(
    proof_id: uuid.UUID,
    session: DbSession,
    settings: AppSettings,
    storage: PrivateStorage,
    expires: Annotated[int, Query(ge=0, le=2**40)],
    signature: Annotated[str, Query(max_length=128)],
) -> Response:
    """A proof through the signed, expiring link the admin desk handed out (local storage;
    on S3 the links are presigned by the bucket)."""
    proof = await proofs.proof_by_signed_link(session, settings, proof_id, expires, signature)
    data = await read_local(settings.private_media_root, proof.storage_key)
    if data is None:
        raise NotFound()
    return Response(
        data,
        media_type=WEBP_CONTENT_TYPE,
        headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
    )


@router.get(
    "/payments/{payment_id}/qris.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}, **problem_responses(404)},
)
async def qris_image(payment_id: uuid.UUID, session: DbSession) -> Response:
    """The payment's dynamic QRIS drawn as an SVG QR code (ids are unguessable)."""
    payment = await payments_service.get_payment(session, payment_id)
    if payment is None or not payment.qris_payload:
        raise NotFound()
    return Response(
        qris.render_svg(payment.qris_payload),
        media_type="image/svg+xml",
        headers={"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )
