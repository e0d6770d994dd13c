"""CSV export and import of a seller's products: the API endpoints and the command line."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient, Response
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from marketplace.accounts import service as accounts_service
from marketplace.catalog import service as catalog_service
from marketplace.catalog.csv_format import COLUMNS
from marketplace.catalog.schemas import CategoryCreate
from marketplace.cli import app as cli
from marketplace.config import get_settings
from marketplace.sellers import service as sellers_service
from marketplace.sellers.models import SellerKind
from marketplace.sellers.schemas import SellerCreate
from tests.conftest import make_settings
from tests.factories import (
    Account,
    add_member,
    create_account,
    create_admin,
    create_category,
    create_verified_seller,
    running_app,
)

HEADER = ",".join(COLUMNS)
ENGLISH = {"Accept-Language": "en"}


@dataclass(frozen=True)
class Shop:
    admin: Account
    owner: Account
    seller: dict[str, Any]

    @property
    def export_url(self) -> str:
        return f"/api/v1/sellers/{self.seller['id']}/products/export.csv"

    @property
    def import_url(self) -> str:
        return f"/api/v1/sellers/{self.seller['id']}/products/import"


async def open_shop(app: FastAPI, client: AsyncClient, *, name: str = "KIM Lada Muntok") -> Shop:
    """A verified seller, its owner, an admin, and the categories `rempah` and `madu`."""
    admin = await create_admin(app, client)
    owner = await create_account(client)
    seller = await create_verified_seller(client, owner, admin, name=name)
    categories = (await client.get("/api/v1/categories")).json()
    if not categories:
        await create_category(client, admin, slug="rempah", name="Rempah")
        await create_category(client, admin, slug="madu", name="Madu")
    return Shop(admin=admin, owner=owner, seller=seller)


async def add_product(client: AsyncClient, shop: Shop, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Lada Putih Muntok",
        "description": "Lada putih asli Muntok",
        "category": "rempah",
        "variants": [{"name": "100 g", "price": 25000, "stock": 5, "weight_grams": 120}],
        **fields,
    }
    response = await client.post(
        f"/api/v1/sellers/{shop.seller['id']}/products", json=body, headers=shop.owner.headers
    )
    assert response.status_code == 201, response.text
    product: dict[str, Any] = response.json()
    return product


async def upload(
    client: AsyncClient,
    url: str,
    content: bytes | str,
    account: Account | None,
    *,
    media_type: str = "text/csv",
    filename: str = "produk.csv",
) -> Response:
    data = content.encode() if isinstance(content, str) else content
    headers = {**(account.headers if account else {}), **ENGLISH}
    return await client.post(url, files={"file": (filename, data, media_type)}, headers=headers)


async def import_ok(client: AsyncClient, shop: Shop, content: bytes | str) -> dict[str, Any]:
    response = await upload(client, shop.import_url, content, shop.owner)
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


async def product_detail(client: AsyncClient, account: Account, slug: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/products/{slug}", headers=account.headers)
    assert response.status_code == 200, response.text
    detail: dict[str, Any] = response.json()
    return detail


def csv_text(*rows: str) -> str:
    return "\r\n".join((HEADER, *rows)) + "\r\n"


def no_changes() -> dict[str, Any]:
    return {
        "created_products": 0,
        "updated_products": 0,
        "created_variants": 0,
        "updated_variants": 0,
        "errors": [],
    }


async def test_export_then_import_of_the_same_file_changes_nothing(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    await add_product(
        client,
        shop,
        description='Lada "super", dipetik\nsetelah matang, dijemur 7 hari',
        variants=[
            {"name": "100 g", "sku": "LADA-100", "price": 25000, "stock": 5, "weight_grams": 120},
            {"name": "250 g", "price": 55000, "stock": 0, "weight_grams": 270},
        ],
        attributes={"pirt_number": "2091905010123-27", "halal_certificate": "ID131100001234"},
    )
    honey = await add_product(client, shop, title="Madu Pelawan", category="madu")
    published = await client.post(
        f"/api/v1/products/{honey['id']}/publish", headers=shop.owner.headers
    )
    assert published.status_code == 200, published.text
    before = await product_detail(client, shop.owner, "lada-putih-muntok")
    exported = await client.get(shop.export_url, headers=shop.owner.headers)
    assert exported.status_code == 200, exported.text

    report = await import_ok(client, shop, exported.content)

    assert report == no_changes()
    again = await client.get(shop.export_url, headers=shop.owner.headers)
    assert again.content == exported.content
    after = await product_detail(client, shop.owner, "lada-putih-muntok")
    assert after["updated_at"] == before["updated_at"]
    rows = list(csv.DictReader(io.StringIO(exported.text, newline="")))
    assert [(r["product_slug"], r["variant_name"], r["status"]) for r in rows] == [
        ("lada-putih-muntok", "100 g", "draft"),
        ("lada-putih-muntok", "250 g", "draft"),
        ("madu-pelawan", "100 g", "published"),
    ]
    assert rows[0]["description"] == 'Lada "super", dipetik\nsetelah matang, dijemur 7 hari'
    assert rows[0]["pirt_number"] == "209190501012327"
    assert (rows[0]["sku"], rows[0]["price"], rows[0]["stock"]) == ("LADA-100", "25000", "5")


async def test_export_is_a_csv_attachment_named_after_the_seller(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)

    response = await client.get(shop.export_url, headers=shop.owner.headers)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="{shop.seller["slug"]}-products.csv"'
    )
    assert response.text == HEADER + "\r\n"


async def test_import_creates_two_draft_products_with_their_variants(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    content = csv_text(
        ",Kopi Robusta Belinyu,Kopi bubuk,rempah,published,,,,250 g,KOPI-250,45000,10,260",
        ",Kopi Robusta Belinyu,,,,,,,500 g,KOPI-500,85000,4,520",
        ",Kopi Robusta Belinyu,,,,,,,1 kg,,160000,0,1030",
        "madu-pelawan-asli,Madu Pelawan,Madu hutan,madu,,2061901020456-28,,,250 ml,,90000,3,400",
        "madu-pelawan-asli,,,,,,,,500 ml,,170000,2,750",
    )

    report = await import_ok(client, shop, content)

    assert report == {**no_changes(), "created_products": 2, "created_variants": 5}
    listed = await client.get(
        f"/api/v1/sellers/{shop.seller['id']}/products", headers=shop.owner.headers
    )
    statuses = {item["slug"]: item["status"] for item in listed.json()["items"]}
    assert statuses == {"kopi-robusta-belinyu": "draft", "madu-pelawan-asli": "draft"}
    coffee = await product_detail(client, shop.owner, "kopi-robusta-belinyu")
    assert [(v["name"], v["sku"], v["price"], v["stock"]) for v in coffee["variants"]] == [
        ("250 g", "KOPI-250", 45000, 10),
        ("500 g", "KOPI-500", 85000, 4),
        ("1 kg", None, 160000, 0),
    ]
    assert coffee["price"] == 45000
    honey = await product_detail(client, shop.owner, "madu-pelawan-asli")
    assert honey["attributes"]["pirt_number"] == "206190102045628"
    assert honey["category"] == "madu"
    assert [v["name"] for v in honey["variants"]] == ["250 ml", "500 ml"]


async def test_import_updates_price_and_stock_of_variants_found_by_sku(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    await add_product(
        client,
        shop,
        variants=[
            {"name": "100 g", "sku": "LADA-100", "price": 25000, "stock": 5, "weight_grams": 120},
            {"name": "250 g", "sku": "LADA-250", "price": 55000, "stock": 2, "weight_grams": 270},
        ],
    )
    content = csv_text(
        "lada-putih-muntok,Lada Putih Muntok,Lada putih asli Muntok,rempah,draft,,,,"
        "100 g,LADA-100,20000,40,120",
        "lada-putih-muntok,,,,,,,,250 g,LADA-250,55000,12,270",
        "lada-putih-muntok,,,,,,,,1 kg,LADA-1000,200000,1,1050",
    )

    report = await import_ok(client, shop, content)

    assert report == {
        **no_changes(),
        "updated_products": 1,
        "updated_variants": 2,
        "created_variants": 1,
    }
    detail = await product_detail(client, shop.owner, "lada-putih-muntok")
    assert [(v["sku"], v["price"], v["stock"]) for v in detail["variants"]] == [
        ("LADA-100", 20000, 40),
        ("LADA-250", 55000, 12),
        ("LADA-1000", 200000, 1),
    ]
    assert detail["price"] == 20000
    assert detail["status"] == "draft"


async def test_bad_rows_are_reported_by_row_and_column_while_other_products_apply(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    content = csv_text(
        ",Kopi Robusta,,rempah,,,,,250 g,,45000,10,260",
        ",Terasi Udang,,rempah,,,,,100 g,,12.500,10,110",
        ",Terasi Udang,,,,,,,200 g,,24000,10,210",
        ",Kemplang Ikan,,rempah,,12345,,,200 g,,15000,10,210",
        ",Sirup Jeruk Kunci,,minuman,,,,,1 l,,30000,10,1100",
        ",Madu Pelawan,,madu,,,,,250 ml,,90000,3,400",
    )

    report = await import_ok(client, shop, content)

    assert report["created_products"] == 2
    assert report["created_variants"] == 2
    errors = {item["row"]: item["errors"] for item in report["errors"]}
    assert sorted(errors) == [3, 4, 5, 6]
    assert errors[3] == ["price: must be a whole number, without dots, commas or decimals"]
    assert errors[4] == ["Skipped: this product has errors on row 3."]
    assert errors[5] == ["pirt_number: P-IRT number must have exactly 15 digits"]
    assert errors[6] == ["category: Category 'minuman' is unknown."]
    listed = await client.get(
        f"/api/v1/sellers/{shop.seller['id']}/products", headers=shop.owner.headers
    )
    assert sorted(item["title"] for item in listed.json()["items"]) == [
        "Kopi Robusta",
        "Madu Pelawan",
    ]


async def test_slug_of_another_sellers_product_is_unknown_and_left_alone(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    other = await open_shop(app, client, name="UMKM Kopi Belinyu")
    await add_product(
        client,
        other,
        title="Kopi Belinyu",
        variants=[
            {"name": "250 g", "sku": "KB-250", "price": 40000, "stock": 9, "weight_grams": 260}
        ],
    )
    before = await product_detail(client, other.owner, "kopi-belinyu")
    content = csv_text(
        "kopi-belinyu,Kopi Curian,,rempah,,,,,250 g,KB-250,1,0,260",
        ",Madu Pelawan,,madu,,,,,250 ml,,90000,3,400",
    )

    report = await import_ok(client, shop, content)

    assert report["created_products"] == 1
    assert report["errors"] == [
        {"row": 2, "errors": ["product_slug: product 'kopi-belinyu' is unknown"]}
    ]
    after = await product_detail(client, other.owner, "kopi-belinyu")
    assert after == before


async def test_rows_without_sku_match_variants_by_name_and_extra_columns_are_an_error(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    await add_product(client, shop)
    content = csv_text(
        "lada-putih-muntok,Lada Putih Asli Muntok,Lada putih asli Muntok,rempah,,,,,"
        "100 g,,26000,7,120",
        ",Madu Pelawan,,madu,,,,,250 ml,,90000,3,400,sisa",
    )

    report = await import_ok(client, shop, content)

    assert report == {
        **no_changes(),
        "updated_products": 1,
        "updated_variants": 1,
        "errors": [{"row": 3, "errors": ["This row has 14 columns instead of 13."]}],
    }
    detail = await product_detail(client, shop.owner, "lada-putih-muntok")
    assert detail["title"] == "Lada Putih Asli Muntok"
    assert [(v["name"], v["price"], v["stock"]) for v in detail["variants"]] == [
        ("100 g", 26000, 7)
    ]


async def test_file_with_more_than_5000_rows_is_one_error_and_imports_nothing(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    rows = [f",Produk {number},,rempah,,,,,1 pcs,,1000,1,100" for number in range(5001)]

    report = await import_ok(client, shop, csv_text(*rows))

    assert report == {
        **no_changes(),
        "errors": [
            {
                "row": 5002,
                "errors": ["A CSV file may have at most 5000 rows; split it into several files."],
            }
        ],
    }


async def test_header_that_does_not_match_is_one_error_on_row_1(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    content = "slug,title,price\r\nlada,Lada,25000\r\n"

    report = await import_ok(client, shop, content)

    assert report == {
        **no_changes(),
        "errors": [{"row": 1, "errors": [f"The header row must be exactly: {HEADER}"]}],
    }


async def test_file_that_is_not_utf8_is_refused_at_the_row_with_the_bad_text(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    content = csv_text(
        ",Kopi Robusta,,rempah,,,,,250 g,,45000,10,260",
        ",Kue Rintak Sagu,Kue khas Bangka,rempah,,,,,200 g,,15000,10,210",
    ).replace("khas", "kh\u00e1s")

    report = await import_ok(client, shop, content.encode("latin-1"))

    assert report == {
        **no_changes(),
        "errors": [
            {"row": 3, "errors": ["The text on this row is not UTF-8. Save the file as CSV UTF-8."]}
        ],
    }


async def test_byte_order_mark_from_excel_is_accepted(app: FastAPI, client: AsyncClient) -> None:
    shop = await open_shop(app, client)
    content = "\ufeff" + csv_text(",Kue Rintak Sagu,Kue khás Bangka,rempah,,,,,200 g,,15000,10,210")

    report = await import_ok(client, shop, content.encode("utf-8"))

    assert report == {**no_changes(), "created_products": 1, "created_variants": 1}
    detail = await product_detail(client, shop.owner, "kue-rintak-sagu")
    assert detail["description"] == "Kue khás Bangka"


async def test_upload_that_is_not_csv_text_is_415_and_one_too_large_is_413(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    workbook = b"PK\x03\x04\x14\x00\x06\x00" + bytes(64)

    as_spreadsheet = await upload(
        client,
        shop.import_url,
        workbook,
        shop.owner,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename="produk.xlsx",
    )
    renamed = await upload(client, shop.import_url, workbook, shop.owner, filename="produk.csv")
    too_large = await upload(
        client, shop.import_url, HEADER + "\r\n" + "x" * (2 * 1024 * 1024), shop.owner
    )

    assert as_spreadsheet.status_code == 415
    assert as_spreadsheet.headers["content-type"] == "application/problem+json"
    assert as_spreadsheet.json()["type"] == "/problems/unsupported-media-type"
    assert renamed.status_code == 415
    assert too_large.status_code == 413
    assert too_large.json()["type"] == "/problems/payload-too-large"


async def test_staff_may_export_and_import_and_admins_may_export(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    staff = await create_account(client)
    await add_member(client, shop.owner, shop.seller["id"], staff.email)
    content = csv_text(",Madu Pelawan,,madu,,,,,250 ml,,90000,3,400")

    imported = await upload(client, shop.import_url, content, staff)
    exported = await client.get(shop.export_url, headers=staff.headers)
    by_admin = await client.get(shop.export_url, headers=shop.admin.headers)

    assert imported.status_code == 200, imported.text
    assert imported.json()["created_products"] == 1
    assert exported.status_code == 200
    assert by_admin.status_code == 200
    assert by_admin.content == exported.content


async def test_strangers_get_403_and_anonymous_callers_401(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    stranger = await create_account(client)
    content = csv_text(",Madu Pelawan,,madu,,,,,250 ml,,90000,3,400")

    responses = {
        "stranger export": await client.get(shop.export_url, headers=stranger.headers),
        "stranger import": await upload(client, shop.import_url, content, stranger),
        "admin import": await upload(client, shop.import_url, content, shop.admin),
        "anonymous export": await client.get(shop.export_url),
        "anonymous import": await upload(client, shop.import_url, content, None),
    }

    assert {name: response.status_code for name, response in responses.items()} == {
        "stranger export": 403,
        "stranger import": 403,
        "admin import": 403,
        "anonymous export": 401,
        "anonymous import": 401,
    }
    exported = await client.get(shop.export_url, headers=shop.owner.headers)
    assert exported.text == HEADER + "\r\n"


# The command line ---------------------------------------------------------------------------


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh SQLite file that the commands find through MARKETPLACE_DATABASE_URL."""
    url = f"sqlite:///{tmp_path / 'cli' / 'marketplace.db'}"
    monkeypatch.setenv("MARKETPLACE_DATABASE_URL", url)
    monkeypatch.setenv("MARKETPLACE_ENVIRONMENT", "test")
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


