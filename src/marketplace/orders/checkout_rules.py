"""Limits on checkout that keep one person from tying up stock or mailboxes: orders per
address and per buyer e-mail and a per-product quantity cap (who may pay which way is
``payments.method_rules``)."""

from __future__ import annotations

import uuid

from marketplace.catalog.service import VariantForSale
from marketplace.config import Settings
from marketplace.core.errors import InvalidInput, TooManyRequests
from marketplace.core.i18n import translate
from marketplace.core.rate_limit import RateLimiter
from marketplace.orders.schemas import OrderCreate


async def count_order_attempt(
    limiter: RateLimiter, settings: Settings, body: OrderCreate, client_address: str
) -> None:
    """One new order (replays are not counted) against the address's and the e-mail's limit."""
    wait = await limiter.take(settings.orders_per_address, "orders-address", client_address)
    if not wait:
        email = str(body.buyer.email).strip().lower()
        wait = await limiter.take(settings.orders_per_buyer_email, "orders-email", email)
        if wait:
            await limiter.give_back(settings.orders_per_address, "orders-address", client_address)
    if wait:
        raise TooManyRequests(wait)


def check_quantity_caps(body: OrderCreate, variants: dict[uuid.UUID, VariantForSale]) -> None:
    """Units per product (its variants together) up to the seller's cap; a 422 naming each
    line of a product over it."""
    per_product: dict[uuid.UUID, int] = {}
    for line in body.items:
        product_id = variants[line.variant_id].product_id
        per_product[product_id] = per_product.get(product_id, 0) + line.quantity
    errors = []
    for index, line in enumerate(body.items):
        variant = variants[line.variant_id]
        if per_product[variant.product_id] > variant.max_quantity_per_order:
            message = translate("quantity-over-cap", max_quantity=variant.max_quantity_per_order)
            errors.append(
                {
                    "loc": ["body", "items", index, "quantity"],
                    "msg": message,
                    "type": "quantity_over_cap",
                }
            )
    if errors:
        raise InvalidInput(errors=errors)
