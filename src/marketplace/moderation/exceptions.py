"""Errors of moderation."""

from __future__ import annotations

from marketplace.core.errors import Conflict, NotFound


class ModerationItemNotFound(NotFound):
    problem = "moderation-item-not-found"


class ItemAlreadyResolved(Conflict):
    problem = "moderation-item-resolved"
