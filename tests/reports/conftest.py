"""Fixtures of the report tests."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.orders import lifecycle
from marketplace.payments import service as payments_service
from tests.reports.world import Clock, World, sell_first_quarter


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(lifecycle, "utcnow", fake)
    monkeypatch.setattr(payments_service, "utcnow", fake)
    return fake


@pytest.fixture
async def world(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> World:
    return await sell_first_quarter(app, client, sessionmaker, clock)
