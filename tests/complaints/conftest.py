"""The complaints tests' app: a 5 % commission (so what is given back can be checked), no
Stripe (refunds of transfers and cash are recorded for the operator to pay by hand)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI

from marketplace.main import create_app
from tests.conftest import make_settings

COMMISSION_BASIS_POINTS = 500


@pytest.fixture(scope="session")
async def app(
    migrated_database: str,
    tmp_path_factory: pytest.TempPathFactory,
    seeded_shipping_rates: list[dict[str, object]],
) -> AsyncIterator[FastAPI]:
    """Named ``app`` so the suite's cleaner empties the tables after every test using it (and
    restores ``seeded_shipping_rates``: read here, before any test, as the payments' app does;
    read first by the cleaner, in teardown, when these tests run before any other app's)."""
    settings = make_settings(
        migrated_database,
        platform_commission_basis_points=COMMISSION_BASIS_POINTS,
        media_root=tmp_path_factory.mktemp("media"),
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application
