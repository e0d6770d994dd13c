"""Anyone may report a public listing; reports join the queue, rate limited per address."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import create_product, create_published_product, set_up_catalog
from tests.moderation.helpers import queue


async def test_guest_report_joins_the_queue_and_the_listing_stays_public(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    product = await create_published_product(client, shop.owner, shop.seller_id)

    response = await client.post(
        f"/api/v1/products/{product['id']}/reports",
        json={"reason": "prohibited_goods", "detail": "Ini sisik trenggiling"},
    )

    assert response.status_code == 201, response.text
    assert response.json()["status"] == "open"
    [item] = await queue(client, shop.admin)
    assert item["kind"] == "report"
    assert item["reasons"] == [
        {"code": "report_prohibited_goods", "detail": "Ini sisik trenggiling"}
    ]
    assert (await client.get(f"/api/v1/products/{product['id']}")).status_code == 200


async def test_reports_past_the_limit_get_429_with_retry_after(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given the default limit of 10 reports an hour per address, all used
    shop = await set_up_catalog(app, client)
    product = await create_published_product(client, shop.owner, shop.seller_id)
    for _ in range(10):
        response = await client.post(
            f"/api/v1/products/{product['id']}/reports", json={"reason": "fraud"}
        )
        assert response.status_code == 201

    # When the same address reports once more
    response = await client.post(
        f"/api/v1/products/{product['id']}/reports", json={"reason": "fraud"}
    )

    # Then it must wait, and nothing more is queued
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert len(await queue(client, shop.admin)) == 10


async def test_report_of_a_draft_or_with_a_bad_reason_changes_nothing(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    draft = await create_product(client, shop.owner, shop.seller_id)
    public = await create_published_product(client, shop.owner, shop.seller_id, title="Madu")

    hidden = await client.post(f"/api/v1/products/{draft['id']}/reports", json={"reason": "fraud"})
    bad = [
        await client.post(f"/api/v1/products/{public['id']}/reports", json=body)
        for body in ({}, {"reason": "spam"}, {"reason": "fraud", "detail": "x" * 2001})
    ]

    assert hidden.status_code == 404
    assert [response.status_code for response in bad] == [422, 422, 422]
    assert await queue(client, shop.admin) == []
