"""Product files as Excel in an Indonesian locale writes them: `;`-separated CSV with a byte
order mark, and XLSX workbooks, both ways (API and command line)."""

from __future__ import annotations

import io

from fastapi import FastAPI
from httpx import AsyncClient
from openpyxl import Workbook, load_workbook

from marketplace.catalog.csv_format import COLUMNS
from marketplace.catalog.spreadsheet import XLSX_MEDIA_TYPE
from tests.catalog.test_csv_transfer import (
    add_product,
    import_ok,
    no_changes,
    open_shop,
    product_detail,
    upload,
)

SEMICOLON_ROW = ";Kue Rintak Sagu;Kue khas Bangka;rempah;;;;;200 g;RINTAK-200;15000;10;210"


async def test_semicolon_csv_with_bom_as_excel_saves_it_in_indonesian_imports(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    content = "\ufeff" + ";".join(COLUMNS) + "\r\n" + SEMICOLON_ROW + "\r\n"

    report = await import_ok(client, shop, content.encode("utf-8"))

    assert report == {**no_changes(), "created_products": 1, "created_variants": 1}
    detail = await product_detail(client, shop.owner, "kue-rintak-sagu")
    assert detail["variants"][0]["price"] == 15000
    assert detail["variants"][0]["sku"] == "RINTAK-200"


async def test_export_for_excel_is_semicolon_separated_with_a_bom_and_imports_unchanged(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    await add_product(client, shop, description="Pedas; gurih, renyah")

    response = await client.get(
        shop.export_url,
        params={"separator": "semicolon", "bom": "true"},
        headers=shop.owner.headers,
    )

    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode() + b"product_slug;title;")
    assert '"Pedas; gurih, renyah"' in response.content.decode("utf-8-sig")
    assert await import_ok(client, shop, response.content) == no_changes()


async def test_bad_separator_is_422_problem(app: FastAPI, client: AsyncClient) -> None:
    shop = await open_shop(app, client)

    response = await client.get(
        shop.export_url, params={"separator": "tab"}, headers=shop.owner.headers
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "separator"]


async def test_xlsx_export_opens_as_a_workbook_and_imports_back_unchanged(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    await add_product(client, shop, description='=HYPERLINK("http://evil")')
    url = shop.export_url.replace("export.csv", "export.xlsx")

    response = await client.get(url, headers=shop.owner.headers)

    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX_MEDIA_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS)
    assert rows[1][1] == "Lada Putih Muntok"
    assert rows[1][2] == '\'=HYPERLINK("http://evil")'  # text, not a formula
    assert rows[1][10] == 25000
    again = await upload(
        client,
        shop.import_url,
        response.content,
        shop.owner,
        media_type=XLSX_MEDIA_TYPE,
        filename="produk.xlsx",
    )
    assert again.status_code == 200, again.text
    assert again.json() == no_changes()


async def test_xlsx_made_by_hand_imports_and_bad_rows_are_reported_by_row(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    sheet.append(
        ["", "Madu Pelawan", "Madu hutan", "madu", "", "", "", "", "250 g", "", 120000.0, 4, 300]
    )
    sheet.append(["", "Getas", "", "rempah", "", "", "", "", "100 g", "", "murah", 5, 100])
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = await upload(
        client,
        shop.import_url,
        buffer.getvalue(),
        shop.owner,
        media_type="application/octet-stream",
        filename="produk.xlsx",
    )

    assert response.status_code == 200, response.text
    report = response.json()
    assert report["created_products"] == 1
    assert [error["row"] for error in report["errors"]] == [3]
    assert report["errors"][0]["errors"][0].startswith("price:")
    detail = await product_detail(client, shop.owner, "madu-pelawan")
    assert detail["variants"][0]["price"] == 120000


async def test_damaged_workbook_is_415_and_changes_nothing(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)

    response = await upload(
        client,
        shop.import_url,
        b"PK\x03\x04" + b"rusak" * 20,
        shop.owner,
        media_type=XLSX_MEDIA_TYPE,
        filename="produk.xlsx",
    )

    assert response.status_code == 415
    assert response.json()["detail"].startswith("This file is not a readable Excel workbook")
