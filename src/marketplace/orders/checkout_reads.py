"""Everything a checkout reads before it writes, in one statement: the Idempotency-Key's lock
on PostgreSQL (taken, or held by a duplicate in flight), the key's stored response, the
shipping rate table's version and the ordered variants. Each was a statement of its own, and
each statement's round trip cost the worker more CPU than the database's work on it. On
PostgreSQL the same statement also inserts the order (its totals follow with a later
statement), unless the key is replayed or in flight or the order number is taken; and beside
it a bank transfer's first payment with a free transfer code, when the code's range does
not depend on the total (codes booked as income)."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Label,
    Select,
    bindparam,
    exists,
    false,
    func,
    null,
    select,
    true,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.selectable import CTE

from marketplace.catalog import stock
from marketplace.catalog.service import VariantForSale, variants_from_rows
from marketplace.db.pending_inserts import cast_table, column_values
from marketplace.db.session import select_mappings
from marketplace.orders import idempotency, repository
from marketplace.orders.idempotency import IdempotentRequest, StoredResponse
from marketplace.orders.models import IdempotencyRecord, Order
from marketplace.orders.repository import RatesVersion
from marketplace.payments import repository as payments_repository
from marketplace.payments.models import Payment
from marketplace.payments.transfer_codes import MAX_CODE


@dataclass(frozen=True)
class CheckoutReads:
    stored: StoredResponse | None  # what a replay answers (checked against the request)
    rates_version: RatesVersion
    variants: dict[uuid.UUID, VariantForSale]  # those of the asked ones that exist
    order_written: bool  # the order went in (PostgreSQL, its number free, nothing stored)
    payment_written: bool  # the payment went in beside it
    taken_code: int | None  # the transfer code taken for it (none: another took it first)


async def read(
    session: AsyncSession,
    request: IdempotentRequest,
    variant_ids: list[uuid.UUID],
    order: Order,
    payment: Payment | None,
) -> CheckoutReads:
    """409 when a duplicate is in flight, 422 when the key was used for another body.
    ``payment``: the order's first transfer attempt, written beside it on PostgreSQL.

    The stored response is read in the same snapshot as the lock is taken, so a duplicate
    that commits in between goes unseen here; its record then clashes with this request's
    when written, which ``idempotency.is_key_taken`` tells apart (the checkout answers 409).
    """
    dialect = session.get_bind().dialect.name
    parameters: dict[str, Any] = {
        **idempotency.key_parameters(request),
        **{f"variant_{number}": variant_id for number, variant_id in enumerate(variant_ids)},
    }
    with_payment = payment is not None and dialect == "postgresql"
    if dialect == "postgresql":
        parameters["lock_id"] = request.lock_id
        parameters.update({f"order_{k}": value for k, value in column_values(order).items()})
    if payment is not None and with_payment:
        parameters.update({f"payment_{k}": value for k, value in column_values(payment).items()})
        parameters["code_taken_at"] = payment.created_at
    statement = _statement(dialect, len(variant_ids), with_payment)
    rows = await select_mappings(session, statement, parameters)
    head = rows[0]
    stored = idempotency.checked(
        request, bool(head["locked"]), idempotency.stored_response_of(head)
    )
    return CheckoutReads(
        stored=stored,
        rates_version=repository.rates_version_of(head),
        variants=variants_from_rows([row for row in rows if row["id"] is not None]),
        order_written=bool(head["order_written"]),
        payment_written=with_payment and bool(head["order_written"]),
        taken_code=head["taken_code"],
    )


@functools.lru_cache(maxsize=128)
def _statement(dialect: str, count: int, with_payment: bool) -> Select[Any]:
    """One row per variant found (at least one row), each with the lock, the rates' version
    and the stored response beside it; built once per dialect, number of variants and
    whether a payment goes in with the order."""
    postgres = dialect == "postgresql"
    locked = (repository.ADVISORY_LOCK if postgres else true()).label("locked")
    written, code = (
        _order_written(with_payment)
        if postgres
        else (false().label("order_written"), null().label("taken_code"))
    )
    versions = repository.RATES_VERSION.subquery("rates_version")
    head = select(locked, written, code, versions.c.rates, versions.c.newest_id).subquery("head")
    variants = stock.for_sale_statement(count).subquery("variants")
    record = cast_table(IdempotencyRecord)
    return select(
        head.c.locked,
        head.c.order_written,
        head.c.taken_code,
        head.c.rates,
        head.c.newest_id,
        *repository.STORED_RESPONSE_COLUMNS,
        *variants.c,
    ).select_from(
        head.outerjoin(record, repository.IDEMPOTENCY_KEY_MATCHES).outerjoin(variants, true())
    )


def _order_written(with_payment: bool) -> tuple[Label[int], Label[Any]]:
    """The order INSERTed (parameters ``order_<column>``) when the key's lock is taken, nothing
    is stored under the key and its number is free: 1 when it went in, else 0. A CTE, which
    PostgreSQL runs exactly once whether or not the rest of the statement reads it.
    ``with_payment``: its payment (``payment_<column>``) goes in with it, and a transfer code
    is taken for that payment: the code, or NULL when none was."""
    orders = cast_table(Order)
    record = cast_table(IdempotencyRecord)
    values = select(
        *(bindparam(f"order_{column.key}", type_=column.type) for column in orders.columns)
    ).where(
        repository.ADVISORY_LOCK,
        ~exists().where(repository.IDEMPOTENCY_KEY_MATCHES).select_from(record).correlate(None),
    )
    new_order = (
        postgresql.insert(orders)
        .from_select(list(orders.columns), values)
        .on_conflict_do_nothing(index_elements=[orders.c.number])
        .returning(orders.c.id)
        .cte("new_order")
    )
    written = select(func.count()).select_from(new_order).scalar_subquery().label("order_written")
    if not with_payment:
        return written, null().label("taken_code")
    new_code = payments_repository.take_code_for_new_payment(_payment_beside(new_order), MAX_CODE)
    return written, select(new_code.c.code).scalar_subquery().label("taken_code")


def _payment_beside(new_order: CTE) -> CTE:
    """The payment (``payment_<column>``) INSERTed when ``new_order`` inserts its order."""
    payments = cast_table(Payment)
    values = select(
        *(bindparam(f"payment_{column.key}", type_=column.type) for column in payments.columns)
    ).where(exists(select(new_order.c.id)))
    return (
        postgresql.insert(payments)
        .from_select(list(payments.columns), values)
        .returning(payments.c.id)
        .cte("new_payment")
    )
