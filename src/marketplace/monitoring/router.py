"""GET /metrics in the Prometheus text format."""

from __future__ import annotations

from fastapi import APIRouter
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.responses import Response

from marketplace.db.session import DbSession
from marketplace.monitoring import service
from marketplace.monitoring.metrics import render

router = APIRouter(tags=["monitoring"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {
            "content": {"text/plain": {"example": 'marketplace_orders{status="pending"} 3.0\n'}},
            "description": "Prometheus text format",
        }
    },
)
async def metrics(session: DbSession) -> Response:
    """Request latency by route template, orders, payments and the e-mail outbox backlog."""
    figures = await service.business_figures(session)
    return Response(render(figures), media_type=CONTENT_TYPE_LATEST)
