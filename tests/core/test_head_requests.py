"""HEAD answers on every GET route with the GET's status and headers and no body."""

from __future__ import annotations

import re

from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import open_shop

PATH_PARAMETER = re.compile(r"\{[^}]+\}")


async def test_every_get_route_answers_head_with_the_same_status_and_no_body(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a shop, so list routes answer with content
    shop = await open_shop(app, client)
    paths = [path for path, item in app.openapi()["paths"].items() if "get" in item]
    paths += ["/openapi.json", "/docs"]
    assert len(paths) > 30
    statuses = set()

    for template in paths:
        for headers in ({}, shop.owner.headers):
            path = PATH_PARAMETER.sub(
                shop.seller_id if "seller" in template else shop.product_id, template
            )
            # when
            get = await client.get(path, headers=headers)
            head = await client.head(path, headers=headers)
            # then
            assert head.status_code == get.status_code, template
            assert head.content == b"", template
            assert head.headers.get("content-type") == get.headers.get("content-type"), template
            statuses.add(get.status_code)
    assert {200, 401, 404} <= statuses


async def test_head_of_a_product_list_declares_the_get_body_length_and_etag(
    app: FastAPI, client: AsyncClient
) -> None:
    await open_shop(app, client)

    get = await client.get("/api/v1/products")
    head = await client.head("/api/v1/products")

    assert head.status_code == 200
    assert head.headers["content-length"] == str(len(get.content))
    assert head.headers.get("etag") == get.headers.get("etag")


async def test_head_on_a_post_only_route_answers_405(client: AsyncClient) -> None:
    response = await client.head("/api/v1/auth/register")

    assert response.status_code == 405
    assert response.content == b""
