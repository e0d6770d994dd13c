"""Storefront pages for one visitor: the cart, the checkout, an order's page (with its payment
instructions, card form and tracking) and cancelling it. Every form works without JavaScript
(the card form excepted) and carries the session's CSRF token."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request, Response
from fastapi.responses import RedirectResponse

from marketplace.catalog.dependencies import Storage
from marketplace.config import Settings
from marketplace.core.dependencies import AppSettings, ClientAddress, Limiter
from marketplace.core.errors import AppError
from marketplace.core.i18n import gettext_in
from marketplace.core.web_session import CSRF_FIELD, require_csrf, require_same_origin
from marketplace.db.session import DbSession, rollback
from marketplace.media.storage import MediaStorage
from marketplace.orders import idempotency, placement
from marketplace.orders import service as orders_service
from marketplace.orders.exceptions import OrderNotFound
from marketplace.orders.idempotency import IdempotentRequest
from marketplace.payments.dependencies import Payments
from marketplace.payments.models import PaymentMethod
from marketplace.storefront import checkout, rendering, service
from marketplace.storefront.cart import MAX_QUANTITY
from marketplace.storefront.checkout import CheckoutForm
from marketplace.storefront.dependencies import CurrentVisitor, PageLanguage, Visitor
from marketplace.storefront.pages import not_found
from marketplace.storefront.rendering import PageContext

router = APIRouter(tags=["storefront"], include_in_schema=False)
FormText = Annotated[str, Form(max_length=1000)]
CsrfField = Annotated[str, Form(alias=CSRF_FIELD, max_length=200)]
OrderNumber = Annotated[str, Path(max_length=40)]
TokenParam = Annotated[str | None, Query(max_length=200)]


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _quantity(raw: str) -> int:
    return int(raw) if raw.strip().isdigit() and len(raw.strip()) <= 4 else 0


def _variant(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


# --- cart ---------------------------------------------------------------------------------


@router.get("/keranjang", response_class=Response)
async def cart_page(
    visitor: CurrentVisitor,
    session: DbSession,
    storage: Storage,
    settings: AppSettings,
    language: PageLanguage,
) -> Response:
    page = PageContext(settings, language, "/keranjang")
    priced = await checkout.price_cart(session, visitor.cart)
    html = rendering.render(
        "cart.html", page, cart=priced, csrf=visitor.web_session.csrf_token, noindex=True
    )
    response = rendering.private_response(settings, storage, html, language)
    return visitor.finish(response, settings)


@router.post("/keranjang", response_class=Response)
async def add_to_cart(
    request: Request,
    settings: AppSettings,
    language: PageLanguage,
    visitor: CurrentVisitor,
    variant_id: FormText = "",
    quantity: FormText = "1",
) -> Response:
    """From a product page (cached for everyone, so no per-visitor token: the browser's
    Origin says the form is ours)."""
    require_same_origin(request, settings)
    parsed, count = _variant(variant_id), _quantity(quantity)
    if parsed is not None and 1 <= count <= MAX_QUANTITY:
        visitor.cart.add(parsed, count)
        visitor.cart_changed = True
    page = PageContext(settings, language, "/keranjang")
    return visitor.finish(_see_other(page.url("/keranjang")), settings)


@router.post("/keranjang/ubah", response_class=Response)
async def change_cart(
    settings: AppSettings,
    language: PageLanguage,
    visitor: CurrentVisitor,
    csrf_token: CsrfField = "",
    variant_id: FormText = "",
    quantity: FormText = "0",
) -> Response:
    """Set a line's quantity (0 removes it)."""
    require_csrf(visitor.web_session, csrf_token)
    parsed = _variant(variant_id)
    if parsed is not None:
        visitor.cart.set(parsed, _quantity(quantity))
        visitor.cart_changed = True
    page = PageContext(settings, language, "/keranjang")
    return visitor.finish(_see_other(page.url("/keranjang")), settings)


# --- checkout -----------------------------------------------------------------------------


async def _checkout_page(
    session: DbSession,
    storage: MediaStorage,
    settings: Settings,
    page: PageContext,
    visitor: Visitor,
    form: CheckoutForm,
    idempotency_key: str,
    message: str | None = None,
) -> Response:
    priced = await checkout.price_cart(session, visitor.cart)
    catalogue = await service.catalogue(session)
    shipping = await checkout.shipping_quote(session, priced, form.values["region_code"])
    html = rendering.render(
        "checkout.html",
        page,
        cart=priced,
        form=form,
        regions=catalogue.regions,
        methods=checkout.payment_methods(settings, visitor.user),
        shipping=shipping,
        csrf=visitor.web_session.csrf_token,
        idempotency_key=idempotency_key,
        message=message,
        signed_in=visitor.user,
        noindex=True,
    )
    status = 422 if form.errors or message else 200
    response = rendering.private_response(
        settings, storage, html, page.language, status_code=status
    )
    return visitor.finish(response, settings)


@router.get("/checkout", response_class=Response)
async def checkout_page(
    visitor: CurrentVisitor,
    session: DbSession,
    storage: Storage,
    settings: AppSettings,
    language: PageLanguage,
) -> Response:
    page = PageContext(settings, language, "/checkout")
    if not visitor.cart.lines:
        return visitor.finish(_see_other(page.url("/keranjang")), settings)
    form = CheckoutForm(values=checkout.initial_form(visitor.user))
    return await _checkout_page(session, storage, settings, page, visitor, form, str(uuid.uuid4()))


