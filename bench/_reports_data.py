"""Orders for bench/reports.py, generated inside PostgreSQL (generate_series, no ORM, foreign
key triggers off and secondary indexes dropped while loading, then built again): sellers of
three kinds in the seven regencies, five products each in twelve categories, and ``orders``
orders over two years ending yesterday, drawn once into a temporary table (seeded, so every run
makes the same data) and copied from it into orders, seller-orders, lines, payments and refunds.

The spread is skewed like a real marketplace: a few sellers take most orders (the busiest about
4 %), a few buyers buy often (repeat buyers), sales grow over the two years, one or two lines
per order, 15 % cash on delivery (collected when the order completes), 12 % shipped outside the
province, 2.5 % cancelled and refunded a day after payment, 2 % partly refunded (Rp 10.000)
three days after. Ids are md5 of a name and a number, so the statements join without lookups."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

REGIONS = "ARRAY['19.01','19.02','19.03','19.04','19.05','19.06','19.71']"
KINDS = "ARRAY['community_group','umkm','cooperative']"
PRODUCTS_PER_SELLER = 5
CATEGORIES = 12
SPAN_SECONDS = 730 * 86_400
LOADED_TABLES = ("orders", "seller_orders", "order_items", "payments", "refunds")


def _price(product: str) -> str:
    return f"(10000 + ({product} % 50) * 5000)"


def _catalog(sellers: int) -> list[str]:
    products = sellers * PRODUCTS_PER_SELLER
    owner = f"md5('seller' || (1 + (p - 1) / {PRODUCTS_PER_SELLER}))::uuid"
    return [
        f"""INSERT INTO categories (id, slug, name, created_at, updated_at)
SELECT md5('category' || c)::uuid, 'kategori-' || c, 'Kategori ' || c, now(), now()
FROM generate_series(1, {CATEGORIES}) c""",
        f"""INSERT INTO sellers (id, slug, name, kind, region_code, status, created_at, updated_at)
SELECT md5('seller' || s)::uuid, 'penjual-' || s, 'Penjual ' || s, ({KINDS})[1 + s % 3],
       ({REGIONS})[1 + s % 7], 'verified', now() - (s % 700) * interval '1 day', now()
FROM generate_series(1, {sellers}) s""",
        f"""INSERT INTO products (id, seller_id, slug, title, description, category_id, region_code,
                      status, min_price, published_at, created_at, updated_at)
SELECT md5('product' || p)::uuid, {owner}, 'produk-' || p, 'Produk ' || p, '',
       md5('category' || (1 + (p * 7) % {CATEGORIES}))::uuid,
       ({REGIONS})[1 + ((1 + (p - 1) / {PRODUCTS_PER_SELLER}) % 7)], 'published',
       {_price("p")}, now() - (p % 700) * interval '1 day', now(), now()
FROM generate_series(1, {products}) p""",
        f"""INSERT INTO product_variants (id, product_id, seller_id, name, price, stock,
                              weight_grams, position, created_at, updated_at)
SELECT md5('variant' || p)::uuid, md5('product' || p)::uuid, {owner}, '1 pcs', {_price("p")},
       1000, 250, 0, now(), now()
FROM generate_series(1, {products}) p""",
    ]


def _draws(orders: int, sellers: int, buyers: int) -> list[str]:
    """One row per order with everything random about it."""
    start = f"(now() - interval '{SPAN_SECONDS} seconds' - interval '1 day')"
    return [
        "SELECT setseed(0.16)",
        f"""CREATE TEMPORARY TABLE bench_orders ON COMMIT DROP AS
SELECT o, seller, buyer, paid, quantity, two_lines, cod, outside, cancelled, refunded,
       (seller - 1) * {PRODUCTS_PER_SELLER} + 1 + first_pick AS first_product,
       (seller - 1) * {PRODUCTS_PER_SELLER} + 1 + (first_pick + 1) % {PRODUCTS_PER_SELLER}
         AS second_product
FROM (
  SELECT o,
         1 + floor({sellers} * power(random(), 2))::int AS seller,
         floor({buyers} * power(random(), 1.6))::int AS buyer,
         {start} + sqrt(random()) * {SPAN_SECONDS} * interval '1 second' AS paid,
         1 + floor(random() * 3)::int AS quantity,
         random() < 0.33 AS two_lines,
         random() < 0.15 AS cod,
         random() < 0.12 AS outside,
         floor(random() * {PRODUCTS_PER_SELLER})::int AS first_pick,
         random() AS fate
  FROM generate_series(1, {orders}) o
) drawn
CROSS JOIN LATERAL (SELECT fate < 0.025 AS cancelled, fate >= 0.025 AND fate < 0.045 AS refunded)
  fates""",
        """ALTER TABLE bench_orders ADD COLUMN goods bigint""",
        f"""UPDATE bench_orders SET goods = quantity * {_price("first_product")}
       + CASE WHEN two_lines THEN {_price("second_product")} ELSE 0 END""",
    ]


def _orders() -> list[str]:
    email = "'pembeli' || buyer || '@contoh.id'"
    return [
        f"""INSERT INTO orders (id, number, buyer_name, buyer_email, buyer_email_lower,
    buyer_phone, language, recipient, recipient_phone, street, village, district, city, province,
    postal_code, destination_region_code, payment_method, shipping_method, status,
    payment_status, subtotal, shipping_total, total, paid_at, created_at, updated_at)
