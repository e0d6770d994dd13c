"""Everything a checkout reads before it writes, in one statement: the Idempotency-Key's lock
on PostgreSQL (taken, or held by a duplicate in flight), the key's stored response, the
shipping rate table's version and the ordered variants. Each was a statement of its own, and
each statement's round trip cost the worker more CPU than the database's work on it. On
PostgreSQL the same statement also inserts the order (its totals follow with a later
statement), unless the key is replayed or in flight or the order number is taken."""

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
    select,
    true,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.catalog import stock
from marketplace.catalog.service import VariantForSale, variants_from_rows
from marketplace.db.pending_inserts import cast_table, column_values
from marketplace.db.session import select_mappings
from marketplace.orders import idempotency, repository
from marketplace.orders.idempotency import IdempotentRequest, StoredResponse
from marketplace.orders.models import IdempotencyRecord, Order
from marketplace.orders.repository import RatesVersion


@dataclass(frozen=True)
class CheckoutReads:
    stored: StoredResponse | None  # what a replay answers (checked against the request)
    rates_version: RatesVersion
    variants: dict[uuid.UUID, VariantForSale]  # those of the asked ones that exist
    order_written: bool  # the order went in (PostgreSQL, its number free, nothing stored)


async def read(
    session: AsyncSession, request: IdempotentRequest, variant_ids: list[uuid.UUID], order: Order
) -> CheckoutReads:
    """409 when a duplicate is in flight, 422 when the key was used for another body.

    The stored response is read in the same snapshot as the lock is taken, so a duplicate
    that commits in between goes unseen here; its record then clashes with this request's
    when written, which ``idempotency.is_key_taken`` tells apart (the checkout answers 409).
    """
    dialect = session.get_bind().dialect.name
    parameters: dict[str, Any] = {
        **idempotency.key_parameters(request),
        **{f"variant_{number}": variant_id for number, variant_id in enumerate(variant_ids)},
    }
    if dialect == "postgresql":
        parameters["lock_id"] = request.lock_id
        parameters.update({f"order_{k}": value for k, value in column_values(order).items()})
    rows = await select_mappings(session, _statement(dialect, len(variant_ids)), parameters)
    head = rows[0]
    stored = idempotency.checked(
        request, bool(head["locked"]), idempotency.stored_response_of(head)
    )
    return CheckoutReads(
        stored=stored,
        rates_version=repository.rates_version_of(head),
        variants=variants_from_rows([row for row in rows if row["id"] is not None]),
        order_written=bool(head["order_written"]),
    )


@functools.lru_cache(maxsize=64)
def _statement(dialect: str, count: int) -> Select[Any]:
    """One row per variant found (at least one row), each with the lock, the rates' version
    and the stored response beside it; built once per dialect and number of variants."""
    postgres = dialect == "postgresql"
    locked = (repository.ADVISORY_LOCK if postgres else true()).label("locked")
    written = _order_written() if postgres else false().label("order_written")
    versions = repository.RATES_VERSION.subquery("rates_version")
    head = select(locked, written, versions.c.rates, versions.c.newest_id).subquery("head")
    variants = stock.for_sale_statement(count).subquery("variants")
    record = cast_table(IdempotencyRecord)
    return select(
        head.c.locked,
        head.c.order_written,
        head.c.rates,
        head.c.newest_id,
        *repository.STORED_RESPONSE_COLUMNS,
        *variants.c,
    ).select_from(
        head.outerjoin(record, repository.IDEMPOTENCY_KEY_MATCHES).outerjoin(variants, true())
    )


def _order_written() -> Label[int]:
    """The order INSERTed (parameters ``order_<column>``) when the key's lock is taken, nothing
    is stored under the key and its number is free: 1 when it went in, else 0. A CTE, which
    PostgreSQL runs exactly once whether or not the rest of the statement reads it."""
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
    return select(func.count()).select_from(new_order).scalar_subquery().label("order_written")
