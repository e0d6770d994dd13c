"""Buying without an app: the cart's lines priced now, the checkout form read into the API's
own ``OrderCreate`` (so the orders service applies the same rules), a shipping quote."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import User
from marketplace.catalog import service as catalog_service
from marketplace.catalog.models import Region
from marketplace.catalog.service import VariantForSale
from marketplace.config import Settings
from marketplace.core.i18n import Language
from marketplace.orders import shipping
from marketplace.orders.schemas import OrderCreate
from marketplace.payments.models import PaymentMethod
from marketplace.storefront.cart import Cart

PROVINCE = "Kepulauan Bangka Belitung"
FORM_FIELDS = (
    "name",
    "email",
    "phone",
    "street",
    "village",
    "district",
    "postal_code",
    "region_code",
    "payment_method",
    "notes",
)


@dataclass(frozen=True)
class CartLine:
    variant: VariantForSale
    quantity: int

    @property
    def total(self) -> int:
        return self.variant.price * self.quantity


@dataclass(frozen=True)
class PricedCart:
    lines: list[CartLine]
    unavailable: list[uuid.UUID]

    @property
    def subtotal(self) -> int:
        return sum(line.total for line in self.lines)


async def price_cart(session: AsyncSession, cart: Cart) -> PricedCart:
    """The cart at today's prices; lines no longer for sale are set apart."""
    variants = await catalog_service.variants_for_sale(session, list(cart.lines))
    lines, unavailable = [], []
    for variant_id, quantity in cart.lines.items():
        variant = variants.get(variant_id)
        if variant is None or not variant.purchasable:
            unavailable.append(variant_id)
        else:
            lines.append(CartLine(variant=variant, quantity=quantity))
    return PricedCart(lines=lines, unavailable=unavailable)


def payment_methods(settings: Settings, buyer: User | None) -> list[PaymentMethod]:
    """The methods to offer: bank transfer always; card when Stripe is configured; cash on
    delivery to signed-in buyers (the orders service has the last word)."""
    methods = [PaymentMethod.BANK_TRANSFER]
    # QRIS joins when the payments work offers it (a method and the merchant's static QRIS).
    qris = getattr(PaymentMethod, "QRIS", None)
    if qris is not None and getattr(settings, "qris_merchant_payload", None):
        methods.append(qris)
    if settings.stripe_secret_key.get_secret_value() and settings.stripe_publishable_key:
        methods.append(PaymentMethod.STRIPE)
    if buyer is not None:
        methods.append(PaymentMethod.COD)
    return methods


def initial_form(buyer: User | None) -> dict[str, str]:
    form = dict.fromkeys(FORM_FIELDS, "")
    form["payment_method"] = PaymentMethod.BANK_TRANSFER.value
    if buyer is not None:
        form.update(name=buyer.full_name, email=buyer.email, phone=buyer.phone or "")
    return form


@dataclass
class CheckoutForm:
    """What the buyer typed, and the errors by field after an attempt."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)


def order_body(
    form: CheckoutForm, cart: PricedCart, regions: list[Region], language: Language
) -> OrderCreate | None:
    """The API's order body, or None with ``form.errors`` filled in (by form field)."""
    values = form.values
    region = next((r for r in regions if r.code == values["region_code"]), None)
    raw: dict[str, Any] = {
        "items": [
            {"variant_id": str(line.variant.id), "quantity": line.quantity} for line in cart.lines
        ],
        "buyer": {"name": values["name"], "email": values["email"], "phone": values["phone"]},
        "shipping_address": {
            "recipient": values["name"],
            "phone": values["phone"],
            "street": values["street"],
            "village": values["village"],
            "district": values["district"],
            "city": region.name if region else "",
            "province": PROVINCE,
            "postal_code": values["postal_code"],
            "region_code": region.code if region else None,
        },
        "payment_method": values["payment_method"],
        "notes": values["notes"] or None,
        "language": language.value,
    }
    if region is None:
        form.errors["region_code"] = "required"
    try:
        body = OrderCreate.model_validate(raw)
    except ValidationError as error:
        for problem in error.errors():
            form.errors.setdefault(_form_field(problem["loc"]), problem["msg"])
        return None
    return None if form.errors else body


_FIELD_BY_LOCATION = {
    "recipient": "name",
    "city": "region_code",
    "province": "region_code",
}


def _form_field(location: tuple[int | str, ...]) -> str:
    name = str(location[-1]) if location else "form"
    if location and location[0] == "items":
        return "items"
    return _FIELD_BY_LOCATION.get(name, name)


async def shipping_quote(session: AsyncSession, cart: PricedCart, region_code: str) -> int | None:
    """Shipping for the cart to the chosen regency; None until one is chosen."""
    if not region_code or not cart.lines:
        return None
    regions = await catalog_service.list_regions(session)
    if region_code not in {region.code for region in regions}:
        return None
    quantities = {line.variant.id: line.quantity for line in cart.lines}
    return await shipping.quote_cart(session, quantities, region_code)
