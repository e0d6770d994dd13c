"""Errors of the orders domain."""

from __future__ import annotations

from marketplace.core.errors import AppError, Conflict, NotFound


class OrderNotFound(NotFound):
    problem = "order-not-found"


class SellerOrderNotFound(NotFound):
    problem = "seller-order-not-found"


class InsufficientStock(Conflict):
    problem = "insufficient-stock"


class OrderStatusConflict(Conflict):
    problem = "order-status-conflict"


class AlreadyShipped(Conflict):
    problem = "order-already-shipped"


class IdempotencyInFlight(Conflict):
    problem = "idempotency-in-flight"


class IdempotencyKeyReused(AppError):
    status_code = 422
    problem = "idempotency-key-reused"


class ReceiptNotConfirmable(Conflict):
    """The buyer already confirmed receipt (the money settled), or a complaint is open."""

    problem = "receipt-not-confirmable"
