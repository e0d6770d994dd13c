"""The admin desk at scale: how fast each desk query answers over a million orders, beside a
plain baseline measured in the same run on the same database.

A fresh PostgreSQL database is built by the migrations, then filled in SQL (generate_series,
not the ORM: a million orders with their seller-orders and payments load in about a minute)
with 200 sellers and ``--orders`` orders over a year: most completed, some processing,
pending (awaiting a transfer or QRIS) or cancelled; bank transfer, cash, card and QRIS; about
five orders per buyer e-mail and phone; tracking numbers on shipped ones. Then each desk
query runs ``--repeat`` times through the app's own services (the SQL the repository sends and
the shaping into the full order), and the plain baseline, a primary-key read of one order, runs
as often beside it. Median and 95th percentile in milliseconds, for the SQL alone (what the
indexes decide) and for the whole answer (20 orders in the full shape: three more queries and
the JSON models); figures are reported against the target (a few milliseconds for the SQL),
never asserted.

    .venv/bin/python bench/admin_desk.py [--orders 1000000] [--repeat 30]
                                         [--database bench_admin_desk] [--keep]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _catalog_data import create_postgres_database, drop_postgres_database  # noqa: E402
from sqlalchemy import event, text  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine  # noqa: E402

from marketplace import migrations  # noqa: E402
from marketplace.core.pagination import CursorCodec  # noqa: E402
from marketplace.db.session import async_database_url, create_sessionmaker  # noqa: E402
from marketplace.desk import service as desk_service  # noqa: E402
from marketplace.orders import desk as orders_desk  # noqa: E402
from marketplace.orders import repository as orders_repository  # noqa: E402
from marketplace.orders.models import OrderStatus
from marketplace.orders.repository import OrderFilters  # noqa: E402
from marketplace.payments import repository as payments_repository  # noqa: E402
from marketplace.payments.models import (
    PaymentAttemptStatus,  # noqa: E402
    PaymentMethod,
)

POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
SELLERS = 200
BUYERS_PER_ORDER = 5  # each buyer e-mail / phone has about this many orders
TARGET_MS = 5.0
PUBLIC_URL = "http://127.0.0.1:8000"  # where the answers' links point (not requested)

SEED_SELLERS = """
INSERT INTO sellers (id, slug, name, kind, region_code, whatsapp, status, created_at, updated_at)
SELECT gen_random_uuid(), 'bench-' || g, 'KIM Bench ' || g, 'community_group', '19.71',
       '+62812' || lpad(g::text, 7, '0'), 'verified', now(), now()
FROM generate_series(1, :sellers) AS g
"""

# One row per order; "kind" (g % 100) decides status and method, so every mix is reproducible.
SEED_ORDERS = """
INSERT INTO orders (
  id, number, buyer_name, buyer_email, buyer_email_lower, buyer_phone, language, recipient,
  recipient_phone, street, village, district, city, province, postal_code,
  destination_region_code, payment_method, shipping_method, status, payment_status,
  subtotal, shipping_total, total, created_at, updated_at, expires_at, paid_at)
