"""The escrow migration brings existing ledgers under the new rules: entries of delivered
seller-orders settle (their money becomes available), cash-on-delivery credits of the old rule
are reversed with an explanatory entry and their commission charged from available; payouts
stay where they were. One step down restores the old ledger."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from marketplace import migrations
from marketplace.db.base import UTCDateTime
from marketplace.db.session import async_database_url
from tests.db.test_migrations import scratch_database_url  # noqa: F401  (fixture)

BEFORE_ESCROW = "5b1f0c2d7a90"
ESCROW = "eeef2ce094ea"
NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)


def _table(table_name: str, **columns: Any) -> sa.TableClause:
    return sa.table(table_name, *(sa.column(column, kind) for column, kind in columns.items()))


SELLERS = _table(
    "sellers",
    id=sa.Uuid(),
    slug=sa.String(),
    name=sa.String(),
    kind=sa.String(),
    region_code=sa.String(),
    status=sa.String(),
)
ORDERS = _table(
    "orders",
    id=sa.Uuid(),
    number=sa.String(),
    buyer_name=sa.String(),
    buyer_email=sa.String(),
    buyer_phone=sa.String(),
    language=sa.String(),
    recipient=sa.String(),
    recipient_phone=sa.String(),
    street=sa.String(),
    village=sa.String(),
    district=sa.String(),
    city=sa.String(),
    province=sa.String(),
    postal_code=sa.String(),
    payment_method=sa.String(),
    shipping_method=sa.String(),
    status=sa.String(),
    payment_status=sa.String(),
    subtotal=sa.BigInteger(),
    shipping_total=sa.BigInteger(),
    total=sa.BigInteger(),
)
PARTS = _table(
    "seller_orders",
    id=sa.Uuid(),
    order_id=sa.Uuid(),
    seller_id=sa.Uuid(),
    status=sa.String(),
    subtotal=sa.BigInteger(),
    shipping=sa.BigInteger(),
    weight_grams=sa.Integer(),
    delivered_at=UTCDateTime(),
    cod_collected_at=UTCDateTime(),
)
LEDGER = _table(
    "ledger_entries",
    id=sa.Uuid(),
    seller_id=sa.Uuid(),
    seller_order_id=sa.Uuid(),
    kind=sa.String(),
    amount=sa.BigInteger(),
    reference=sa.String(),
    created_at=UTCDateTime(),
)


def _order(number: str, method: str, goods: int, shipping: int) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "number": number,
        "buyer_name": "Budi",
        "buyer_email": "b@contoh.id",
        "buyer_phone": "081234567890",
        "language": "id",
        "recipient": "Budi",
        "recipient_phone": "081234567890",
        "street": "Jl. Sudirman 5",
        "village": "Batin Tikal",
        "district": "Taman Sari",
        "city": "Pangkalpinang",
        "province": "Babel",
        "postal_code": "33121",
        "payment_method": method,
        "shipping_method": "courier",
        "status": "processing",
        "payment_status": "paid",
        "subtotal": goods,
        "shipping_total": shipping,
        "total": goods + shipping,
    }


async def _run(url: str, work: Any) -> Any:
    engine = create_async_engine(async_database_url(url))
    try:
        async with engine.begin() as connection:
            return await work(connection)
    finally:
        await engine.dispose()


async def _old_ledger(connection: Any) -> tuple[uuid.UUID, dict[str, uuid.UUID]]:
    seller = uuid.uuid4()
    await connection.execute(
        SELLERS.insert().values(
            id=seller,
            slug="kim-lada",
            name="KIM Lada",
            kind="community_group",
            region_code="19.05",
            status="verified",
        )
    )
    parts: dict[str, uuid.UUID] = {}
    for label, method, status, goods, shipping, commission in (
        ("delivered", "bank_transfer", "delivered", 110_000, 12_000, 5_500),
        ("shipped", "bank_transfer", "shipped", 50_000, 10_000, 2_500),
        ("cod", "cod", "delivered", 110_000, 12_000, 5_500),
    ):
        order = _order(f"BB-{label}", method, goods, shipping)
        await connection.execute(ORDERS.insert().values(**order))
        part = uuid.uuid4()
        parts[label] = part
        await connection.execute(
            PARTS.insert().values(
                id=part,
                order_id=order["id"],
                seller_id=seller,
                status=status,
                subtotal=goods,
                shipping=shipping,
                weight_grams=500,
                delivered_at=NOW if status == "delivered" else None,
                cod_collected_at=None,
            )
        )
        for kind, amount in (("sale", goods + shipping), ("commission", -commission)):
            await connection.execute(
                LEDGER.insert().values(
                    id=uuid.uuid4(),
                    seller_id=seller,
                    seller_order_id=part,
                    kind=kind,
                    amount=amount,
                    reference=order["number"],
                    created_at=NOW,
                )
            )
    await connection.execute(
        LEDGER.insert().values(
            id=uuid.uuid4(),
            seller_id=seller,
            seller_order_id=None,
            kind="payout",
            amount=-100_000,
            reference="TRF-1",
            created_at=NOW,
        )
    )
    return seller, parts


async def test_existing_ledgers_settle_delivered_orders_and_reverse_old_cod_credits(
    scratch_database_url: str,  # noqa: F811
) -> None:
    # given a ledger written by the old rules: a delivered and a shipped transfer order, a
    # delivered cash-on-delivery order credited in full, and a payout of Rp 100.000
    url = scratch_database_url
    await asyncio.to_thread(migrations.upgrade, url, BEFORE_ESCROW)
    seller, parts = await _run(url, _old_ledger)

    # when the escrow migration runs
    await asyncio.to_thread(migrations.upgrade, url, ESCROW)

    # then the delivered order's money is available, the shipped one's held, the cash credit
    # reversed (with its reason) and its commission owed from available
    async def read(connection: Any) -> dict[str, Any]:
        buckets = dict(
            (
                await connection.execute(
                    sa.text(
                        "SELECT bucket, SUM(amount) FROM ledger_entries WHERE seller_id = :s "
                        "GROUP BY bucket"
                    ),
                    {"s": seller.hex if connection.dialect.name == "sqlite" else seller},
                )
            ).all()
        )
        kinds = sorted(
            (row[0], int(row[1]))
            for row in (
                await connection.execute(sa.text("SELECT kind, amount FROM ledger_entries"))
            ).all()
        )
        notes = list(
            (
                await connection.execute(
                    sa.text("SELECT note FROM ledger_entries WHERE kind = 'cod_reversal'")
                )
            ).scalars()
        )
        settled = (
            await connection.execute(sa.text("SELECT COUNT(*) FROM seller_order_settlements"))
        ).scalar_one()
        collected = (
            await connection.execute(
                sa.text("SELECT COUNT(*) FROM seller_orders WHERE cod_collected_at IS NOT NULL")
            )
        ).scalar_one()
        return {
            "buckets": buckets,
            "kinds": kinds,
            "notes": notes,
            "settled": settled,
            "collected": collected,
        }

    after = await _run(url, read)
    assert {bucket: int(total) for bucket, total in after["buckets"].items()} == {
        "pending": 57_500,
        "available": 116_500 - 5_500 - 100_000,
    }
    assert ("cod_reversal", -116_500) in after["kinds"]
    assert ("cod_commission", -5_500) in after["kinds"]
    assert ("settlement", 116_500) in after["kinds"]
    assert "Cash on delivery" in after["notes"][0]
    assert (after["settled"], after["collected"]) == (2, 1)

    # and one step down restores the old ledger's entries and total
    await asyncio.to_thread(migrations.downgrade, url, BEFORE_ESCROW)

    async def old_total(connection: Any) -> int:
        return int(
            (
                await connection.execute(sa.text("SELECT SUM(amount) FROM ledger_entries"))
            ).scalar_one()
        )

    assert await _run(url, old_total) == 116_500 + 57_500 + 116_500 - 100_000
    assert parts
