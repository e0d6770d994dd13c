"""The cart of a visitor without an app: variant ids and quantities in a signed cookie (nothing
stored on the server until the order is placed)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response

from marketplace.config import Settings
from marketplace.core.web_session import SignedCookie
from marketplace.orders.schemas import MAX_LINES

CART_COOKIE = SignedCookie("mp_cart", "storefront-cart", 30 * 86400)
MAX_QUANTITY = 999


@dataclass
class Cart:
    """Quantities by variant, in the order they were added."""

    lines: dict[uuid.UUID, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(self.lines.values())

    def add(self, variant_id: uuid.UUID, quantity: int) -> None:
        if variant_id not in self.lines and len(self.lines) >= MAX_LINES:
            return
        self.lines[variant_id] = min(MAX_QUANTITY, self.lines.get(variant_id, 0) + quantity)

    def set(self, variant_id: uuid.UUID, quantity: int) -> None:
        if variant_id not in self.lines:
            return
        if quantity <= 0:
            del self.lines[variant_id]
        else:
            self.lines[variant_id] = min(MAX_QUANTITY, quantity)


def read_cart(request: Request, settings: Settings) -> Cart:
    """The visitor's cart; empty when the cookie is missing, forged or malformed."""
    value = CART_COOKIE.read(request, settings)
    cart = Cart()
    if not isinstance(value, list):
        return cart
    for entry in value[:MAX_LINES]:
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], int)):
            continue
        try:
            variant_id = uuid.UUID(str(entry[0]))
        except ValueError:
            continue
        if 1 <= entry[1] <= MAX_QUANTITY:
            cart.lines[variant_id] = entry[1]
    return cart


def save_cart(response: Response, settings: Settings, cart: Cart) -> None:
    if not cart.lines:
        CART_COOKIE.clear(response, settings)
        return
    CART_COOKIE.write(response, settings, [[str(v), q] for v, q in cart.lines.items()])
