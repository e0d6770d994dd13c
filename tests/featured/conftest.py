"""Fixtures for the featured tests: an app of its own with embed settings set."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from marketplace.config import Settings
from tests.conftest import make_settings
from tests.factories import http_client, running_app

GOVERNMENT_SITE = "https://babelprov.go.id"
NEWS_SITE = "https://diskominfo.babelprov.go.id"
STOREFRONT = "https://pasar.babelprov.go.id/produk/{slug}?dari=embed"


@pytest.fixture
async def embed_app(app: FastAPI, settings: Settings) -> AsyncIterator[FastAPI]:
    """The app with two origins allowed to frame the embeds and a storefront link template
    (``app`` is requested so the tables are emptied after the test)."""
    embed_settings = make_settings(
        settings.database_url,
        media_root=settings.media_root,
        embed_allowed_origins=f"{GOVERNMENT_SITE}, {NEWS_SITE}/",
        storefront_url=STOREFRONT,
    )
    async with running_app(embed_settings) as built:
        yield built


@pytest.fixture
async def embed_client(embed_app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with http_client(embed_app) as http:
        yield http