@router.post("/checkout", response_class=Response)
async def place_order(
    visitor: CurrentVisitor,
    session: DbSession,
    storage: Storage,
    settings: AppSettings,
    payments: Payments,
    limiter: Limiter,
    client_address: ClientAddress,
    language: PageLanguage,
    csrf_token: CsrfField = "",
    action: FormText = "place",
    idempotency_key: Annotated[str, Form(max_length=64)] = "",
    name: FormText = "",
    email: FormText = "",
    phone: FormText = "",
    street: FormText = "",
    village: FormText = "",
    district: FormText = "",
    postal_code: FormText = "",
    region_code: FormText = "",
    payment_method: FormText = "",
    notes: FormText = "",
) -> Response:
    """``action=quote`` shows the shipping for the chosen regency; ``place`` orders (once per
    form: the form's Idempotency-Key makes a double submit show the same order)."""
    require_csrf(visitor.web_session, csrf_token)
    page = PageContext(settings, language, "/checkout")
    if not visitor.cart.lines:
        return visitor.finish(_see_other(page.url("/keranjang")), settings)
    values = {
        "name": name, "email": email, "phone": phone, "street": street, "village": village,
        "district": district, "postal_code": postal_code, "region_code": region_code,
        "payment_method": payment_method, "notes": notes,
    }  # fmt: skip
    form = CheckoutForm(values={k: v.strip() for k, v in values.items()})
    key = idempotency_key if len(idempotency_key) >= 16 else str(uuid.uuid4())
    if action == "quote":
        return await _checkout_page(session, storage, settings, page, visitor, form, key)
    priced = await checkout.price_cart(session, visitor.cart)
    regions = (await service.catalogue(session)).regions
    body = checkout.order_body(form, priced, regions, language)
    if body is None or priced.unavailable:
        message = (
            gettext_in(
                page.language, "Some items in your cart are no longer for sale and were left out."
            )
            if priced.unavailable
            else None
        )
        return await _checkout_page(session, storage, settings, page, visitor, form, key, message)
    request = IdempotentRequest(
        caller=idempotency.caller_of(visitor.user.id if visitor.user else None),
        scope=placement.ORDER_SCOPE,
        key=key,
        request_hash=idempotency.body_hash(body),
    )
    try:
        buyer = placement.Checkout(
            settings=settings,
            payments=payments,
            limiter=limiter,
            buyer=visitor.user,
            client_address=client_address,
        )
        placed = await placement.place_order(session, buyer, body, request)
    except AppError as error:  # out of stock, a rule of the orders service, a provider down
        await rollback(session)  # nothing of the attempt stays (an unused card intent is void)
        message = error.render_detail() or error.render_title()
        return await _checkout_page(session, storage, settings, page, visitor, form, key, message)
    visitor.cart.lines.clear()
    visitor.cart_changed = True
    return visitor.finish(_see_other(_order_address(page, placed)), settings)


def _order_address(page: PageContext, placed: placement.PlacedOrder) -> str:
    order = placed.body
    token = order.get("access_token")
    return page.url(f"/pesanan/{order['number']}", token=token)


# --- an order -----------------------------------------------------------------------------


@router.get("/pesanan/{number}", response_class=Response)
async def order_page(
    number: OrderNumber,
    visitor: CurrentVisitor,
    session: DbSession,
    storage: Storage,
    settings: AppSettings,
    language: PageLanguage,
    token: TokenParam = None,
) -> Response:
    """Status, payment instructions (or the card form), tracking; to its buyer only."""
    try:
        order = await orders_service.order_for_buyer_by_number(session, visitor.user, number, token)
    except OrderNotFound:
        return visitor.finish(not_found(settings, storage, language), settings)
    read = await orders_service.order_read(session, order, settings.public_url)
    page = PageContext(settings, language, f"/pesanan/{number}")
    payment = read.payment
    card = bool(
        payment
        and payment.method is PaymentMethod.STRIPE
        and payment.status == "pending"
        and payment.client_secret
        and settings.stripe_publishable_key
    )
    html = rendering.render(
        "order.html",
        page,
        order=read,
        payment=payment,
        qris=getattr(payment, "qris", None),
        token=token,
        card=card,
        stripe_js_url=settings.stripe_js_url,
        publishable_key=settings.stripe_publishable_key,
        return_url=page.absolute(f"/pesanan/{number}", token=token),
        may_cancel=orders_service.buyer_may_cancel(read),
        csrf=visitor.web_session.csrf_token,
        card_script=rendering.CARD_SCRIPT,
        noindex=True,
    )
    response = rendering.private_response(settings, storage, html, language, card=card)
    return visitor.finish(response, settings)


@router.post("/pesanan/{number}/batal", response_class=Response)
async def cancel_order(
    number: OrderNumber,
    visitor: CurrentVisitor,
    session: DbSession,
    storage: Storage,
    settings: AppSettings,
    payments: Payments,
    language: PageLanguage,
    csrf_token: CsrfField = "",
    token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Cancel while nothing has shipped (the orders service decides, as for the API)."""
    require_csrf(visitor.web_session, csrf_token)
    page = PageContext(settings, language, f"/pesanan/{number}")
    try:
        order = await orders_service.order_for_buyer_by_number(
            session, visitor.user, number, token or None
        )
        await orders_service.cancel_as_buyer(
            session, payments, visitor.user, str(order.id), token or None
        )
    except OrderNotFound:
        return visitor.finish(not_found(settings, storage, language), settings)
    except AppError:  # shipped meanwhile: the page shows the order as it now stands
        await rollback(session)
    return visitor.finish(_see_other(page.url(page.path, token=token or None)), settings)