SELECT md5('order' || o)::uuid, 'B' || o, 'Pembeli', {email}, {email}, '081234567890', 'id',
       'Pembeli', '081234567890', 'Jl. Merdeka 1', 'Desa', 'Kecamatan', 'Kota', 'Provinsi',
       '33121', CASE WHEN outside THEN NULL ELSE ({REGIONS})[1 + o % 7] END,
       CASE WHEN cod THEN 'cod' ELSE 'bank_transfer' END, 'courier', 'completed', 'paid',
       goods, 15000, goods + 15000, paid, paid - interval '1 hour', paid
FROM bench_orders""",
        """INSERT INTO seller_orders (id, order_id, seller_id, status, subtotal, shipping,
    weight_grams, cod_collected_at, cancelled_at, created_at, updated_at)
SELECT md5('so' || o)::uuid, md5('order' || o)::uuid, md5('seller' || seller)::uuid,
       CASE WHEN cancelled THEN 'cancelled' ELSE 'delivered' END, goods, 15000, 500,
       CASE WHEN cod THEN paid END, CASE WHEN cancelled THEN paid + interval '1 day' END,
       paid - interval '1 hour', paid
FROM bench_orders""",
        f"""INSERT INTO order_items (id, order_id, seller_order_id, variant_id, product_id, title,
    quantity, unit_price, line_total, weight_grams, position)
SELECT md5('item' || o || '-' || line)::uuid, md5('order' || o)::uuid, md5('so' || o)::uuid,
       md5('variant' || product)::uuid, md5('product' || product)::uuid, 'Produk ' || product,
       quantity, {_price("product")}, quantity * {_price("product")}, 250, line
FROM (
  SELECT o, 1 AS line, first_product AS product, quantity FROM bench_orders
  UNION ALL
  SELECT o, 2, second_product, 1 FROM bench_orders WHERE two_lines
) lines""",
        """INSERT INTO payments (id, order_id, method, status, amount, paid_at, refunded_amount,
                      created_at, updated_at)
SELECT md5('payment' || o)::uuid, md5('order' || o)::uuid, 'bank_transfer',
       'partially_refunded', goods + 15000, paid, 10000, paid, paid
FROM bench_orders WHERE refunded AND NOT cod""",
        """INSERT INTO refunds (id, payment_id, seller_order_id, amount, status, created_at)
SELECT md5('refund' || o)::uuid, md5('payment' || o)::uuid, md5('so' || o)::uuid, 10000,
       'manual', paid + interval '3 days'
FROM bench_orders WHERE refunded AND NOT cod""",
    ]


async def _drop_secondary_indexes(connection: AsyncConnection) -> list[str]:
    """Indexes that back no constraint on the loaded tables: dropped, their definitions
    returned (building them once after the load is several times faster than keeping them)."""
    rows = (
        await connection.execute(
            text("""
SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
FROM pg_index i
WHERE i.indrelid IN (SELECT CAST(t AS regclass) FROM unnest(CAST(:tables AS TEXT[])) t)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"""),
            {"tables": list(LOADED_TABLES)},
        )
    ).all()
    for name, _ in rows:
        await connection.execute(text(f"DROP INDEX {name}"))
    return [definition for _, definition in rows]


async def generate(connection: AsyncConnection, orders: int, sellers: int, buyers: int) -> None:
    await connection.execute(text("SET session_replication_role = replica"))
    await connection.execute(text("SET maintenance_work_mem = '256MB'"))
    for statement in _catalog(sellers):
        await connection.execute(text(statement))
    for statement in _draws(orders, sellers, buyers):
        await connection.execute(text(statement))
    indexes = await _drop_secondary_indexes(connection)
    for statement in _orders():
        await connection.execute(text(statement))
    for definition in indexes:
        await connection.execute(text(definition))
    await connection.execute(text("SET session_replication_role = DEFAULT"))
    for table in ("sellers", "products", "orders", "seller_orders", "order_items", "refunds"):
        await connection.execute(text(f"ANALYZE {table}"))
