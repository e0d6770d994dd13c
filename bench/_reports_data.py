"""Orders for bench/reports.py, generated inside PostgreSQL (generate_series, no ORM, foreign
key triggers off while loading): sellers of three kinds in the seven regencies, five products
each in twelve categories, and ``orders`` orders paid over two years ending yesterday, one
seller-order each with one or two lines; every tenth is cash on delivery (collected when paid),
every eighth ships outside the province, one in 37 is cancelled (refunded) a day after payment
and one in 53 gets a Rp 10.000 refund three days after. Ids are md5 of a name and a number, so
the statements join without lookups."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

REGIONS = "ARRAY['19.01','19.02','19.03','19.04','19.05','19.06','19.71']"
KINDS = "ARRAY['community_group','umkm','cooperative']"
PRODUCTS_PER_SELLER = 5
CATEGORIES = 12
SPAN_SECONDS = 730 * 86_400


def _statements(orders: int, sellers: int, buyers: int) -> list[str]:
    products = sellers * PRODUCTS_PER_SELLER
    start = f"(now() - interval '{SPAN_SECONDS} seconds' - interval '1 day')"
    paid = f"({start} + ((o::bigint * 104729) % {SPAN_SECONDS}) * interval '1 second')"
    seller = f"(1 + (o * 31) % {sellers})"
    first_product = f"(({seller} - 1) * {PRODUCTS_PER_SELLER} + 1 + o % {PRODUCTS_PER_SELLER})"
    second_product = (
        f"(({seller} - 1) * {PRODUCTS_PER_SELLER} + 1 + (o + 1) % {PRODUCTS_PER_SELLER})"
    )

    def price(product: str) -> str:
        return f"(10000 + ({product} % 50) * 5000)"

    quantity = "(1 + o % 3)"
    goods = (
        f"({quantity} * {price(first_product)} + CASE WHEN o % 3 = 0 "
        f"THEN {price(second_product)} ELSE 0 END)"
    )
    return [
        "SET session_replication_role = replica",
        f"""INSERT INTO categories (id, slug, name, created_at, updated_at)
SELECT md5('category' || c)::uuid, 'kategori-' || c, 'Kategori ' || c, now(), now()
FROM generate_series(1, {CATEGORIES}) c""",
        f"""INSERT INTO sellers (id, slug, name, kind, region_code, status, created_at, updated_at)
SELECT md5('seller' || s)::uuid, 'penjual-' || s, 'Penjual ' || s, ({KINDS})[1 + s % 3],
       ({REGIONS})[1 + s % 7], 'verified', now() - (s % 700) * interval '1 day', now()
FROM generate_series(1, {sellers}) s""",
        f"""INSERT INTO products (id, seller_id, slug, title, description, category_id, region_code,
                      status, min_price, published_at, created_at, updated_at)
SELECT md5('product' || p)::uuid,
       md5('seller' || (1 + (p - 1) / {PRODUCTS_PER_SELLER}))::uuid, 'produk-' || p,
       'Produk ' || p, '', md5('category' || (1 + p % {CATEGORIES}))::uuid,
       ({REGIONS})[1 + ((1 + (p - 1) / {PRODUCTS_PER_SELLER}) % 7)], 'published',
       {price("p")}, now() - (p % 700) * interval '1 day', now(), now()
FROM generate_series(1, {products}) p""",
        f"""INSERT INTO product_variants (id, product_id, seller_id, name, price, stock,
                              weight_grams, position, created_at, updated_at)
SELECT md5('variant' || p)::uuid, md5('product' || p)::uuid,
       md5('seller' || (1 + (p - 1) / {PRODUCTS_PER_SELLER}))::uuid, '1 pcs', {price("p")},
       1000, 250, 0, now(), now()
FROM generate_series(1, {products}) p""",
        f"""INSERT INTO orders (id, number, buyer_name, buyer_email, buyer_phone, language,
    recipient, recipient_phone, street, village, district, city, province, postal_code,
    destination_region_code, payment_method, shipping_method, status, payment_status,
    subtotal, shipping_total, total, paid_at, created_at, updated_at)
SELECT md5('order' || o)::uuid, 'B' || o, 'Pembeli', 'pembeli' || ((o::bigint * 7919) % {buyers})
       || '@contoh.id', '081234567890', 'id', 'Pembeli', '081234567890', 'Jl. Merdeka 1',
       'Desa', 'Kecamatan', 'Kota', 'Provinsi', '33121',
       CASE WHEN o % 8 = 0 THEN NULL ELSE ({REGIONS})[1 + o % 7] END,
       CASE WHEN o % 10 = 0 THEN 'cod' ELSE 'bank_transfer' END, 'courier', 'completed', 'paid',
       {goods}, 15000, {goods} + 15000, {paid}, {paid} - interval '1 hour', {paid}
FROM generate_series(1, {orders}) o""",
        f"""INSERT INTO seller_orders (id, order_id, seller_id, status, subtotal, shipping,
    weight_grams, cod_collected_at, cancelled_at, created_at, updated_at)
SELECT md5('so' || o)::uuid, md5('order' || o)::uuid, md5('seller' || {seller})::uuid,
       CASE WHEN o % 37 = 0 THEN 'cancelled' ELSE 'delivered' END, {goods}, 15000, 500,
       CASE WHEN o % 10 = 0 THEN {paid} END,
       CASE WHEN o % 37 = 0 THEN {paid} + interval '1 day' END,
       {paid} - interval '1 hour', {paid}
FROM generate_series(1, {orders}) o""",
        f"""INSERT INTO order_items (id, order_id, seller_order_id, variant_id, product_id, title,
    quantity, unit_price, line_total, weight_grams, position)
SELECT md5('item' || o || '-' || line)::uuid, md5('order' || o)::uuid, md5('so' || o)::uuid,
       md5('variant' || product)::uuid, md5('product' || product)::uuid, 'Produk ' || product,
       quantity, {price("product")}, quantity * {price("product")}, 250, line
FROM (
  SELECT o, 1 AS line, {first_product} AS product, {quantity} AS quantity
  FROM generate_series(1, {orders}) o
  UNION ALL
  SELECT o, 2, {second_product}, 1 FROM generate_series(3, {orders}, 3) o
) lines""",
        f"""INSERT INTO payments (id, order_id, method, status, amount, paid_at, refunded_amount,
                      created_at, updated_at)
SELECT md5('payment' || o)::uuid, md5('order' || o)::uuid, 'bank_transfer',
       'partially_refunded', {goods} + 15000, {paid}, 10000, {paid}, {paid}
FROM generate_series(53, {orders}, 53) o WHERE o % 37 <> 0""",
        f"""INSERT INTO refunds (id, payment_id, seller_order_id, amount, status, created_at)
SELECT md5('refund' || o)::uuid, md5('payment' || o)::uuid, md5('so' || o)::uuid, 10000,
       'manual', {paid} + interval '3 days'
FROM generate_series(53, {orders}, 53) o WHERE o % 37 <> 0""",
        "SET session_replication_role = DEFAULT",
    ]


async def generate(connection: AsyncConnection, orders: int, sellers: int, buyers: int) -> None:
    for statement in _statements(orders, sellers, buyers):
        await connection.execute(text(statement))
    for table in ("sellers", "products", "orders", "seller_orders", "order_items", "refunds"):
        await connection.execute(text(f"ANALYZE {table}"))
