"""Errors of the catalog domain."""

from __future__ import annotations

from marketplace.core.errors import Conflict


class CategoryExists(Conflict):
    problem = "category-exists"
