"""Prometheus figures: request latency by route template (this process) and business figures
read from the database at scrape time (the same on every instance)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import REGISTRY, Collector
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

UNMATCHED_ROUTE = "unmatched"

REQUEST_SECONDS = Histogram(
    "marketplace_http_request_duration_seconds",
    "Time to answer an HTTP request, by method, route template and status.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


class RouteTemplates:
    """``/api/v1/products/{product_id}`` for a request the router matched: the template, never
    the raw path, keeps the label set small whatever paths clients send."""

    def __init__(self, routes: Iterable[BaseRoute]) -> None:
        self._routes = routes
        self._by_route: dict[int, str] | None = None

    def for_scope(self, scope: Scope) -> str:
        route = scope.get("route")
        if route is None:
            return UNMATCHED_ROUTE
        if self._by_route is None:
            self._by_route = self._build()
        found = self._by_route.get(id(route))
        if found is not None:
            return found
        path = getattr(route, "path_format", None) or getattr(route, "path", None)
        return str(path) if path else UNMATCHED_ROUTE

    def _build(self) -> dict[int, str]:
        templates: dict[int, str] = {}
        for context in iter_route_contexts(list(self._routes)):
            original = context.original_route
            if isinstance(original, APIRoute) and context.path_format:
                templates[id(original)] = context.path_format
        return templates


class RequestMetricsMiddleware:
    """Observes each request's duration under its route template."""

    def __init__(self, app: ASGIApp, *, templates: RouteTemplates) -> None:
        self.app = app
        self.templates = templates

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_recording_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_recording_status)
        finally:
            REQUEST_SECONDS.labels(
                scope["method"], self.templates.for_scope(scope), str(status)
            ).observe(time.perf_counter() - started)


class FiguresCollector(Collector):
    """Gauges of figures counted in the database just before this scrape."""

    def __init__(self, figures: Mapping[str, Mapping[str, int]]) -> None:
        self.figures = figures

    def collect(self) -> Iterator[Metric]:
        described = {
            "orders": ("marketplace_orders", "Orders by status.", "status"),
            "payments": ("marketplace_payments", "Payments by method and status.", "kind"),
            "outbox": ("marketplace_outbox_emails", "E-mails in the outbox by status.", "status"),
        }
        for key, (name, documentation, label) in described.items():
            family = GaugeMetricFamily(name, documentation, labels=[label])
            for value_label, count in sorted(self.figures.get(key, {}).items()):
                family.add_metric([value_label], count)
            yield family


def render(figures: Mapping[str, Mapping[str, int]]) -> bytes:
    """The exposition text: this process's request metrics (or every worker's, in
    multiprocess mode) and the database figures."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        registry.register(FiguresCollector(figures))
        return generate_latest(registry)
    registry.register(FiguresCollector(figures))
    return generate_latest(REGISTRY) + generate_latest(registry)


def as_counts(rows: Iterable[tuple[Any, int]]) -> dict[str, int]:
    return {str(getattr(key, "value", key)): int(count) for key, count in rows}
