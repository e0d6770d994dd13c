"""Report requests: CSV and XLSX downloads of the same figures, and bad queries answered with
a precise 422 problem."""

from __future__ import annotations

import io

import pytest
from httpx import AsyncClient
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.reports.world import Clock, World, order, pay, report, sweep

SALES = "/api/v1/admin/reports/sales"
JAN_TO_MAR = {"from": "2026-01-01", "to": "2026-03-31"}


async def test_csv_download_has_the_rows_and_totals_of_the_json(
    client: AsyncClient, world: World
) -> None:
    response = await client.get(
        SALES,
        params={"group_by": "seller_kind", "format": "csv", **JAN_TO_MAR},
        headers=world.admin.headers,
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="laporan-penjualan-seller_kind-2026-01-01_2026-03-31.csv"'
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffkey,label,orders,units,gross,refunds,net,buyers,sellers,")
    assert text.splitlines()[1:] == [
        "cooperative,Koperasi,3,4,800000,350000,450000,3,1,266666,0",
        "community_group,Kelompok masyarakat,4,6,300000,0,300000,4,1,75000,1",
        "umkm,UMKM,2,2,240000,120000,120000,2,1,120000,0",
        "total,Total,9,12,1340000,470000,870000,6,3,148888,1",
    ]


async def test_xlsx_download_is_a_workbook_with_the_same_rows(
    client: AsyncClient, world: World
) -> None:
    response = await client.get(
        SALES,
        params={"group_by": "month", "format": "xlsx", **JAN_TO_MAR},
        headers=world.admin.headers,
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [row[:7] for row in sheet.iter_rows(values_only=True)]
    assert rows == [
        ("key", "label", "orders", "units", "gross", "refunds", "net"),
        ("2026-01-01", "Januari 2026", 1, 2, 100_000, 0, 100_000),
        ("2026-02-01", "Februari 2026", 3, 3, 370_000, 0, 370_000),
        ("2026-03-01", "Maret 2026", 5, 7, 870_000, 470_000, 400_000),
        ("total", "Total", 9, 12, 1_340_000, 470_000, 870_000),
    ]


async def test_english_labels_follow_the_language(client: AsyncClient, world: World) -> None:
    response = await client.get(
        SALES,
        params={"group_by": "month", **JAN_TO_MAR},
        headers={**world.admin.headers, "Accept-Language": "en"},
    )
    assert [row["label"] for row in response.json()["items"]] == [
        "January 2026",
        "February 2026",
        "March 2026",
    ]


@pytest.mark.parametrize(
    ("params", "location"),
    [
        ({"from": "2026-03-01", "to": "2026-02-01"}, ["query", "from"]),
        ({"from": "2020-01-01", "to": "2026-02-01"}, ["query", "to"]),
        ({"from": "2026-13-01"}, ["query", "from"]),
        ({"from": "0001-01-01", "to": "0001-01-02"}, ["query", "from"]),
        ({"to": "9999-12-31"}, ["query", "to"]),
        ({"to": "yesterday"}, ["query", "to"]),
        ({"group_by": "product"}, ["query", "group_by"]),
        ({"group_by": "x" * 10_000}, ["query", "group_by"]),
        ({"format": "pdf"}, ["query", "format"]),
    ],
)
async def test_a_bad_query_is_a_422_problem_naming_the_parameter(
    client: AsyncClient, world: World, params: dict[str, str], location: list[str]
) -> None:
    response = await client.get(SALES, params=params, headers=world.admin.headers)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [error["loc"] for error in response.json()["errors"]] == [location]


async def test_a_seller_cannot_read_another_sellers_report_or_group_by_region(
    client: AsyncClient, world: World
) -> None:
    other = f"/api/v1/sellers/{world.honey.id}/reports/sales"
    assert (await client.get(other, headers=world.pewter.owner.headers)).status_code == 403
    own = f"/api/v1/sellers/{world.pewter.id}/reports/sales"
    response = await client.get(
        own, params={"group_by": "region"}, headers=world.pewter.owner.headers
    )
    assert response.status_code == 422
    missing = "/api/v1/sellers/00000000-0000-7000-8000-000000000000/reports/sales"
    assert (await client.get(missing, headers=world.pewter.owner.headers)).status_code == 404


async def test_an_answer_is_kept_until_the_sweep_has_counted_a_change(
    client: AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    # Given a report read once
    before = await report(client, world.admin.headers, group_by="month", **JAN_TO_MAR)

    # When a new sale is paid, the same answer stands until the sweep has counted it
    placed = await order(client, [(world.honey, 1)], "baru@contoh.id")
    clock.at(2026, 3, 30, 3, 0)
    await pay(client, world, placed)
    assert await report(client, world.admin.headers, group_by="month", **JAN_TO_MAR) == before
    await sweep(sessionmaker)

    # Then the next read has it
    after = await report(client, world.admin.headers, group_by="month", **JAN_TO_MAR)
    assert after["totals"]["gross"] == before["totals"]["gross"] + 120_000
    assert after["totals"]["buyers"] == before["totals"]["buyers"] + 1
