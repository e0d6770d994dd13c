"""Bank statements at the desk: a bank preset read through the API, lines that name an order
decide between transfers of one amount, amounts that differ stay unmatched, money that comes
after expiry still finds its order, two admins applying at once confirm once, bad files are
refused precisely, and `marketplace match-statement` does the same from a shell."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from typer.testing import CliRunner, Result

from marketplace.cli import app as cli
from marketplace.config import get_settings
from marketplace.db.base import utcnow
from marketplace.orders.tasks import expire_due_orders
from marketplace.payments.models import Payment, StatementLine
from tests.desk.statements import generic_statement, matched_of, upload_statement
from tests.factories import (
    count_rows,
    open_shop,
    order_body,
    order_line,
    placed_order,
    read_guest_order,
    set_order_expiry,
)

Sessionmaker = async_sessionmaker[AsyncSession]


def bca_statement(*lines: tuple[str, str, int]) -> bytes:
    rows = [
        "No. rekening : 0123456789",
        "Nama : KOPERASI PASAR DIGITAL BABEL",
        "Kode Mata Uang : Rp",
        "",
        "Tanggal Transaksi,Keterangan,Cabang,Jumlah,Saldo",
        *(f'\'{day},{text},0000,"{amount:,}.00 CR","0.00"' for day, text, amount in lines),
        "",
        'Saldo Awal,"0.00"',
    ]
    return "\n".join(rows).encode()


async def set_amount(sessionmaker: Sessionmaker, payment_id: str, amount: int) -> None:
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(Payment).where(Payment.id == uuid.UUID(payment_id)).values(amount=amount)
        )


async def test_bca_export_through_the_api_confirms_the_transfer_it_names(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    amount = order["payment"]["amount"]
    statement = bca_statement(("02/12", f"TRSF E-BANKING CR {order['number']}", amount))

    applied = await upload_statement(
        client, shop.admin, statement, statement_format="bca", apply=True
    )

    [line] = matched_of(applied)
    assert (line["line"], line["order_number"], line["outcome"]) == (6, order["number"], "applied")
    assert (await read_guest_order(client, order))["payment_status"] == "paid"


async def test_two_open_transfers_of_one_amount_are_ambiguous_unless_a_line_names_one(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given two open transfers that (by a rare coincidence of totals) ask for the same amount
    shop = await open_shop(app, client)
    first = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    second = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    amount = first["payment"]["amount"]
    await set_amount(sessionmaker, second["payment"]["id"], amount)

    # when a line without an order number and a line naming the second order arrive
    preview = await upload_statement(
        client,
        shop.admin,
        generic_statement(
            ("2026-12-02", "SETORAN TUNAI", str(amount)),
            ("2026-12-02", f"TRF {second['number'].replace('-', '').lower()} SITI", str(amount)),
        ),
    )

    # then the named one is matched, and the other line is listed as ambiguous with both
    [line] = matched_of(preview)
    assert (line["line"], line["payment_id"]) == (3, second["payment"]["id"])
    [ambiguous] = preview.json()["unmatched"]
    assert (ambiguous["line"], ambiguous["reason"]) == (2, "several_open_payments_with_this_amount")
    assert sorted(ambiguous["candidates"]) == sorted(
        [first["payment"]["id"], second["payment"]["id"]]
    )


async def test_a_line_naming_an_order_with_another_amount_stays_unmatched(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 1)))

    preview = await upload_statement(
        client,
        shop.admin,
        generic_statement(("2026-12-02", f"TRF {order['number']}", str(order["total"]))),
        apply=True,
    )

    assert matched_of(preview) == []
    [line] = preview.json()["unmatched"]
    assert line["reason"] == "amount_differs_from_named_order"
    assert (await read_guest_order(client, order))["payment_status"] == "unpaid"


async def test_money_after_expiry_still_finds_its_order_by_number_and_revives_it(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given a transfer order that expired unpaid (its code given back)
    shop = await open_shop(app, client)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    await set_order_expiry(sessionmaker, order["id"], utcnow() - timedelta(minutes=1))
    assert await expire_due_orders(sessionmaker, app.state.gateways) == 1

    # when the statement shows the transfer, naming the order
    applied = await upload_statement(
        client,
        shop.admin,
        generic_statement(
            ("2026-12-03", f"TRF {order['number']}", str(order["payment"]["amount"]))
        ),
        apply=True,
    )

    # then it is confirmed and the order, its stock still there, carries on
    [line] = matched_of(applied)
    assert line["outcome"] == "revived"
    seen = await read_guest_order(client, order)
    assert (seen["status"], seen["payment_status"]) == ("processing", "paid")


async def test_two_admins_applying_one_statement_at_once_confirm_it_once(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    shop = await open_shop(app, client, stock=20)
    orders = [
        await placed_order(client, order_body(order_line(shop.variant_id, 1))) for _ in range(3)
    ]
    statement = generic_statement(
        *(("2026-12-02", "TRF", str(order["payment"]["amount"])) for order in orders)
    )

    responses = await asyncio.gather(
        *(upload_statement(client, shop.admin, statement, apply=True) for _ in range(4))
    )

    assert [response.status_code for response in responses] == [200] * 4
    outcomes = sorted(
        line.get("outcome") or line.get("reason")
        for response in responses
        for line in response.json()["matched"] + response.json()["unmatched"]
    )
    assert outcomes == ["already_applied"] * 9 + ["applied"] * 3
    assert await count_rows(sessionmaker, StatementLine) == 3
    for order in orders:
        assert (await read_guest_order(client, order))["payment_status"] == "paid"


async def test_unreadable_or_oversized_statements_are_refused_and_change_nothing(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    shop = await open_shop(app, client)
    admin = shop.admin

    wrong_format = await upload_statement(
        client, admin, generic_statement(("2026-12-02", "TRF", "5000")), statement_format="bri"
    )
    unknown_format = await upload_statement(client, admin, b"x", statement_format="bank_x")
    huge = await upload_statement(client, admin, b"date,description,amount\n" * 300_000)

    assert wrong_format.status_code == 422
    assert wrong_format.json()["type"].endswith("statement-unreadable")
    assert "bri" in wrong_format.json()["detail"]
    assert unknown_format.status_code == 422
    assert [e["loc"] for e in unknown_format.json()["errors"]] == [["body", "format"]]
    assert huge.status_code == 413
    assert await count_rows(sessionmaker, StatementLine) == 0


@pytest.fixture
def cli_database(migrated_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("MARKETPLACE_DATABASE_URL", migrated_database)
    monkeypatch.setenv("MARKETPLACE_ENVIRONMENT", "test")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


async def run_cli(*arguments: str) -> Result:
    def invoke() -> Result:
        return CliRunner().invoke(cli, list(arguments))

    return await asyncio.to_thread(invoke)


@pytest.mark.usefixtures("cli_database")
async def test_match_statement_command_previews_then_applies(
    app: FastAPI, client: AsyncClient, tmp_path: Path
) -> None:
    shop = await open_shop(app, client)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    file = tmp_path / "mutasi.csv"
    file.write_bytes(generic_statement(("2026-12-02", "TRF", str(order["payment"]["amount"]))))

    preview = await run_cli("match-statement", str(file))
    assert preview.exit_code == 0, preview.output
    assert order["number"] in preview.output
    assert "preview" in preview.output
    assert (await read_guest_order(client, order))["payment_status"] == "unpaid"

    refused = await run_cli("match-statement", str(file), "--apply")
    assert refused.exit_code == 2

    applied = await run_cli("match-statement", str(file), "--apply", "--admin", shop.admin.email)
    assert applied.exit_code == 0, applied.output
    assert "1 of 1 credits confirmed" in applied.output
    assert (await read_guest_order(client, order))["payment_status"] == "paid"
