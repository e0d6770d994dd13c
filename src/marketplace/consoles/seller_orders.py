"""The seller console's orders: what to ship, one order with the buyer's address, shipping it
with a courier and tracking number, a printable packing slip, marking it delivered (for cash
on delivery: the cash collected) and cancelling before shipping; open complaints beside them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from pydantic import ValidationError
from starlette.responses import Response

from marketplace.complaints import service as complaints_service
from marketplace.complaints.exceptions import ComplaintNotFound
from marketplace.complaints.models import ComplaintStatus
from marketplace.complaints.schemas import ComplaintAnswer
from marketplace.consoles.seller_access import Desk, FormDesk, SellerDesk
from marketplace.consoles.web import ConsoleRoute, confirmation_needed
from marketplace.core.errors import AppError
from marketplace.core.i18n import N_
from marketplace.db.session import DbSession
from marketplace.orders import service as orders_service
from marketplace.orders.exceptions import SellerOrderNotFound
from marketplace.orders.models import Order, SellerOrder, SellerOrderStatus
from marketplace.orders.schemas import SellerOrderRead, ShipRequest
from marketplace.payments.dependencies import Payments
from marketplace.payments.models import PaymentMethod

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
ShortText = Annotated[str, Form(max_length=200)]


async def part_of(
    session: DbSession, desk: SellerDesk, seller_order_id: str
) -> tuple[Order, SellerOrder]:
    """The seller-order, only when it is this seller's and the person a member (404 page)."""
    order, part, is_member = await orders_service.seller_order_for(
        session, desk.console.user, seller_order_id, None
    )
    if not is_member or part.seller_id != desk.seller.id:
        raise SellerOrderNotFound()
    return order, part


