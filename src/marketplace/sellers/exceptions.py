"""Errors of the sellers domain."""

from __future__ import annotations

from marketplace.core.errors import Conflict, NotFound


class SellerNotFound(NotFound):
    problem = "seller-not-found"


class SellerStatusConflict(Conflict):
    problem = "seller-status-conflict"


class AlreadyMember(Conflict):
    problem = "already-member"


class LastOwner(Conflict):
    problem = "last-owner"


class InvitationNotFound(NotFound):
    """Unknown, used, expired, or addressed to someone else: all look the same."""

    problem = "invitation-not-found"
