"""Errors of the complaints domain."""

from __future__ import annotations

from marketplace.core.errors import Conflict, NotFound


class ComplaintNotFound(NotFound):
    problem = "complaint-not-found"


class ComplaintNotAllowed(Conflict):
    """Only a shipped or delivered seller-order that has not settled can be complained about."""

    problem = "complaint-not-allowed"


class ComplaintExists(Conflict):
    problem = "complaint-exists"


class ComplaintResolved(Conflict):
    problem = "complaint-resolved"


class RefundExceedsPaid(Conflict):
    problem = "refund-exceeds-paid"