async def run_cli(*arguments: str) -> Result:
    """Run the command in a worker thread: it calls asyncio.run, which needs a thread of its own."""

    def invoke() -> Result:
        return CliRunner().invoke(cli, list(arguments))

    return await asyncio.to_thread(invoke)


async def seed_cli_seller(database_url: str) -> str:
    """A pending seller with the category `rempah`, made through the services; its slug."""
    settings = make_settings(database_url)
    async with running_app(settings) as app, app.state.sessionmaker() as session:
        async with session.begin():
            owner, _ = await accounts_service.create_or_promote_admin(
                session, app.state.password_hashing, "rina@contoh.id", "lada-putih-9x", "Rina"
            )
            await catalog_service.create_category(
                session, CategoryCreate(slug="rempah", name="Rempah")
            )
            seller = await sellers_service.create_seller(
                session,
                owner,
                SellerCreate(
                    name="KIM Lada Muntok", kind=SellerKind.COMMUNITY_GROUP, region_code="19.05"
                ),
            )
        return seller.slug


async def test_cli_imports_a_file_and_exports_it_again(cli_database: str, tmp_path: Path) -> None:
    assert (await run_cli("db", "upgrade")).exit_code == 0
    slug = await seed_cli_seller(cli_database)
    source = tmp_path / "produk.csv"
    source.write_text(
        csv_text(
            ",Lada Putih Muntok,,rempah,,,,,100 g,LADA-100,25000,5,120",
            ",Lada Putih Muntok,,,,,,,250 g,LADA-250,55000,2,270",
            ",Lada Hitam,,rempah,,,,,100 g,,20000,5,120",
        ),
        encoding="utf-8",
    )

    imported = await run_cli("import-products", str(source), "--seller", slug)
    target = tmp_path / "export.csv"
    exported = await run_cli("export-products", "--seller", slug, "--output", str(target))
    to_stdout = await run_cli("export-products", "--seller", slug)

    assert imported.exit_code == 0, imported.output
    assert "Products: 2 created, 0 updated" in imported.output
    assert "Variants: 3 created, 0 updated" in imported.output
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))
    assert [(row["product_slug"], row["sku"], row["status"]) for row in rows] == [
        ("lada-putih-muntok", "LADA-100", "draft"),
        ("lada-putih-muntok", "LADA-250", "draft"),
        ("lada-hitam", "", "draft"),
    ]
    assert to_stdout.exit_code == 0
    assert to_stdout.output == target.read_text(encoding="utf-8").replace("\r\n", "\n")
    reimported = await run_cli("import-products", str(target), "--seller", slug)
    assert reimported.exit_code == 0, reimported.output
    assert "Products: 0 created, 0 updated" in reimported.output