SELECT
  ('00000000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid,
  'BB' || to_char(created, 'YYMMDD') || '-' ||
    chr(65 + (g / 11881376) % 26) || chr(65 + (g / 456976) % 26) || chr(65 + (g / 17576) % 26) ||
    chr(65 + (g / 676) % 26) || chr(65 + (g / 26) % 26) || chr(65 + g % 26),
  'Pembeli ' || (g / :per_buyer),
  'Pembeli.' || (g / :per_buyer) || '@contoh.id',
  'pembeli.' || (g / :per_buyer) || '@contoh.id',
  '+62813' || lpad((g / :per_buyer)::text, 8, '0'),
  'id', 'Penerima', '+6281300000000', 'Jl. Sudirman 5', 'Batin Tikal', 'Taman Sari',
  'Kota Pangkalpinang', 'Kepulauan Bangka Belitung', '33111', '19.71',
  CASE WHEN g % 100 < 55 THEN 'bank_transfer' WHEN g % 100 < 80 THEN 'cod'
       WHEN g % 100 < 95 THEN 'stripe' ELSE 'qris' END,
  'courier',
  CASE WHEN g % 97 = 0 THEN 'pending' WHEN g % 89 = 0 THEN 'cancelled'
       WHEN g % 13 = 0 THEN 'processing' ELSE 'completed' END,
  CASE WHEN g % 97 = 0 OR g % 89 = 0 THEN 'unpaid' ELSE 'paid' END,
  55000 * (1 + g % 4), 12000, 55000 * (1 + g % 4) + 12000,
  created, created,
  CASE WHEN g % 97 = 0 THEN created + interval '1 day' END,
  CASE WHEN g % 97 <> 0 AND g % 89 <> 0 THEN created + interval '2 hours' END
FROM (
  SELECT g, timestamptz '2026-12-01 00:00:00+00' - (g * interval '31 seconds') AS created
  FROM generate_series(1, :orders) AS g
) AS numbered
"""

SEED_SELLER_ORDERS = """
INSERT INTO seller_orders (
  id, order_id, seller_id, status, subtotal, shipping, weight_grams, courier, tracking_number,
  shipped_at, delivered_at, created_at, updated_at)
SELECT gen_random_uuid(), o.id, s.id,
  CASE o.status WHEN 'pending' THEN 'pending' WHEN 'cancelled' THEN 'cancelled'
                WHEN 'processing' THEN 'to_ship' ELSE 'delivered' END,
  o.subtotal, o.shipping_total, 300,
  CASE WHEN o.status = 'completed' THEN 'JNE' END,
  CASE WHEN o.status = 'completed' THEN 'JNE' || lpad(o.rank::text, 10, '0') END,
  CASE WHEN o.status = 'completed' THEN o.created_at + interval '1 day' END,
  CASE WHEN o.status = 'completed' THEN o.created_at + interval '3 days' END,
  o.created_at, o.created_at
FROM (SELECT orders.*, row_number() OVER () AS rank FROM orders) AS o
JOIN (SELECT id, row_number() OVER (ORDER BY slug) - 1 AS position FROM sellers) AS s
  ON s.position = o.rank % :sellers
"""

SEED_PAYMENTS = """
INSERT INTO payments (
  id, order_id, method, status, amount, reference, unique_code, refunded_amount,
  created_at, updated_at, paid_at)
SELECT gen_random_uuid(), o.id, o.payment_method,
  CASE WHEN o.status = 'pending' THEN 'pending' WHEN o.status = 'cancelled' THEN 'cancelled'
       ELSE 'paid' END,
  o.total + CASE WHEN o.payment_method IN ('bank_transfer', 'qris')
                 THEN 1 + (('x' || substr(md5(o.number), 1, 4))::bit(16)::int % 999) ELSE 0 END,
  o.number,
  CASE WHEN o.payment_method IN ('bank_transfer', 'qris')
       THEN 1 + (('x' || substr(md5(o.number), 1, 4))::bit(16)::int % 999) END,
  0, o.created_at, o.created_at, o.paid_at
FROM orders AS o
"""


def say(message: str) -> None:
    print(message, flush=True)  # noqa: T201


async def seed(url: str, orders: int) -> None:
    engine = create_async_engine(async_database_url(url))
    try:
        async with engine.begin() as connection:
            for label, statement, params in [
                ("sellers", SEED_SELLERS, {"sellers": SELLERS}),
                ("orders", SEED_ORDERS, {"orders": orders, "per_buyer": BUYERS_PER_ORDER}),
                ("seller orders", SEED_SELLER_ORDERS, {"sellers": SELLERS}),
                ("payments", SEED_PAYMENTS, {}),
            ]:
                started = time.perf_counter()
                await connection.execute(text(statement), params)
                say(f"  seeded {label} in {time.perf_counter() - started:.1f} s")
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("VACUUM ANALYZE"))
    finally:
        await engine.dispose()


Query = Callable[[AsyncSession], Awaitable[Any]]


async def samples(session: AsyncSession, query: Query, repeat: int) -> list[float]:
    await query(session)  # warm the plan and the pages once
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        await query(session)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


async def probe(session: AsyncSession, orders: int) -> dict[str, Any]:
    """Identifiers of real rows to look for: a number, an e-mail, a phone, a tracking number."""
    middle = orders // 2
    row = (
        await session.execute(
            text(
                "SELECT o.number, o.buyer_email, o.buyer_phone, o.id, s.seller_id "
                "FROM orders o JOIN seller_orders s ON s.order_id = o.id "
                "WHERE o.id = :id"
            ),
            {"id": uuid.UUID(f"00000000-0000-7000-8000-{middle:012x}")},
        )
    ).one()
    tracking = (
        await session.execute(
            text(
                "SELECT tracking_number FROM seller_orders WHERE tracking_number IS NOT NULL "
                "ORDER BY created_at DESC OFFSET :skip LIMIT 1"
            ),
            {"skip": orders // 3},
        )
    ).scalar_one()
    return {
        "number": row.number,
        "email": row.buyer_email.upper(),
        "phone": "0" + row.buyer_phone.removeprefix("+62"),
        "id": row.id,
        "seller": row.seller_id,
        "tracking": tracking,
    }


def desk_queries(found: dict[str, Any]) -> list[tuple[str, Query, Query]]:
    """(label, the SQL the repository sends, the whole service answer in the full shape)."""
    codec = CursorCodec("bench", purpose="admin-orders")
    payments_codec = CursorCodec("bench", purpose="admin-payments")
    month_ago = datetime(2026, 11, 1, tzinfo=UTC)

    def orders_with(label: str, **filters: Any) -> tuple[str, Query, Query]:
        chosen = OrderFilters(**filters)
        return (
            label,
            lambda s: orders_repository.search_orders(s, chosen, None, 21),
            lambda s: orders_desk.search_page(s, codec, chosen, 20, None, PUBLIC_URL),
        )

    pending = OrderFilters(status=OrderStatus.PENDING)

    async def second_page_sql(session: AsyncSession) -> Any:
        first = await orders_repository.search_orders(session, pending, None, 21)
        after = (first[19].created_at, first[19].id)
        return await orders_repository.search_orders(session, pending, after, 21)

    async def second_page(session: AsyncSession) -> Any:
        first = await orders_desk.search_page(session, codec, pending, 20, None, PUBLIC_URL)
        return await orders_desk.search_page(
            session, codec, pending, 20, first.next_cursor, PUBLIC_URL
        )

    def payments(label: str, status: PaymentAttemptStatus | None) -> tuple[str, Query, Query]:
        return (
            label,
            lambda s: payments_repository.search_payments(
                s, status=status, method=None, after=None, limit=21
            ),
            lambda s: desk_service.payments_page(s, payments_codec, status, None, 20, None),
        )

    return [
        orders_with("q = order number", q=found["number"].lower()),
        orders_with("q = buyer e-mail (other case)", q=found["email"]),
        orders_with("q = buyer phone (08...)", q=found["phone"]),
        orders_with("q = tracking number", q=found["tracking"]),
        orders_with("newest 20, no filter"),
        orders_with("status=pending", status=OrderStatus.PENDING),
        ("status=pending, 2nd page", second_page_sql, second_page),
        orders_with("payment_method=qris", payment_method=PaymentMethod.QRIS),
        orders_with("seller=one of 200", seller_id=found["seller"]),
        orders_with(
            "created since 1 Nov + cod", created_from=month_ago, payment_method=PaymentMethod.COD
        ),
        (
            "/admin/orders/{number}",
            lambda s: orders_repository.get_order_by_number(s, found["number"]),
            lambda s: orders_desk.find_order(s, found["number"], PUBLIC_URL),
        ),
        payments("/admin/payments (pending first)", None),
        payments("/admin/payments status=paid", PaymentAttemptStatus.PAID),
    ]


async def measure(url: str, orders: int, repeat: int) -> None:
    engine = create_async_engine(async_database_url(url))
    sessionmaker = create_sessionmaker(engine)
    try:
        async with sessionmaker() as session:
            found = await probe(session, orders)
            baseline_sql = text("SELECT * FROM orders WHERE id = :id")

            async def baseline(s: AsyncSession) -> Any:
                return (await s.execute(baseline_sql, {"id": found["id"]})).one()

            say(
                f"\n{'query (median / p95, ms)':<34} {'SQL':>15} {'full answer':>15} "
                f"{'baseline':>9}"
            )
            plans = []
            for label, sql, full in desk_queries(found):
                sql_times = await samples(session, sql, repeat)
                full_times = await samples(session, full, repeat)
                base = await samples(session, baseline, repeat)
                mark = "ok" if statistics.median(sql_times) <= TARGET_MS else "over target"
                say(
                    f"{label:<34} {_pair(sql_times):>15} {_pair(full_times):>15} "
                    f"{statistics.median(base):>7.2f}ms  {mark}"
                )
                plans.append((label, await server_side(session, engine, sql)))
                await session.rollback()
            say("\nOn the server (EXPLAIN ANALYZE of the SQL above): execution ms, indexes used")
            for label, (milliseconds, indexes) in plans:
                say(f"{label:<34} {milliseconds:>8.3f}ms  {', '.join(indexes) or 'none'}")
    finally:
        await engine.dispose()


async def server_side(
    session: AsyncSession, engine: AsyncEngine, query: Query
) -> tuple[float, list[str]]:
    """The database's own execution time of the statements ``query`` sends, and the indexes
    its plans use (Python, the driver and a busy machine left out)."""
    sent: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        await query(session)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    total, indexes = 0.0, []
    connection = await session.connection()
    for statement, parameters in sent:
        result = await connection.exec_driver_sql(
            "EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters
        )
        plan = result.scalar_one()
        plan = json.loads(plan) if isinstance(plan, str) else plan
        total += float(plan[0]["Execution Time"])
        indexes += _index_names(plan[0]["Plan"])
    return total, sorted(set(indexes))


def _index_names(node: dict[str, Any]) -> list[str]:
    names = [node["Index Name"]] if "Index Name" in node else []
    for child in node.get("Plans", []):
        names += _index_names(child)
    return names


def _pair(timings: list[float]) -> str:
    return f"{statistics.median(timings):.2f} / {_p95(timings):.2f}"


def _p95(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database", default="bench_admin_desk")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    arguments = parser.parse_args()
    url = f"{POSTGRES_SERVER}/{arguments.database}"
    asyncio.run(create_postgres_database(POSTGRES_SERVER, arguments.database))
    try:
        say(f"admin desk over {arguments.orders:,} orders on PostgreSQL ({arguments.database})")
        started = time.perf_counter()
        migrations.upgrade(url)
        asyncio.run(seed(url, arguments.orders))
        say(
            f"  built in {time.perf_counter() - started:.1f} s; target: each query under "
            f"{TARGET_MS:g} ms"
        )
        asyncio.run(measure(url, arguments.orders, arguments.repeat))
    finally:
        if not arguments.keep:
            asyncio.run(drop_postgres_database(POSTGRES_SERVER, arguments.database))


if __name__ == "__main__":
    main()
