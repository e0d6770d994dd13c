"""Fixtures for the storefront tests: localstripe (shared with the payments tests)."""

from __future__ import annotations

from tests.payments.conftest import localstripe_url

__all__ = ["localstripe_url"]
