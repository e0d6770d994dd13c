"""Admin console: the home (what waits), sellers waiting for verification with what they
submitted, and the moderation queue. Every page calls the same services as the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from marketplace.catalog import service as catalog_service
from marketplace.complaints import service as complaints_service
from marketplace.complaints.models import ComplaintStatus
from marketplace.consoles.admin_access import Console, error_text
from marketplace.core.dependencies import cursor_codec
from marketplace.core.errors import AppError
from marketplace.core.pagination import CursorCodec
from marketplace.db.session import DbSession, RequestTransactions
from marketplace.desk import service as desk_service
from marketplace.moderation import decisions
from marketplace.moderation import service as moderation_service
from marketplace.moderation.models import ItemStatus
from marketplace.moderation.schemas import ItemDecision
from marketplace.orders.models import PaymentMethod
from marketplace.payments import payouts
from marketplace.payments.models import PaymentAttemptStatus
from marketplace.sellers import service as sellers_service
from marketplace.sellers.models import SellerStatus

router = APIRouter(prefix="/admin", tags=["admin console"], include_in_schema=False)
CsrfField = Annotated[str, Form(alias="csrf_token", max_length=200)]
Reason = Annotated[str, Form(max_length=2000)]
Confirm = Annotated[str, Form(max_length=5)]
Cursor = Annotated[str | None, Query(max_length=500)]
SellerCodec = Annotated[CursorCodec, Depends(cursor_codec("sellers"))]
QueueCodec = Annotated[CursorCodec, Depends(cursor_codec("moderation"))]
ComplaintCodec = Annotated[CursorCodec, Depends(cursor_codec("complaints"))]
PaymentCodec = Annotated[CursorCodec, Depends(cursor_codec("admin-payments"))]
PAGE_SIZE = 20
COUNT_LIMIT = 99
SELLER_ACTIONS = {
    "verifikasi": SellerStatus.VERIFIED,
    "tolak": SellerStatus.REJECTED,
    "tangguhkan": SellerStatus.SUSPENDED,
}
MIN_REASON = 3


def _count(items: int, more: bool) -> str:
    return f"{items}+" if more else str(items)


@router.get("/", response_class=Response)
async def home(
    console: Console,
    session: DbSession,
    sellers_codec: SellerCodec,
    queue_codec: QueueCodec,
    complaint_codec: ComplaintCodec,
    payment_codec: PaymentCodec,
) -> Response:
    """What waits for an admin, each count a link to the page that works through it."""
    sellers, more_sellers = await sellers_service.list_sellers(
        session,
        sellers_codec,
        statuses=(SellerStatus.PENDING,),
        region_code=None,
        query=None,
        limit=COUNT_LIMIT,
        cursor=None,
    )
    queue = await moderation_service.list_queue(
        session, queue_codec, status=ItemStatus.OPEN, kind=None, limit=COUNT_LIMIT, cursor=None
    )
    complaints = await complaints_service.complaint_page(
        session,
        complaint_codec,
        seller_id=None,
        status=ComplaintStatus.OPEN,
        limit=COUNT_LIMIT,
        cursor=None,
    )
    transfers = await desk_service.payments_page(
        session,
        payment_codec,
        PaymentAttemptStatus.PENDING,
        PaymentMethod.BANK_TRANSFER,
        COUNT_LIMIT,
        None,
    )
    due = await payouts.payouts_due(session)
    counts = [
        ("sellers", "/admin/penjual", _count(len(sellers), more_sellers is not None)),
        ("moderation", "/admin/moderasi", _count(len(queue.items), bool(queue.next_cursor))),
        ("transfers", "/admin/pesanan", _count(len(transfers.items), bool(transfers.next_cursor))),
        (
            "complaints",
            "/admin/keluhan",
            _count(len(complaints.items), bool(complaints.next_cursor)),
        ),
        ("payouts", "/admin/pencairan", str(len(due))),
    ]
    return console.render("home.html", counts=counts)


# --- sellers waiting for verification ---------------------------------------------------


@router.get("/penjual", response_class=Response)
async def sellers_page(
    console: Console,
    session: DbSession,
    codec: SellerCodec,
    status: Annotated[str, Query(max_length=20)] = "pending",
    cursor: Cursor = None,
) -> Response:
    return await _sellers_page(console, session, codec, status, cursor)


async def _sellers_page(
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
    shown = SellerStatus(status) if status in SellerStatus.__members__.values() else None
    shown = shown or SellerStatus.PENDING
    try:
        sellers, next_cursor = await sellers_service.list_sellers(
            session,
            codec,
            statuses=(shown,),
            region_code=None,
            query=None,
            limit=PAGE_SIZE,
            cursor=cursor,
        )
    except AppError:  # a cursor from elsewhere: start again at the top
        sellers, next_cursor = await sellers_service.list_sellers(
            session,
            codec,
            statuses=(shown,),
            region_code=None,
            query=None,
            limit=PAGE_SIZE,
            cursor=None,
        )
    products = await catalog_service.products_of_sellers(session, [s.id for s in sellers])
    regions = {r.code: r.name for r in await catalog_service.list_regions(session)}
    return console.render(
        "sellers.html",
        status_code=status_code,
        sellers=sellers,
        shown=shown.value,
        statuses=[s.value for s in SellerStatus],
        products={s.id: [p for p in products if p.seller_id == s.id] for s in sellers},
        regions=regions,
        next_cursor=next_cursor,
        error=error,
        failed_id=failed_id,
    )


@router.post("/penjual/{seller_id}/{action}", response_class=Response)
async def change_seller_status(
    seller_id: Annotated[str, Path(max_length=100)],
    action: Annotated[str, Path(max_length=20)],
    console: Console,
    transactions: RequestTransactions,
    codec: SellerCodec,
    csrf_token: CsrfField = "",
    reason: Reason = "",
    confirm: Confirm = "",
    back: Annotated[str, Form(max_length=20)] = "pending",
) -> Response:
    """Verify, reject (a reason is required: the seller reads it) or suspend; a rejection or
    a suspension is undone by verifying again."""
    console.check_csrf(csrf_token)
    target = SELLER_ACTIONS.get(action)
    reason = reason.strip()
    error, status_code = None, 422
    if target is None:
        error = console.t("admin.unknown-action")
    elif target is not SellerStatus.VERIFIED and len(reason) < MIN_REASON:
        error = console.t("admin.reason-required")
    elif target is not SellerStatus.VERIFIED and confirm != "yes":
        error = console.t("admin.confirm-needed")
    if error is None and target is not None:
        try:
            async with transactions(write=True) as writing:
                seller = await sellers_service.change_status(
                    writing, console.admin, seller_id, target, reason or None
                )
        except AppError as failure:
            error, status_code = error_text(failure, console.language), failure.status_code
        else:
            return console.done("/admin/penjual", f"seller-{action}", status=back, name=seller.name)
    async with transactions(write=False) as reading:
        return await _sellers_page(
            console,
            reading,
            codec,
            back,
            None,
            error=error,
            failed_id=seller_id,
            status_code=status_code,
        )


# --- moderation queue -------------------------------------------------------------------


@router.get("/moderasi", response_class=Response)
async def moderation_page(
    console: Console, session: DbSession, codec: QueueCodec, cursor: Cursor = None
) -> Response:
    return await _moderation_page(console, session, codec, cursor)


async def _moderation_page(
    console: Console,
    session: AsyncSession,
    codec: CursorCodec,
    cursor: str | None,
    *,
    error: str | None = None,
    failed_id: str | None = None,
    status_code: int = 200,
) -> Response:
    try:
        queue = await moderation_service.list_queue(
            session, codec, status=ItemStatus.OPEN, kind=None, limit=PAGE_SIZE, cursor=cursor
        )
    except AppError:
        queue = await moderation_service.list_queue(
            session, codec, status=ItemStatus.OPEN, kind=None, limit=PAGE_SIZE, cursor=None
        )
    product_ids = [item.product_id for item in queue.items if item.product_id]
    products = {p.id: p for p in await catalog_service.products_by_ids(session, product_ids)}
    seller_ids = {item.seller_id for item in queue.items if item.seller_id}
    seller_ids |= {p.seller_id for p in products.values()}
    sellers = {s: await sellers_service.get_seller(session, s) for s in seller_ids}
    return console.render(
        "moderation.html",
        status_code=status_code,
        items=queue.items,
        next_cursor=queue.next_cursor,
        products=products,
        sellers=sellers,
        error=error,
        failed_id=failed_id,
    )


@router.post("/moderasi/{item_id}/{action}", response_class=Response)
async def decide_item(
    item_id: Annotated[str, Path(max_length=100)],
    action: Annotated[str, Path(max_length=20)],
    console: Console,
    transactions: RequestTransactions,
    codec: QueueCodec,
    csrf_token: CsrfField = "",
    reason: Reason = "",
    confirm: Confirm = "",
) -> Response:
    """Approve (the listing goes public) or reject with a reason (it goes back to its seller
    as a draft, the reason kept on the item)."""
    console.check_csrf(csrf_token)
    reason = reason.strip()
    error, status_code = None, 422
    decision = {"setujui": "approve", "tolak": "reject"}.get(action)
    if decision is None:
        error = console.t("admin.unknown-action")
    elif decision == "reject" and len(reason) < MIN_REASON:
        error = console.t("admin.reason-required")
    elif decision == "reject" and confirm != "yes":
        error = console.t("admin.confirm-needed")
    if error is None and decision is not None:
        body = ItemDecision.model_validate({"action": decision, "note": reason or None})
        try:
            async with transactions(write=True) as writing:
                await decisions.decide(writing, console.admin, item_id, body)
        except AppError as failure:
            error, status_code = error_text(failure, console.language), failure.status_code
        else:
            return console.done("/admin/moderasi", f"item-{decision}")
    async with transactions(write=False) as reading:
        return await _moderation_page(
            console, reading, codec, None, error=error, failed_id=item_id, status_code=status_code
        )
