"""The orders domain as other domains reach it. The rules live in modules named for their
concept: ``access`` (who may see an order), ``reading`` (how it is shown), ``placement``,
``cancelling``, ``fulfilment`` (shipping and delivery), ``paying`` and ``lifecycle``."""

from __future__ import annotations

from marketplace.orders.access import (
    DeliveredPart,
    delivered_part_for_buyer,
    is_buyer,
    lock_order,
    order_for_buyer,
    order_for_buyer_by_number,
    seller_order_for,
)
from marketplace.orders.cancelling import cancel_as_buyer, cancel_seller_order
from marketplace.orders.fulfilment import deliver_seller_order, ship_seller_order
from marketplace.orders.paying import (
    apply_external_refund,
    apply_successful_payment,
    confirm_bank_transfer,
    new_payment_attempt,
    refund_seller_order,
    refundable_amount,
)
from marketplace.orders.reading import (
    buyer_may_cancel,
    list_buyer_orders,
    list_seller_orders,
    order_read,
    orders_read,
    payment_read,
    present_seller_order,
    seller_name,
    seller_order_read,
)

__all__ = [
    "DeliveredPart",
    "apply_external_refund",
    "apply_successful_payment",
    "buyer_may_cancel",
    "cancel_as_buyer",
    "cancel_seller_order",
    "confirm_bank_transfer",
    "deliver_seller_order",
    "delivered_part_for_buyer",
    "is_buyer",
    "list_buyer_orders",
    "list_seller_orders",
    "lock_order",
    "new_payment_attempt",
    "order_for_buyer",
    "order_for_buyer_by_number",
    "order_read",
    "orders_read",
    "payment_read",
    "present_seller_order",
    "refund_seller_order",
    "refundable_amount",
    "seller_name",
    "seller_order_for",
    "seller_order_read",
    "ship_seller_order",
]