async def test_cli_reports_failed_rows_with_exit_code_1(cli_database: str, tmp_path: Path) -> None:
    assert (await run_cli("db", "upgrade")).exit_code == 0
    slug = await seed_cli_seller(cli_database)
    source = tmp_path / "produk.csv"
    source.write_text(
        csv_text(
            ",Lada Putih Muntok,,rempah,,,,,100 g,,25000,5,120",
            ",Lada Hitam,,rempah,,,,,100 g,,-1,5,120",
        ),
        encoding="utf-8",
    )

    result = await run_cli("import-products", str(source), "--seller", slug)

    assert result.exit_code == 1, result.output
    assert "Rows not imported" in result.output
    assert "│ 3   │ price:" in result.output
    assert "Products: 1 created" in result.output
    assert "Rows with errors: 1" in result.output


async def test_cli_exits_2_for_an_unknown_seller_or_a_missing_file(
    cli_database: str, tmp_path: Path
) -> None:
    assert (await run_cli("db", "upgrade")).exit_code == 0
    slug = await seed_cli_seller(cli_database)
    source = tmp_path / "produk.csv"
    source.write_text(csv_text(), encoding="utf-8")

    unknown_seller = await run_cli("import-products", str(source), "--seller", "tidak-ada")
    missing_file = await run_cli("import-products", str(tmp_path / "hilang.csv"), "--seller", slug)
    unknown_export = await run_cli("export-products", "--seller", "tidak-ada")

    assert unknown_seller.exit_code == 2
    assert "Unknown seller: tidak-ada" in unknown_seller.output
    assert missing_file.exit_code == 2
    assert "Cannot read" in missing_file.output
    assert unknown_export.exit_code == 2