@router.get("/penjual/{seller_id}/pesanan")
async def order_list(
    desk: Desk,
    session: DbSession,
    status: Annotated[SellerOrderStatus | None, Query()] = SellerOrderStatus.TO_SHIP,
    everything: Annotated[bool, Query(alias="semua")] = False,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    chosen = None if everything else status
    page = await orders_service.list_seller_orders(
        session,
        desk.console.codec("seller-orders"),
        desk.seller.id,
        desk.seller.name,
        chosen,
        30,
        cursor,
    )
    complaints = await complaints_service.complaint_page(
        session,
        desk.console.codec("complaints"),
        seller_id=desk.seller.id,
        status=ComplaintStatus.OPEN,
        limit=20,
        cursor=None,
    )
    return desk.console.render(
        "seller/orders.html",
        desk=desk,
        here="orders",
        page=page,
        status=chosen.value if chosen else "",
        statuses=[s.value for s in SellerOrderStatus],
        complaints=complaints.items,
    )


async def _order_context(
    session: DbSession, desk: SellerDesk, order: Order, part: SellerOrder
) -> dict[str, Any]:
    read: SellerOrderRead = await orders_service.present_seller_order(session, order, part)
    complaints = await complaints_service.complaints_of_seller_order(
        session, desk.console.user, None, str(part.id)
    )
    return {
        "desk": desk,
        "here": "orders",
        "order": order,
        "part": read,
        "cash_on_delivery": order.payment_method is PaymentMethod.COD,
        "complaints": complaints,
    }


@router.get("/penjual/{seller_id}/pesanan/{seller_order_id}")
async def order_page(desk: Desk, session: DbSession, seller_order_id: str) -> Response:
    order, part = await part_of(session, desk, seller_order_id)
    context = await _order_context(session, desk, order, part)
    return desk.console.render("seller/order.html", values={}, **context)


@router.get("/penjual/{seller_id}/pesanan/{seller_order_id}/slip")
async def packing_slip(desk: Desk, session: DbSession, seller_order_id: str) -> Response:
    order, part = await part_of(session, desk, seller_order_id)
    context = await _order_context(session, desk, order, part)
    return desk.console.render("seller/packing_slip.html", **context)


@router.post("/penjual/{seller_id}/pesanan/{seller_order_id}/kirim")
async def ship(
    desk: FormDesk,
    session: DbSession,
    seller_order_id: str,
    courier: ShortText = "",
    tracking_number: ShortText = "",
) -> Response:
    order, part = await part_of(session, desk, seller_order_id)
    values = {"courier": courier, "tracking_number": tracking_number}
    context = await _order_context(session, desk, order, part)
    try:
        body = ShipRequest.model_validate(values)
        await orders_service.ship_seller_order(
            session, desk.console.user, seller_order_id, body.courier, body.tracking_number
        )
    except (AppError, ValidationError) as problem:
        raise desk.console.form_failed(
            "seller/order.html", problem, values=values, **context
        ) from problem
    return desk.console.redirect(
        desk.path(f"pesanan/{seller_order_id}"),
        success=N_("Order marked as shipped. The buyer is told the tracking number."),
    )


@router.post("/penjual/{seller_id}/pesanan/{seller_order_id}/terkirim")
async def mark_delivered(
    desk: FormDesk, session: DbSession, payments: Payments, seller_order_id: str
) -> Response:
    order, part = await part_of(session, desk, seller_order_id)
    cash = order.payment_method is PaymentMethod.COD
    asked = confirmation_needed(
        desk.console,
        await desk.console.request.form(),
        N_("Has order %(number)s arrived and have you received the %(amount)s in cash?")
        if cash
        else N_("Has order %(number)s reached the buyer?"),
        back=desk.console.url(desk.path(f"pesanan/{seller_order_id}")),
        number=order.number,
        amount=desk.console.money(part.subtotal + part.shipping),
    )
    if asked is not None:
        return asked
    context = await _order_context(session, desk, order, part)
    try:
        await orders_service.deliver_seller_order(
            session, payments, desk.console.user, seller_order_id, None
        )
    except AppError as problem:
        raise desk.console.form_failed(
            "seller/order.html", problem, values={}, **context
        ) from problem
    return desk.console.redirect(
        desk.path(f"pesanan/{seller_order_id}"), success=N_("Order marked as delivered.")
    )


@router.post("/penjual/{seller_id}/pesanan/{seller_order_id}/keluhan/{complaint_id}")
async def answer_complaint(
    desk: FormDesk,
    session: DbSession,
    seller_order_id: str,
    complaint_id: str,
    message: Annotated[str, Form(max_length=6000)] = "",
) -> Response:
    """The seller's side of a buyer's complaint (a new answer replaces the earlier one)."""
    order, part = await part_of(session, desk, seller_order_id)
    context = await _order_context(session, desk, order, part)
    if not any(str(c.id) == complaint_id for c in context["complaints"]):
        raise ComplaintNotFound()
    try:
        body = ComplaintAnswer.model_validate({"message": message})
        await complaints_service.answer_complaint(session, desk.console.user, complaint_id, body)
    except (AppError, ValidationError) as problem:
        raise desk.console.form_failed(
            "seller/order.html", problem, values={"message": message}, **context
        ) from problem
    return desk.console.redirect(
        desk.path(f"pesanan/{seller_order_id}"),
        success=N_("Answer sent. The admins decide the complaint."),
    )


@router.post("/penjual/{seller_id}/pesanan/{seller_order_id}/batal")
async def cancel(
    desk: FormDesk, session: DbSession, payments: Payments, seller_order_id: str
) -> Response:
    order, part = await part_of(session, desk, seller_order_id)
    asked = confirmation_needed(
        desk.console,
        await desk.console.request.form(),
        N_("Cancel order %(number)s? This cannot be undone; the stock returns."),
        back=desk.console.url(desk.path(f"pesanan/{seller_order_id}")),
        number=order.number,
    )
    if asked is not None:
        return asked
    context = await _order_context(session, desk, order, part)
    try:
        await orders_service.cancel_seller_order(
            session, payments, desk.console.user, seller_order_id
        )
    except AppError as problem:
        raise desk.console.form_failed(
            "seller/order.html", problem, values={}, **context
        ) from problem
    return desk.console.redirect(
        desk.path(f"pesanan/{seller_order_id}"), success=N_("Order cancelled.")
    )
