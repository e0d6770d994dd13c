"""Prometheus /metrics: latency by route template, orders, payments, outbox backlog."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient

from tests.conftest import make_settings
from tests.factories import (
    http_client,
    open_shop,
    order_body,
    order_line,
    placed_order,
    running_app,
)


async def test_metrics_report_request_latency_by_route_template_not_raw_path(
    app: FastAPI, client: AsyncClient
) -> None:
    await client.get("/api/v1/products/lada-tidak-ada")
    await client.get("/api/v1/products/madu-tidak-ada")

    text = (await client.get("/metrics")).text

    assert (
        'marketplace_http_request_duration_seconds_count{method="GET",'
        'route="/api/v1/products/{id_or_slug}",status="404"}'
    ) in text
    assert "lada-tidak-ada" not in text


async def test_metrics_count_orders_payments_and_the_outbox_backlog(
    app: FastAPI, client: AsyncClient
) -> None:
    # given one placed bank-transfer order
    shop = await open_shop(app, client)
    await placed_order(client, order_body(order_line(shop.variant_id, 1)))

    # when
    response = await client.get("/metrics")

    # then
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert 'marketplace_orders{status="pending"} 1.0' in lines
    assert any(line.startswith('marketplace_payments{kind="bank_transfer:') for line in lines)
    assert any(line.startswith('marketplace_outbox_emails{status="') for line in lines)


async def test_metrics_can_be_switched_off(migrated_database: str) -> None:
    settings = make_settings(migrated_database, metrics_enabled=False)
    async with running_app(settings) as app, http_client(app) as http:
        response = await http.get("/metrics")

    assert response.status_code == 404