def test_formula_like_text_is_neutralised_on_export_and_restored_on_import() -> None:
    from marketplace.catalog.csv_format import COLUMNS, format_csv, read_rows

    row = ['=HYPERLINK("http://x")', "@SUM(A1)", "-tipis", "+62"] + [""] * (len(COLUMNS) - 4)

    text = format_csv([row])

    assert "'=HYPERLINK" in text
    assert "'@SUM(A1)" in text
    parsed = read_rows(text)
    assert parsed[0].cells[COLUMNS[0]] == '=HYPERLINK("http://x")'
    assert parsed[0].cells[COLUMNS[1]] == "@SUM(A1)"


async def test_cli_exports_xlsx_and_excel_csv_and_imports_them_back(
    cli_database: str, tmp_path: Path
) -> None:
    assert (await run_cli("db", "upgrade")).exit_code == 0
    slug = await seed_cli_seller(cli_database)
    source = tmp_path / "produk.csv"
    source.write_text(
        ";".join(COLUMNS)
        + "\n"
        + ";Kue Rintak Sagu;Kue khas Bangka;rempah;;;;;200 g;RINTAK-200;15000;10;210\n",
        encoding="utf-8-sig",
    )
    assert (await run_cli("import-products", str(source), "--seller", slug)).exit_code == 0

    workbook = tmp_path / "produk.xlsx"
    excel_csv = tmp_path / "excel.csv"
    exported = await run_cli(
        "export-products", "--seller", slug, "--format", "xlsx", "--output", str(workbook)
    )
    exported_csv = await run_cli(
        "export-products", "--seller", slug, "--excel", "--output", str(excel_csv)
    )
    to_stdout = await run_cli("export-products", "--seller", slug, "--format", "xlsx")
    reimported = await run_cli("import-products", str(workbook), "--seller", slug)

    assert exported.exit_code == 0, exported.output
    assert exported_csv.exit_code == 0, exported_csv.output
    assert excel_csv.read_bytes().startswith(b"\xef\xbb\xbfproduct_slug;title;")
    assert load_workbook(workbook).worksheets[0]["B2"].value == "Kue Rintak Sagu"
    assert to_stdout.exit_code == 2
    assert reimported.exit_code == 0, reimported.output
    assert "Products: 0 created, 0 updated" in reimported.output


async def test_a_price_of_five_thousand_digits_is_a_row_error_not_a_server_error(
    app: FastAPI, client: AsyncClient
) -> None:
    # Issue 10: a CSV cell with 5,000 digits answered 500 (int() refuses over 4,300 digits).
    shop = await open_shop(app, client)
    content = csv_text(
        ",Kopi Robusta Belinyu,Kopi bubuk,rempah,,,,,250 g,,9" + "9" * 4999 + ",10,260"
    )

    report = await import_ok(client, shop, content)

    assert report["created_products"] == 0
    [row] = report["errors"]
    assert row["row"] == 2
