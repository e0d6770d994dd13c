"""/orders, /seller-orders, /sellers/{id}/orders and the admin's payments and shipping rates."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Query, Response, status
from fastapi.responses import JSONResponse

from marketplace.accounts.dependencies import AdminUser, CurrentUser, OptionalUser
from marketplace.audit import service as audit_service
from marketplace.core.dependencies import AppSettings, ClientAddress, Limiter, cursor_codec
from marketplace.core.errors import problem_responses
from marketplace.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, CursorCodec
from marketplace.core.schemas import Page
from marketplace.db.session import DbSession
from marketplace.orders import idempotency, placement, service, shipping
from marketplace.orders.dependencies import IdempotencyKey, OrderToken
from marketplace.orders.idempotency import IdempotentRequest
from marketplace.orders.models import SellerOrderStatus
from marketplace.orders.schemas import (
    OrderBrief,
    OrderCreate,
    OrderRead,
    PaymentAttemptCreate,
    PaymentRead,
    SellerOrderRead,
    ShippingRateRead,
    ShippingRateTable,
    ShipRequest,
)
from marketplace.payments.dependencies import Payments
from marketplace.sellers.dependencies import SellerById
from marketplace.sellers.models import MemberRole

router = APIRouter(tags=["orders"])
admin_router = APIRouter(prefix="/admin", tags=["admin"])
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
CursorParam = Annotated[str | None, Query(max_length=500)]


@router.post(
    "/orders",
    status_code=status.HTTP_201_CREATED,
    response_model=OrderRead,
    responses=problem_responses(401, 409, 422, 429, 503),
)
async def place_order(
    body: OrderCreate,
    idempotency_key: IdempotencyKey,
    buyer: OptionalUser,
    session: DbSession,
    settings: AppSettings,
    payments: Payments,
    limiter: Limiter,
    client_address: ClientAddress,
) -> Response:
    """One checkout across sellers. A guest gets ``access_token`` (send it back as
    ``X-Order-Token``); a replay with the same Idempotency-Key returns the same response."""
    request = IdempotentRequest(
        caller=idempotency.caller_of(buyer.id if buyer else None),
        scope=placement.ORDER_SCOPE,
        key=idempotency_key,
        request_hash=idempotency.body_hash(body),
    )
    checkout = placement.Checkout(
        settings=settings,
        payments=payments,
        limiter=limiter,
        buyer=buyer,
        client_address=client_address,
    )
    placed = await placement.place_order(session, checkout, body, request)
    return Response(orjson.dumps(placed.body), placed.status_code, media_type="application/json")


@router.get("/orders", response_model=Page[OrderBrief], responses=problem_responses(401, 422))
async def list_my_orders(
    user: CurrentUser,
    session: DbSession,
    codec: Annotated[CursorCodec, Depends(cursor_codec("orders"))],
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: CursorParam = None,
) -> Page[OrderBrief]:
    return await service.list_buyer_orders(session, codec, user, limit, cursor)


@router.get("/orders/{order_id}", response_model=OrderRead, responses=problem_responses(401, 404))
async def read_order(
    order_id: str,
    viewer: OptionalUser,
    session: DbSession,
    settings: AppSettings,
    token: OrderToken = None,
) -> OrderRead:
    order = await service.order_for_buyer(session, viewer, order_id, token)
    return await service.order_read(session, order, settings.public_url)


@router.post(
    "/orders/{order_id}/cancel",
    response_model=OrderRead,
    responses=problem_responses(401, 404, 409),
)
async def cancel_order(
    order_id: str,
    viewer: OptionalUser,
    session: DbSession,
    payments: Payments,
    token: OrderToken = None,
) -> OrderRead:
    """Until anything has shipped; the stock returns and a paid amount is refunded."""
    order = await service.cancel_as_buyer(session, payments, viewer, order_id, token)
    return await service.order_read(session, order, payments.settings.public_url)


@router.post(
    "/orders/{order_id}/payments",
    status_code=status.HTTP_201_CREATED,
    response_model=PaymentRead,
    responses=problem_responses(401, 404, 409, 422, 503),
)
async def start_payment(
    order_id: str,
    body: PaymentAttemptCreate,
    idempotency_key: IdempotencyKey,
    viewer: OptionalUser,
    session: DbSession,
    payments: Payments,
    token: OrderToken = None,
) -> Response:
    settings = payments.settings
    request = IdempotentRequest(
        caller=idempotency.caller_of(viewer.id) if viewer else f"guest:{order_id}",
        scope=f"POST /orders/{order_id}/payments",
        key=idempotency_key,
        request_hash=idempotency.body_hash(body),
    )
    stored = await idempotency.claim(session, request)
    if stored is not None:
        return JSONResponse(stored.body(), status_code=stored.status_code)
    payment = await service.new_payment_attempt(
        session, payments, viewer, order_id, token, body.payment_method
    )
    content = service.payment_read(payment, settings.public_url)
    assert content is not None
    body_json = content.model_dump(mode="json")
    idempotency.remember(session, request, 201, body_json, payment.id)
    return JSONResponse(body_json, status_code=201)


@router.get(
    "/sellers/{seller_id}/orders",
    response_model=Page[SellerOrderRead],
    responses=problem_responses(401, 403, 404, 422),
)
async def list_seller_orders(
    user: CurrentUser,
    seller_access: SellerById,
    session: DbSession,
    codec: Annotated[CursorCodec, Depends(cursor_codec("seller-orders"))],
    status_filter: Annotated[SellerOrderStatus | None, Query(alias="status")] = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: CursorParam = None,
) -> Page[SellerOrderRead]:
    """That seller's part of each order, e.g. ``status=to_ship`` for the packing list."""
    seller = seller_access.require(MemberRole.OWNER, MemberRole.STAFF, admin=True)
    return await service.list_seller_orders(
        session, codec, seller.id, seller.name, status_filter, limit, cursor
    )


