"""Fixtures of the report tests."""

from __future__ import annotations

import pytest

from marketplace.orders import lifecycle
from marketplace.payments import service as payments_service
from tests.reports.world import Clock


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(lifecycle, "utcnow", fake)
    monkeypatch.setattr(payments_service, "utcnow", fake)
    return fake
