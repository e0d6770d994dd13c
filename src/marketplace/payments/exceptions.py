"""Errors of the payments domain."""

from __future__ import annotations

from marketplace.core.errors import AppError, InvalidInput, NotFound


class PaymentNotFound(NotFound):
    problem = "payment-not-found"


class PaymentProviderUnavailable(AppError):
    status_code = 503
    problem = "payment-provider-unavailable"


class TransferCodesExhausted(AppError):
    status_code = 503
    problem = "transfer-codes-exhausted"


class QrisUnavailable(AppError):
    status_code = 503
    problem = "qris-unavailable"


class ProofNotAccepted(AppError):
    status_code = 409
    problem = "proof-not-accepted"


class ProofLinkInvalid(NotFound):
    problem = "proof-link-invalid"


class StatementUnreadable(InvalidInput):
    problem = "statement-unreadable"
