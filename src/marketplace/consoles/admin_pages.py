"""Admin console: the home (what waits), sellers waiting for verification with what they
submitted, and the moderation queue. Every page calls the same services as the API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Form, Path, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from marketplace.catalog import service as catalog_service
from marketplace.complaints import service as complaints_service
from marketplace.complaints.models import ComplaintStatus
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
from marketplace.moderation import decisions
from marketplace.moderation import service as moderation_service
from marketplace.moderation.models import ItemStatus
from marketplace.moderation.schemas import ItemDecision
from marketplace.payments import payouts
from marketplace.payments.models import PaymentAttemptStatus, PaymentMethod
from marketplace.sellers import service as sellers_service
from marketplace.sellers.models import SellerStatus

router = admin_router()
Reason = Annotated[str, Form(max_length=2000)]
Cursor = Annotated[str | None, Query(max_length=500)]
SellerCodec = Annotated[CursorCodec, Depends(cursor_codec("sellers"))]
QueueCodec = Annotated[CursorCodec, Depends(cursor_codec("moderation"))]
ComplaintCodec = Annotated[CursorCodec, Depends(cursor_codec("complaints"))]
PaymentCodec = Annotated[CursorCodec, Depends(cursor_codec("admin-payments"))]
PAGE_SIZE = 10  # cards with their forms: ten keep a page well under 50 KB
COUNT_LIMIT = 99
SELLER_ACTIONS = {
    "verifikasi": SellerStatus.VERIFIED,
    "tolak": SellerStatus.REJECTED,
    "tangguhkan": SellerStatus.SUSPENDED,
}
# the question a change asks first (none for verifying: it can be undone), and what it says after
SELLER_QUESTIONS = {
    "tolak": N_(
        "Reject this seller? The seller will read your reason."
        " It can be undone by verifying it again."
    ),
    "tangguhkan": N_("Suspend this seller? Its products stop showing until it is verified again."),
}
SELLER_DONE = {
    "verifikasi": N_("%(name)s is verified and can now sell."),
    "tolak": N_('%(name)s was rejected. To undo, open the "Rejected" list and verify it again.'),
    "tangguhkan": N_(
        '%(name)s was suspended. To undo, open the "Suspended" list and verify it again.'
    ),
}
ITEM_DONE = {
    "approve": N_("Approved: it is now public."),
    "reject": N_("Rejected: the seller gets the reason and can fix it."),
}
MIN_REASON = 3


def _count(items: int, more: bool) -> str:
    return f"{items}+" if more else str(items)


def _reason_problem(console: Console, reason: str) -> InvalidInput | None:
    if len(reason.strip()) >= MIN_REASON:
        return None
    return page_problem(
        "reason",
        gettext_in(
            console.language,
            "Write the reason (at least 3 letters): the seller will read it. Nothing was changed.",
        ),
    )


@router.get("/", response_class=Response)
async def home(
    console: Admin,
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
        ("sellers", "/admin/penjual", "store", _count(len(sellers), more_sellers is not None)),
        (
            "moderation",
            "/admin/moderasi",
            "check",
            _count(len(queue.items), bool(queue.next_cursor)),
        ),
        (
            "transfers",
            "/admin/pesanan",
            "bank",
            _count(len(transfers.items), bool(transfers.next_cursor)),
        ),
        (
            "complaints",
            "/admin/keluhan",
            "alert",
            _count(len(complaints.items), bool(complaints.next_cursor)),
        ),
        ("payouts", "/admin/pencairan", "wallet", str(len(due))),
    ]
    return console.render("admin/home.html", here="home", counts=counts)


# --- sellers waiting for verification ---------------------------------------------------


def _seller_status(raw: str) -> SellerStatus:
    return SellerStatus(raw) if raw in [s.value for s in SellerStatus] else SellerStatus.PENDING


async def _sellers_context(
    session: AsyncSession, codec: CursorCodec, shown: SellerStatus, cursor: str | None
) -> dict[str, Any]:
    async def listed(after: str | None) -> tuple[list[Any], str | None]:
        found, next_cursor = await sellers_service.list_sellers(
            session,
            codec,
            statuses=(shown,),
            region_code=None,
            query=None,
            limit=PAGE_SIZE,
            cursor=after,
        )
        return list(found), next_cursor

    try:
        sellers, next_cursor = await listed(cursor)
    except AppError:  # a cursor from elsewhere: start again at the top
        sellers, next_cursor = await listed(None)
    products = await catalog_service.products_of_sellers(session, [s.id for s in sellers])
    regions = {r.code: r.name for r in await catalog_service.list_regions(session)}
    return {
        "here": "sellers",
        "sellers": sellers,
        "shown": shown.value,
        "statuses": [s.value for s in SellerStatus],
        "products": {s.id: [p for p in products if p.seller_id == s.id] for s in sellers},
        "regions": regions,
        "next_cursor": next_cursor,
    }


@router.get("/penjual", response_class=Response)
async def sellers_page(
    console: Admin,
    session: DbSession,
    codec: SellerCodec,
    status: Annotated[str, Query(max_length=20)] = "pending",
    cursor: Cursor = None,
) -> Response:
    context = await _sellers_context(session, codec, _seller_status(status), cursor)
    return console.render("admin/sellers.html", **context)


@router.post("/penjual/{seller_id}/{action}", response_class=Response)
async def change_seller_status(
    seller_id: Annotated[str, Path(max_length=100)],
    action: Annotated[str, Path(max_length=20)],
    console: AdminForm,
    transactions: RequestTransactions,
    codec: SellerCodec,
    reason: Reason = "",
    back: Annotated[str, Form(max_length=20)] = "pending",
) -> Response:
    """Verify, reject (a reason is required: the seller reads it) or suspend, the last two
    after a confirm step; a rejection or a suspension is undone by verifying again."""
    shown = _seller_status(back)

    async def page(session: AsyncSession) -> dict[str, Any]:
        return await _sellers_context(session, codec, shown, None)

    target = SELLER_ACTIONS.get(action)
    async with shown_in_page(
        console, transactions, "admin/sellers.html", page, failed_id=seller_id
    ) as writing:
        if target is None:
            raise page_problem("action", gettext_in(console.language, "Unknown action."))
        if target is not SellerStatus.VERIFIED:
            problem = _reason_problem(console, reason)
            if problem is not None:
                raise problem
            form = await console.request.form()
            back_url = console.url("/admin/penjual", status=shown.value)
            asked = confirmation_needed(console, form, SELLER_QUESTIONS[action], back=back_url)
            if asked is not None:
                return asked
        seller = await sellers_service.change_status(
            writing, console.user, seller_id, target, reason.strip() or None
        )
    return console.redirect(
        f"/admin/penjual?status={shown.value}",
        success=SELLER_DONE[action],
        name=seller.name,
    )


# --- moderation queue -------------------------------------------------------------------


async def _moderation_context(
    session: AsyncSession, codec: CursorCodec, cursor: str | None
) -> dict[str, Any]:
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
    return {
        "here": "moderation",
        "items": queue.items,
        "next_cursor": queue.next_cursor,
        "products": products,
        "sellers": sellers,
    }


@router.get("/moderasi", response_class=Response)
async def moderation_page(
    console: Admin, session: DbSession, codec: QueueCodec, cursor: Cursor = None
) -> Response:
    context = await _moderation_context(session, codec, cursor)
    return console.render("admin/moderation.html", **context)


@router.post("/moderasi/{item_id}/{action}", response_class=Response)
async def decide_item(
    item_id: Annotated[str, Path(max_length=100)],
    action: Annotated[str, Path(max_length=20)],
    console: AdminForm,
    transactions: RequestTransactions,
    codec: QueueCodec,
    reason: Reason = "",
) -> Response:
    """Approve (the listing goes public) or, after a confirm step, reject with a reason (it
    goes back to its seller as a draft, the reason kept on the item)."""

    async def page(session: AsyncSession) -> dict[str, Any]:
        return await _moderation_context(session, codec, None)

    decision = {"setujui": "approve", "tolak": "reject"}.get(action)
    async with shown_in_page(
        console, transactions, "admin/moderation.html", page, failed_id=item_id
    ) as writing:
        if decision is None:
            raise page_problem("action", gettext_in(console.language, "Unknown action."))
        if decision == "reject":
            problem = _reason_problem(console, reason)
            if problem is not None:
                raise problem
            form = await console.request.form()
            back_url = console.url("/admin/moderasi")
            asked = confirmation_needed(
                console,
                form,
                N_("Reject this? The seller gets your reason and the listing goes back to draft."),
                back=back_url,
            )
            if asked is not None:
                return asked
        body = ItemDecision.model_validate({"action": decision, "note": reason.strip() or None})
        await decisions.decide(writing, console.user, item_id, body)
    return console.redirect("/admin/moderasi", success=ITEM_DONE[decision])
