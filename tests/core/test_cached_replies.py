"""Repeated public reads answered from the response cache before routing: the same bytes and
headers as the routed answer, HEAD and 304 alike, fresh as soon as the data changes, never
for a request with credentials or with parameters the route refuses; and a Redis that does
not answer makes reads come from the database instead of failing."""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import pytest
from fastapi import FastAPI
from httpx import AsyncClient, Response

from marketplace.catalog.dependencies import get_catalog_read_parts
from marketplace.config import Settings
from tests.conftest import make_settings
from tests.factories import open_shop, order_body, order_line, placed_order
from tests.factories.app import http_client, running_app

MEMO_SECONDS = 60  # far longer than a test: only a change the app makes can move the version
PRODUCTS = "/api/v1/products"
REPLAYED_HEADERS = ("etag", "cache-control", "content-type", "content-length", "content-language")


@pytest.fixture
async def caching_app(settings: Settings, app: FastAPI) -> AsyncIterator[FastAPI]:
    """An app that remembers the catalog version (the shared ``app`` reads it every time);
    ``app`` is taken so its tables are emptied after the test."""
    async with running_app(
        make_settings(
            settings.database_url,
            media_root=settings.media_root,
            catalog_version_ttl_seconds=MEMO_SECONDS,
        )
    ) as application:
        yield application


@pytest.fixture
async def caching_client(caching_app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with http_client(caching_app) as client:
        yield client


@contextmanager
def routing_refused(app: FastAPI) -> Iterator[None]:
    """Any request that reaches a catalog read route fails: what still answers was answered
    before routing."""

    def refuse() -> None:
        raise AssertionError("routed")

    app.dependency_overrides[get_catalog_read_parts] = refuse
    try:
        yield
    finally:
        app.dependency_overrides.pop(get_catalog_read_parts)


def replayed(response: Response) -> dict[str, str]:
    return {name: response.headers[name] for name in REPLAYED_HEADERS if name in response.headers}


async def test_repeated_list_and_detail_are_answered_before_routing_as_the_route_answered(
    caching_app: FastAPI, caching_client: AsyncClient
) -> None:
    # given a listed product whose list and detail were read once through the routes
    shop = await open_shop(caching_app, caching_client)
    paths = [f"{PRODUCTS}?limit=5", f"{PRODUCTS}/{shop.product_id}"]
    routed = [await caching_client.get(path) for path in paths]
    assert [response.status_code for response in routed] == [200, 200]

    # when the same requests come again while routing would fail
    with routing_refused(caching_app):
        again = [await caching_client.get(path) for path in paths]
        heads = [await caching_client.head(path) for path in paths]
        revalidated = [
            await caching_client.get(path, headers={"If-None-Match": first.headers["etag"]})
            for path, first in zip(paths, routed, strict=True)
        ]

    # then they get the same bytes and headers, HEAD without the body, 304 for a current copy
    for first, second, head, not_modified in zip(routed, again, heads, revalidated, strict=True):
        assert second.status_code == 200
        assert second.content == first.content
        assert replayed(second) == replayed(first)
        assert second.headers["x-request-id"] != first.headers["x-request-id"]
        assert head.status_code == 200
        assert head.content == b""
        assert replayed(head) == replayed(first)
        assert not_modified.status_code == 304
        assert not_modified.headers["etag"] == first.headers["etag"]
        assert not_modified.headers["cache-control"] == "public, max-age=30"


async def test_replayed_list_is_fresh_right_after_an_order_takes_the_stock(
    caching_app: FastAPI, caching_client: AsyncClient
) -> None:
    # given a product with 2 units whose list page was read twice (the second time replayed)
    shop = await open_shop(caching_app, caching_client, stock=2)
    before = [await caching_client.get(PRODUCTS) for _ in range(2)]
    assert before[1].json()["items"][0]["in_stock"] is True

    # when an order takes both units
    await placed_order(caching_client, order_body(order_line(shop.variant_id, 2)))
    after = await caching_client.get(PRODUCTS)

    # then the next read is the new page, not the remembered one
    assert after.headers["etag"] != before[1].headers["etag"]
    assert after.json()["items"][0]["in_stock"] is False


async def test_bad_parameters_are_refused_with_a_problem_even_beside_replayed_pages(
    caching_app: FastAPI, caching_client: AsyncClient
) -> None:
    # given a list page answered and remembered
    await open_shop(caching_app, caching_client)
    for _ in range(2):
        assert (await caching_client.get(f"{PRODUCTS}?limit=5")).status_code == 200

    # when the list is asked with a limit out of range, twice
    refused = [await caching_client.get(f"{PRODUCTS}?limit=0") for _ in range(2)]

    # then both answers are the route's precise problem details
    for response in refused:
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["loc"] == ["query", "limit"]


async def test_a_request_with_a_token_is_never_answered_from_a_replay(
    caching_app: FastAPI, caching_client: AsyncClient
) -> None:
    # given a product detail read by the public and remembered
    shop = await open_shop(caching_app, caching_client)
    path = f"{PRODUCTS}/{shop.product_id}"
    public = await caching_client.get(path)

    # when its seller's owner reads it with a token while routing would fail
    with routing_refused(caching_app):
        member = await caching_client.get(path, headers=shop.owner.headers)

    # then the member's request went to the route (and failed there), not to the public copy
    assert public.status_code == 200
    assert member.status_code == 500


async def test_replayed_embed_keeps_its_content_security_policy_and_language(
    caching_app: FastAPI, caching_client: AsyncClient
) -> None:
    # given a product's embed card in English, read once through its route
    shop = await open_shop(caching_app, caching_client)
    path = f"/embed/products/{shop.product_id}?lang=en"
    first = await caching_client.get(path)
    assert first.status_code == 200

    # when it is read again
    second = await caching_client.get(path)

    # then the same page comes with the same security and language headers
    assert second.content == first.content
    for header in ("content-security-policy", "x-content-type-options", "etag", "content-type"):
        assert second.headers[header] == first.headers[header]
    assert second.headers["content-language"] == "en"


@contextmanager
def logged_by(name: str, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """caplog sees ``name``'s records although the app replaced the root's handlers."""
    logger = logging.getLogger(name)
    logger.addHandler(caplog.handler)
    try:
        yield
    finally:
        logger.removeHandler(caplog.handler)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_reads_come_from_the_database_when_redis_does_not_answer(
    settings: Settings, app: FastAPI, client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    # given a listed product, and an app whose Redis (cache and data generation) is down
    shop = await open_shop(app, client, stock=3)
    down = make_settings(
        settings.database_url,
        media_root=settings.media_root,
        redis_url=f"redis://127.0.0.1:{closed_port()}/0",
        catalog_version_ttl_seconds=MEMO_SECONDS,
    )

    # when the public list, detail and embed are read, twice each
    async with running_app(down) as broken, http_client(broken) as broken_client:
        paths = [PRODUCTS, f"{PRODUCTS}/{shop.product_id}", f"/embed/products/{shop.product_id}"]
        with logged_by("marketplace.cache", caplog):
            answers = [await broken_client.get(path) for path in paths for _ in range(2)]

    # then every read is answered from the database, and the outage is logged
    assert [answer.status_code for answer in answers] == [200] * 6
    assert answers[0].json()["items"][0]["id"] == shop.product_id
    assert answers[2].json()["variants"][0]["stock"] == 3
    assert "Redis unavailable" in caplog.text
