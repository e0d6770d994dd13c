"""What /metrics reports besides request timings."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.monitoring import repository
from marketplace.monitoring.metrics import as_counts


async def business_figures(session: AsyncSession) -> dict[str, dict[str, int]]:
    """Orders by status, payments by ``method:status`` and the e-mail outbox by status (its
    ``pending`` count is the backlog)."""
    return {
        "orders": as_counts(await repository.orders_by_status(session)),
        "payments": as_counts(await repository.payments_by_method_and_status(session)),
        "outbox": as_counts(await repository.outbox_by_status(session)),
    }
