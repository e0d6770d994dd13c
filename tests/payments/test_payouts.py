"""Payout bank accounts (a list of Indonesian banks, history kept, owners e-mailed on every
change) and the CSV batch of payouts a treasurer uploads to the bank."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.factories import Account, Shop, add_member, create_account, open_shop
from tests.payments import records
from tests.payments.escrow_steps import buyer_confirms, paid_transfer_order, shipped

Sessionmaker = async_sessionmaker[AsyncSession]
NET = 122_000 - 5_500
ACCOUNT = {"bank_code": "120", "account_number": "1500012345", "account_holder": "KIM Lada Muntok"}


async def _set_account(
    client: AsyncClient, member: Account, seller_id: str, body: dict[str, Any]
) -> Response:
    return await client.put(
        f"/api/v1/sellers/{seller_id}/payout-account", json=body, headers=member.headers
    )


async def _settled_sale(client: AsyncClient, shop: Shop) -> None:
    order = await paid_transfer_order(client, shop)
    await shipped(client, shop, order)
    assert (await buyer_confirms(client, order)).status_code == 200


async def test_banks_are_listed_by_clearing_code(client: AsyncClient) -> None:
    response = await client.get("/api/v1/banks")

    assert response.status_code == 200
    banks = {bank["code"]: bank["name"] for bank in response.json()}
    assert banks["120"] == "Bank Sumsel Babel"
    assert banks["014"] == "Bank Central Asia (BCA)"
    assert banks["451"] == "Bank Syariah Indonesia (BSI)"


async def test_owner_changes_the_payout_account_history_is_kept_and_every_owner_is_emailed(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given a seller with two owners and a staff member, paid into Bank Sumsel Babel
    shop = await open_shop(app, client)
    co_owner = await create_account(client)
    staff = await create_account(client)
    await add_member(client, shop.owner, shop.seller_id, co_owner.email, role="owner")
    await add_member(client, shop.owner, shop.seller_id, staff.email, role="staff")
    assert (await _set_account(client, shop.owner, shop.seller_id, ACCOUNT)).status_code == 200

    # when the co-owner moves payouts to BRI
    moved = await _set_account(
        client,
        co_owner,
        shop.seller_id,
        {"bank_code": "002", "account_number": "002101000123456", "account_holder": "Siti Aminah"},
    )

    # then BRI is current, Bank Sumsel Babel is in the history, and both owners were told
    assert moved.status_code == 200, moved.text
    assert moved.json()["bank_name"] == "Bank Rakyat Indonesia (BRI)"
    seen = await client.get(
        f"/api/v1/sellers/{shop.seller_id}/payout-account", headers=staff.headers
    )
    assert seen.json()["current"]["account_number"] == "002101000123456"
    assert [a["bank_code"] for a in seen.json()["history"]] == ["002", "120"]
    emails = await records.emails_with_template(sessionmaker, "payout_account_changed")
    assert sorted(email.recipient for email in emails) == sorted(
        [shop.owner.email, co_owner.email] * 2
    )
    assert staff.email not in {email.recipient for email in emails}
    assert any("•••••••••••3456" in email.body_text for email in emails)
    assert all("002101000123456" not in email.body_text for email in emails)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({**ACCOUNT, "bank_code": "999"}, "unknown-bank"),
        ({**ACCOUNT, "bank_code": "BCA"}, "validation-error"),
        ({**ACCOUNT, "account_number": "15000-12345"}, "validation-error"),
        ({**ACCOUNT, "account_number": "1234"}, "validation-error"),
        ({**ACCOUNT, "account_holder": " "}, "validation-error"),
        ({"bank_code": "120", "account_number": "1500012345"}, "validation-error"),
    ],
    ids=["unknown-bank", "letters", "dash", "too-short", "blank-holder", "no-holder"],
)
async def test_bad_payout_account_is_422_and_keeps_the_old_one(
    app: FastAPI, client: AsyncClient, body: dict[str, Any], problem: str
) -> None:
    shop = await open_shop(app, client)
    assert (await _set_account(client, shop.owner, shop.seller_id, ACCOUNT)).status_code == 200

    response = await _set_account(client, shop.owner, shop.seller_id, body)

    assert response.status_code == 422, response.text
    assert response.json()["type"].endswith(problem)
    seen = await client.get(
        f"/api/v1/sellers/{shop.seller_id}/payout-account", headers=shop.owner.headers
    )
    assert len(seen.json()["history"]) == 1


async def test_staff_cannot_change_the_payout_account(app: FastAPI, client: AsyncClient) -> None:
    shop = await open_shop(app, client)
    staff = await create_account(client)
    await add_member(client, shop.owner, shop.seller_id, staff.email, role="staff")

    response = await _set_account(client, staff, shop.seller_id, ACCOUNT)

    assert response.status_code == 403
    seen = await client.get(
        f"/api/v1/sellers/{shop.seller_id}/payout-account", headers=shop.owner.headers
    )
    assert seen.json() == {"current": None, "history": []}


async def test_payout_batch_lists_sellers_with_money_available_and_an_account(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a seller with a settled sale and an account, one with only held money, and one
    # with a settled sale but no account
    lada = await open_shop(app, client)
    madu = await open_shop(app, client, admin=lada.admin, seller_name="KUB Madu Pelawan")
    kopi = await open_shop(app, client, admin=lada.admin, seller_name="KIM Kopi Manggar")
    await _settled_sale(client, lada)
    await paid_transfer_order(client, madu)
    await _settled_sale(client, kopi)
    holder = '=HYPERLINK("http://x")'
    for shop, name in ((lada, "KIM Lada Muntok"), (madu, "KUB Madu Pelawan"), (kopi, holder)):
        if shop is not kopi:
            body = {**ACCOUNT, "account_holder": name}
            assert (await _set_account(client, shop.owner, shop.seller_id, body)).status_code == 200

    # when the treasurer downloads the batch
    response = await client.get("/api/v1/admin/payouts/export.csv", headers=lada.admin.headers)

    # then only the seller that can be paid is in it, with all of its available money
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows == [
        {
            "seller_id": lada.seller_id,
            "seller_name": "KIM Lada Muntok",
            "bank_code": "120",
            "bank_name": "Bank Sumsel Babel",
            "account_number": "1500012345",
            "account_holder": "KIM Lada Muntok",
            "amount": str(NET),
            "currency": "IDR",
        }
    ]
    # and a holder name that a spreadsheet would run as a formula stays text
    body = {**ACCOUNT, "account_holder": holder}
    assert (await _set_account(client, kopi.owner, kopi.seller_id, body)).status_code == 200
    response = await client.get("/api/v1/admin/payouts/export.csv", headers=lada.admin.headers)
    holders = {row["account_holder"] for row in csv.DictReader(io.StringIO(response.text))}
    assert "'" + holder in holders
