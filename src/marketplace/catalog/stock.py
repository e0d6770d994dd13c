"""Stock of variants: what an order line needs to know about each, and the conditional
updates that take and give back units (never read-then-write)."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Integer,
    RowMapping,
    Select,
    Update,
    bindparam,
    case,
    literal,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.catalog.models import (
    Product,
    ProductVariant,
)
from marketplace.db.base import utcnow
from marketplace.db.pending_inserts import cast_table, execute_with_pending
from marketplace.db.session import select_mappings
from marketplace.sellers.models import Seller


async def variants_for_sale(
    session: AsyncSession, variant_ids: list[uuid.UUID]
) -> list[RowMapping]:
    """What an order line needs to know about each variant, in one query."""
    parameters = {f"variant_{number}": variant_id for number, variant_id in enumerate(variant_ids)}
    return await select_mappings(session, for_sale_statement(len(variant_ids)), parameters)


@functools.lru_cache(maxsize=64)
def for_sale_statement(count: int) -> Select[Any]:
    """Built once per number of variants, the ids bound at execution (``variant_0``...)."""
    variant_ids = [bindparam(f"variant_{n}", type_=ProductVariant.id.type) for n in range(count)]
    columns: list[Any] = [
        ProductVariant.id,
        ProductVariant.product_id,
        ProductVariant.seller_id,
        ProductVariant.name.label("variant_name"),
        ProductVariant.sku,
        ProductVariant.price,
        ProductVariant.weight_grams,
        Product.title,
        Product.max_quantity_per_order,
        Product.status.label("product_status"),
        Seller.status.label("seller_status"),
        Seller.name.label("seller_name"),
    ]
    return (
        select(*columns)
        .join(Product, Product.id == ProductVariant.product_id)
        .join(Seller, Seller.id == ProductVariant.seller_id)
        .where(ProductVariant.id.in_(variant_ids))
    )


async def take_stocks(session: AsyncSession, quantities: dict[uuid.UUID, int]) -> set[uuid.UUID]:
    """Take each variant's quantity where its units are there, all in one conditional update
    (never below zero); the variants taken. Rows are locked in id order first."""
    variant_ids = sorted(quantities)
    parameters: dict[str, object] = {"updated_at": utcnow()}
    for number, variant_id in enumerate(variant_ids):
        parameters[f"variant_{number}"] = variant_id
        parameters[f"quantity_{number}"] = quantities[variant_id]
    statement = _take_statement(session.get_bind().dialect.name, len(variant_ids))
    result = await execute_with_pending(session, statement, parameters)
    return set(result.scalars())


@functools.lru_cache(maxsize=64)
def _take_statement(dialect: str, count: int) -> Update:
    """The conditional update of ``count`` variants, built once per dialect and count (its
    values bound at execution: building it per order cost more CPU than running it); Core,
    so no ORM bulk-update work per order."""
    table = cast_table(ProductVariant)
    variant_ids = [bindparam(f"variant_{n}", type_=table.c.id.type) for n in range(count)]
    needed = case(
        *(
            (table.c.id == variant_id, bindparam(f"quantity_{n}", type_=Integer))
            for n, variant_id in enumerate(variant_ids)
        )
    )
    return (
        _in_id_order(dialect, variant_ids)
        .where(table.c.stock >= needed)
        .values(
            stock=table.c.stock - needed, updated_at=bindparam("updated_at", type_=DateTime(True))
        )
        .returning(table.c.id)
    )


async def return_stocks(session: AsyncSession, quantities: dict[uuid.UUID, int]) -> None:
    table = cast_table(ProductVariant)
    given_back = case(*((table.c.id == variant, count) for variant, count in quantities.items()))
    dialect = session.get_bind().dialect.name
    variant_ids = [literal(variant_id, table.c.id.type) for variant_id in sorted(quantities)]
    await session.execute(
        _in_id_order(dialect, variant_ids).values(
            stock=table.c.stock + given_back, updated_at=utcnow()
        )
    )


def _in_id_order(dialect: str, variant_ids: Sequence[ColumnElement[uuid.UUID]]) -> Update:
    """An UPDATE of these variants (ids in ascending order). On PostgreSQL a locking CTE takes
    their row locks in id order before the update touches any (an UPDATE alone locks in
    whatever order its plan reads), so two carts with the same variants in any order never
    deadlock; SQLite runs one writer at a time."""
    table = cast_table(ProductVariant)
    if dialect != "postgresql":
        return update(table).where(table.c.id.in_(variant_ids))
    locked = (
        select(table.c.id)
        .where(table.c.id.in_(variant_ids))
        .order_by(table.c.id)
        # NO KEY UPDATE, as the UPDATE itself would take: a plain FOR UPDATE would also wait
        # for the key-share locks other checkouts' order lines hold on these rows.
        .with_for_update(key_share=True)
        .cte("locked_variants")
        .prefix_with("MATERIALIZED")
    )
    return update(table).add_cte(locked).where(table.c.id.in_(select(locked.c.id)))


async def stock_levels(session: AsyncSession, variant_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    result = await session.execute(
        select(ProductVariant.id, ProductVariant.stock).where(ProductVariant.id.in_(variant_ids))
    )
    return {row.id: row.stock for row in result}
