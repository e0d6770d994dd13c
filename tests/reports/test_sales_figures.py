"""Every figure of the sales reports against values computed by hand, for a known set of
orders placed, paid, cancelled, refunded and delivered across three sellers, three regencies
and three months, with payments one second before and exactly at midnight WIB (the orders are
in `world.sell_first_quarter`)."""

from __future__ import annotations

from httpx import AsyncClient

from tests.reports.world import (
    World,
    figures,
    report,
)

JAN_TO_MAR = {"from": "2026-01-01", "to": "2026-03-31"}


async def test_months_split_at_midnight_wib_and_count_cod_when_collected(
    client: AsyncClient, world: World
) -> None:
    # When the admin asks for January to March by month
    body = await report(client, world.admin.headers, group_by="month", **JAN_TO_MAR)

    # Then (orders, units, gross, refunds, net, buyers, sellers) are as computed by hand
    assert [(row["key"], row["label"]) for row in body["items"]] == [
        ("2026-01-01", "Januari 2026"),
        ("2026-02-01", "Februari 2026"),
        ("2026-03-01", "Maret 2026"),
    ]
    assert [figures(row) for row in body["items"]] == [
        (1, 2, 100_000, 0, 100_000, 1, 1),
        (3, 3, 370_000, 0, 370_000, 2, 3),
        (5, 7, 870_000, 470_000, 400_000, 4, 3),
    ]
    assert figures(body["totals"]) == (9, 12, 1_340_000, 470_000, 870_000, 6, 3)
    assert body["totals"]["average_order_value"] == 1_340_000 // 9
    march = body["items"][2]
    assert (march["buyers_outside_province"], march["outside_province_share"]) == (1, 0.25)
    assert body["currency"] == "IDR"
    assert (body["from"], body["to"]) == ("2026-01-01", "2026-03-31")


async def test_regions_categories_kinds_and_sellers_add_up_to_the_same_totals(
    client: AsyncClient, world: World
) -> None:
    headers = world.admin.headers
    regions = await report(client, headers, group_by="region", **JAN_TO_MAR)
    assert [(row["key"], row["label"], *figures(row)) for row in regions["items"]] == [
        ("19.71", "Kota Pangkalpinang", 3, 4, 800_000, 350_000, 450_000, 3, 1),
        ("19.05", "Kabupaten Bangka Barat", 4, 6, 300_000, 0, 300_000, 4, 1),
        ("19.04", "Kabupaten Bangka Tengah", 2, 2, 240_000, 120_000, 120_000, 2, 1),
    ]
    categories = await report(client, headers, group_by="category", **JAN_TO_MAR)
    assert [(row["label"], row["gross"], row["refunds"]) for row in categories["items"]] == [
        ("Kerajinan", 800_000, 350_000),
        ("Rempah", 300_000, 0),
        ("Madu", 240_000, 120_000),
    ]
    kinds = await report(client, headers, group_by="seller_kind", **JAN_TO_MAR)
    assert [(row["key"], row["label"], row["gross"]) for row in kinds["items"]] == [
        ("cooperative", "Koperasi", 800_000),
        ("community_group", "Kelompok masyarakat", 300_000),
        ("umkm", "UMKM", 240_000),
    ]
    sellers = await report(client, headers, group_by="seller", **JAN_TO_MAR)
    assert [(row["key"], row["label"]) for row in sellers["items"]] == [
        (world.pewter.id, "Koperasi Pewter Timah"),
        (world.pepper.id, "KIM Lada Muntok"),
        (world.honey.id, "UMKM Madu Pelawan"),
    ]
    for body in (regions, categories, kinds, sellers):
        assert figures(body["totals"]) == (9, 12, 1_340_000, 470_000, 870_000, 6, 3)


async def test_a_range_cut_inside_months_counts_exactly_its_days(
    client: AsyncClient, world: World
) -> None:
    # Given 31 January (O1, 23:59:59 WIB) to 2 March (the refund of O3)
    body = await report(
        client, world.admin.headers, group_by="region", **{"from": "2026-01-31", "to": "2026-03-02"}
    )
    assert figures(body["totals"]) == (4, 5, 470_000, 200_000, 270_000, 2, 3)
    # And 1 February alone holds the order paid at midnight WIB, nothing of 31 January
    body = await report(
        client, world.admin.headers, group_by="month", **{"from": "2026-02-01", "to": "2026-02-01"}
    )
    assert figures(body["totals"]) == (2, 2, 170_000, 0, 170_000, 1, 2)


async def test_weeks_are_iso_weeks_in_wib(client: AsyncClient, world: World) -> None:
    body = await report(
        client, world.admin.headers, group_by="week", **{"from": "2026-01-26", "to": "2026-02-08"}
    )
    assert [(row["key"], row["gross"]) for row in body["items"]] == [
        ("2026-01-26", 270_000),  # O1 (Saturday 31 Jan) and O2 (Sunday 1 Feb, 00:00 WIB)
    ]
    assert body["items"][0]["label"] == "Minggu mulai 2026-01-26"


async def test_a_seller_sees_its_own_months_and_products_only(
    client: AsyncClient, world: World
) -> None:
    path = f"/api/v1/sellers/{world.pewter.id}/reports/sales"
    months = await report(client, world.pewter.owner.headers, path, group_by="month", **JAN_TO_MAR)
    assert [(row["key"], *figures(row)) for row in months["items"]] == [
        ("2026-02-01", 1, 1, 200_000, 0, 200_000, 1, 1),
        ("2026-03-01", 2, 3, 600_000, 350_000, 250_000, 2, 1),
    ]
    products = await report(
        client, world.pewter.owner.headers, path, group_by="product", **JAN_TO_MAR
    )
    assert [(row["label"], row["units"], row["gross"]) for row in products["items"]] == [
        ("Miniatur Pewter", 4, 800_000)
    ]
    assert products["new_sellers"] == 0


async def test_top_products_rank_by_gross(client: AsyncClient, world: World) -> None:
    body = await report(client, world.admin.headers, group_by="region", **JAN_TO_MAR)
    assert [
        (row["label"], row["units"], row["gross"], row["buyers"]) for row in body["top_products"]
    ] == [
        ("Miniatur Pewter", 4, 800_000, 3),
        ("Lada Putih Muntok", 6, 300_000, 4),
        ("Madu Pelawan", 2, 240_000, 2),
    ]
    assert (body["new_sellers"], body["new_products"]) == (0, 0)
