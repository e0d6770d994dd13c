"""The orders side of the admin desk: finding any order (by number, buyer e-mail or phone,
tracking number, filters) and confirming a payment a bank statement proved."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.audit import service as audit_service
from marketplace.core.pagination import CursorCodec, parse_time_and_id, split_page, time_and_id
from marketplace.core.schemas import Page
from marketplace.db.base import parse_id
from marketplace.orders import repository
from marketplace.orders.exceptions import OrderNotFound
from marketplace.orders.reading import order_read, orders_read
from marketplace.orders.repository import OrderFilters
from marketplace.orders.schemas import OrderRead
from marketplace.orders.settlement import settle_successful_payment
from marketplace.payments import service as payments_service
from marketplace.payments.models import Payment, PaymentAttemptStatus
from marketplace.payments.service import PaymentRuntime


async def search_page(
    session: AsyncSession,
    codec: CursorCodec,
    filters: OrderFilters,
    limit: int,
    cursor: str | None,
    public_url: str,
) -> Page[OrderRead]:
    after = codec.decode_as(cursor, parse_time_and_id) if cursor else None
    rows = await repository.search_orders(session, filters, after, limit + 1)
    orders, next_cursor = split_page(rows, limit, codec, lambda o: time_and_id(o.created_at, o.id))
    return Page(items=await orders_read(session, orders, public_url), next_cursor=next_cursor)


async def find_order(session: AsyncSession, id_or_number: str, public_url: str) -> OrderRead:
    """One order by its id or its number (``BB261202-ACDEFG``, any case); 404 otherwise."""
    parsed = parse_id(id_or_number)
    order = (
        await repository.get_order(session, parsed)
        if parsed
        else await repository.get_order_by_number(session, id_or_number)
    )
    if order is None:
        raise OrderNotFound()
    return await order_read(session, order, public_url)


async def order_numbers(session: AsyncSession, order_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    return {order.id: order.number for order in await repository.orders_by_ids(session, order_ids)}


async def confirm_from_statement(
    session: AsyncSession,
    runtime: PaymentRuntime,
    admin_id: uuid.UUID | None,
    payment: Payment,
    statement_line: int,
) -> str:
    """A statement line proved the money arrived: settle the payment as an admin's
    confirmation would (order row locked first, then the payment re-read under lock)."""
    order = await repository.get_order(session, payment.order_id, for_update=True)
    locked = await payments_service.get_payment(session, payment.id, for_update=True)
    if order is None or locked is None:
        return "unknown_order"
    before = locked.status
    if before not in (PaymentAttemptStatus.PENDING, PaymentAttemptStatus.CANCELLED):
        return "already_applied"
    outcome = await settle_successful_payment(
        session, runtime, order, locked, confirmed_by=admin_id
    )
    if admin_id is None:
        return outcome.value
    await audit_service.record_admin_action(
        session,
        actor_id=admin_id,
        action="payment.confirm_from_statement",
        target_type="payment",
        target_id=locked.id,
        before={"status": before.value},
        after={
            "status": locked.status.value,
            "order_status": order.status.value,
            "outcome": outcome.value,
            "statement_line": statement_line,
        },
    )
    return outcome.value