@router.post(
    "/seller-orders/{seller_order_id}/ship",
    response_model=SellerOrderRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def ship_seller_order(
    seller_order_id: str, body: ShipRequest, user: CurrentUser, session: DbSession
) -> SellerOrderRead:
    order, part = await service.ship_seller_order(
        session, user, seller_order_id, body.courier, body.tracking_number
    )
    return await service.present_seller_order(session, order, part)


@router.post(
    "/seller-orders/{seller_order_id}/deliver",
    response_model=SellerOrderRead,
    responses=problem_responses(401, 403, 404, 409),
)
async def deliver_seller_order(
    seller_order_id: str,
    viewer: OptionalUser,
    session: DbSession,
    payments: Payments,
    token: OrderToken = None,
) -> SellerOrderRead:
    order, part = await service.deliver_seller_order(
        session, payments, viewer, seller_order_id, token
    )
    return await service.present_seller_order(session, order, part)


@router.post(
    "/seller-orders/{seller_order_id}/cancel",
    response_model=SellerOrderRead,
    responses=problem_responses(401, 403, 404, 409),
)
async def cancel_seller_order(
    seller_order_id: str, user: CurrentUser, session: DbSession, payments: Payments
) -> SellerOrderRead:
    """A seller cancels its own part before shipping; its stock returns."""
    order, part = await service.cancel_seller_order(session, payments, user, seller_order_id)
    return await service.present_seller_order(session, order, part)


@admin_router.post(
    "/payments/{payment_id}/confirm",
    response_model=PaymentRead,
    responses=problem_responses(401, 403, 404, 409),
)
async def confirm_payment(
    payment_id: str, admin: AdminUser, session: DbSession, payments: Payments
) -> PaymentRead:
    """A bank transfer (or QRIS payment) arrived: the payment is paid and the order starts
    processing."""
    payment = await service.confirm_bank_transfer(session, payments, admin, payment_id)
    read = service.payment_read(payment, payments.settings.public_url)
    assert read is not None
    return read


@admin_router.get(
    "/shipping-rates", response_model=list[ShippingRateRead], responses=problem_responses(401, 403)
)
async def list_shipping_rates(admin: AdminUser, session: DbSession) -> list[ShippingRateRead]:
    rates = await shipping.list_rates(session)
    return [ShippingRateRead.model_validate(rate, from_attributes=True) for rate in rates]


@admin_router.put(
    "/shipping-rates",
    response_model=list[ShippingRateRead],
    responses=problem_responses(401, 403, 422),
)
async def replace_shipping_rates(
    body: ShippingRateTable, admin: AdminUser, session: DbSession
) -> list[ShippingRateRead]:
    """Replace the whole table: rows of (region_code or null for elsewhere, max weight, price)."""
    before = [
        ShippingRateRead.model_validate(r, from_attributes=True)
        for r in await shipping.list_rates(session)
    ]
    rates = [
        ShippingRateRead.model_validate(r, from_attributes=True)
        for r in await shipping.replace_rates(session, body)
    ]
    await audit_service.record_admin_action(
        session,
        actor_id=admin.id,
        action="shipping_rates.replace",
        target_type="shipping_rates",
        target_id="all",
        before={"rates": [r.model_dump() for r in before]},
        after={"rates": [r.model_dump() for r in rates]},
    )
    return rates
