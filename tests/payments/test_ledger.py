"""The sellers' ledger: credits for paid seller-orders less commission (held until they
settle), debits for refunds, payouts by admins out of what is available; a balance is always
the sum of its entries and payouts never overdraw it."""

from __future__ import annotations

import asyncio
from typing import Any, TypeVar

import pytest
from fastapi import FastAPI
from httpx import AsyncClient, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.factories import (
    Account,
    Shop,
    add_member,
    create_account,
    guest_headers,
    http_client,
    open_shop,
    order_body,
    order_line,
    placed_order,
    running_app,
    ship_seller_order,
)
from tests.payments import records
from tests.payments.conftest import payment_settings

Sessionmaker = async_sessionmaker[AsyncSession]
Result = TypeVar("Result")
TOTAL = 122_000  # two packs at Rp 55.000 and Rp 12.000 shipping to Pangkalpinang
COMMISSION = 5_500
BALANCE = TOTAL - COMMISSION


async def _confirmed_sale(client: AsyncClient, shop: Shop) -> dict[str, Any]:
    """A bank-transfer order of two packs, confirmed by the admin: the seller is credited."""
    order = await placed_order(client, order_body(order_line(shop.variant_id, 2)))
    confirmed = await client.post(
        f"/api/v1/admin/payments/{order['payment']['id']}/confirm", headers=shop.admin.headers
    )
    assert confirmed.status_code == 200, confirmed.text
    return order


async def _settled_sale(client: AsyncClient, shop: Shop) -> dict[str, Any]:
    """A paid order the seller shipped and the buyer confirmed: its money is available."""
    order = await _confirmed_sale(client, shop)
    part_id = order["seller_orders"][0]["id"]
    assert (await ship_seller_order(client, shop.owner, part_id)).status_code == 200
    received = await client.post(
        f"/api/v1/seller-orders/{part_id}/deliver", headers=guest_headers(order)
    )
    assert received.status_code == 200, received.text
    return order


async def _payout(
    client: AsyncClient, admin: Account, seller_id: str, amount: int, reference: str = "TRF-001"
) -> Response:
    return await client.post(
        f"/api/v1/admin/sellers/{seller_id}/payouts",
        json={"amount": amount, "bank_reference": reference},
        headers=admin.headers,
    )


async def test_members_and_admins_see_the_balance_and_the_entries_behind_it(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a seller credited for one paid order, with a staff member
    shop = await open_shop(app, client)
    order = await _confirmed_sale(client, shop)
    staff = await create_account(client)
    await add_member(client, shop.owner, shop.seller_id, staff.email)

    for viewer in (shop.owner, staff, shop.admin):
        # when each of them looks
        balance = await client.get(
            f"/api/v1/sellers/{shop.seller_id}/balance", headers=viewer.headers
        )
        entries = await client.get(
            f"/api/v1/sellers/{shop.seller_id}/ledger", headers=viewer.headers
        )

        # then they see the balance and that it is the sum of the entries
        assert balance.status_code == 200, balance.text
        assert balance.json() == {
            "seller_id": shop.seller_id,
            "currency": "IDR",
            "pending": BALANCE,
            "available": 0,
            "paid_out": 0,
            "balance": BALANCE,
        }
        assert entries.status_code == 200, entries.text
        items = entries.json()["items"]
        assert sum(item["amount"] for item in items) == BALANCE
        assert records.kinds_and_amounts(items) == [("commission", -COMMISSION), ("sale", TOTAL)]
        assert {item["reference"] for item in items} == {order["number"]}
        assert {item["currency"] for item in items} == {"IDR"}
        assert {item["seller_order_id"] for item in items} == {order["seller_orders"][0]["id"]}
        assert {item["bucket"] for item in items} == {"pending"}


async def test_strangers_and_anonymous_callers_cannot_see_a_balance(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    stranger = await create_account(client)
    unknown = "0190f0e0-0000-7000-8000-000000000000"

    for path in ("balance", "ledger"):
        url = f"/api/v1/sellers/{shop.seller_id}/{path}"
        assert (await client.get(url)).status_code == 401
        assert (await client.get(url, headers=stranger.headers)).status_code == 403
        missing = await client.get(f"/api/v1/sellers/{unknown}/{path}", headers=stranger.headers)
        assert missing.status_code == 404


async def test_ledger_pages_with_a_cursor_through_every_entry(
    app: FastAPI, client: AsyncClient
) -> None:
    # given three paid orders (six entries)
    shop = await open_shop(app, client, stock=20)
    for _ in range(3):
        await _confirmed_sale(client, shop)

    # when the ledger is read two entries at a time
    seen: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(4):
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = await client.get(
            f"/api/v1/sellers/{shop.seller_id}/ledger", params=params, headers=shop.owner.headers
        )
        assert page.status_code == 200, page.text
        seen.extend(page.json()["items"])
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break

    # then every entry comes once, newest first
    assert cursor is None
    assert len(seen) == 6
    assert len({entry["id"] for entry in seen}) == 6
    moments = [entry["created_at"] for entry in seen]
    assert moments == sorted(moments, reverse=True)


async def test_admin_records_a_payout_with_its_bank_reference_and_the_balance_drops(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a seller with Rp 116.500 available (the buyer confirmed receipt)
    shop = await open_shop(app, client)
    await _settled_sale(client, shop)

    # when an admin records Rp 100.000 sent to the seller's bank
    response = await _payout(client, shop.admin, shop.seller_id, 100_000, "BSB-2026-000123")

    # then it is a payout entry and Rp 16.500 is left
    assert response.status_code == 201, response.text
    entry = response.json()
    assert (entry["kind"], entry["amount"], entry["currency"]) == ("payout", -100_000, "IDR")
    assert entry["reference"] == "BSB-2026-000123"
    assert entry["seller_order_id"] is None
    assert await records.balance_of(client, shop.owner, shop.seller_id) == BALANCE - 100_000
    ledger_entries = await records.ledger_of(client, shop.owner, shop.seller_id)
    assert ("payout", -100_000) in records.kinds_and_amounts(ledger_entries)
    assert await records.balances_of(client, shop.owner, shop.seller_id) == {
        "pending": 0,
        "available": BALANCE - 100_000,
        "paid_out": 100_000,
    }


async def test_payout_above_the_balance_is_409_and_records_nothing(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    await _settled_sale(client, shop)

    response = await _payout(client, shop.admin, shop.seller_id, BALANCE + 1)

    assert response.status_code == 409
    assert response.json()["type"].endswith("payout-exceeds-balance")
    assert await records.balance_of(client, shop.owner, shop.seller_id) == BALANCE
    exact = await _payout(client, shop.admin, shop.seller_id, BALANCE, "TRF-ALL")
    assert exact.status_code == 201, exact.text
    assert await records.balance_of(client, shop.owner, shop.seller_id) == 0


async def test_only_admins_record_payouts(app: FastAPI, client: AsyncClient) -> None:
    shop = await open_shop(app, client)
    await _settled_sale(client, shop)
    body = {"amount": 1_000, "bank_reference": "TRF-001"}
    url = f"/api/v1/admin/sellers/{shop.seller_id}/payouts"

    anonymous = await client.post(url, json=body)
    owner = await client.post(url, json=body, headers=shop.owner.headers)

    assert anonymous.status_code == 401
    assert owner.status_code == 403
    assert await records.balance_of(client, shop.owner, shop.seller_id) == BALANCE


@pytest.mark.parametrize(
    "body",
    [
        {"amount": 0, "bank_reference": "TRF-001"},
        {"amount": -5, "bank_reference": "TRF-001"},
        {"amount": "1000", "bank_reference": "TRF-001"},
        {"amount": 1_000, "bank_reference": "  "},
        {"amount": 1_000},
    ],
    ids=["zero", "negative", "string", "blank-reference", "no-reference"],
)
async def test_payout_with_a_bad_body_is_422(
    app: FastAPI, client: AsyncClient, body: dict[str, Any]
) -> None:
    shop = await open_shop(app, client)
    await _settled_sale(client, shop)

    response = await client.post(
        f"/api/v1/admin/sellers/{shop.seller_id}/payouts", json=body, headers=shop.admin.headers
    )

    assert response.status_code == 422
    assert await records.balance_of(client, shop.owner, shop.seller_id) == BALANCE


async def test_payout_to_an_unknown_seller_is_404(app: FastAPI, client: AsyncClient) -> None:
    shop = await open_shop(app, client)

    response = await _payout(client, shop.admin, "0190f0e0-0000-7000-8000-000000000000", 1_000)

    assert response.status_code == 404


async def test_ten_concurrent_payouts_of_30_percent_never_overdraw(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a seller owed Rp 116.500
    shop = await open_shop(app, client)
    await _settled_sale(client, shop)
    share = BALANCE * 30 // 100

    # when ten payouts of 30 % each race
    responses = await asyncio.gather(
        *(_payout(client, shop.admin, shop.seller_id, share, f"TRF-{n:03d}") for n in range(10))
    )

    # then exactly three fit, the rest are refused, and the balance stays above zero
    codes = sorted(response.status_code for response in responses)
    assert codes == [201] * 3 + [409] * 7
    balance = await records.balance_of(client, shop.owner, shop.seller_id)
    assert balance == BALANCE - 3 * share
    assert balance >= 0


async def test_zero_commission_credits_the_whole_sale(
    app: FastAPI, migrated_database: str, localstripe_url: str
) -> None:
    # given a marketplace that charges no commission
    settings = payment_settings(
        migrated_database, localstripe_url, platform_commission_basis_points=0
    )
    async with running_app(settings) as free_app, http_client(free_app) as free_client:
        shop = await open_shop(free_app, free_client)

        # when an order is paid
        await _confirmed_sale(free_client, shop)

        # then the seller gets all of it, with no commission entry at all
        ledger_entries = await records.ledger_of(free_client, shop.owner, shop.seller_id)
        assert records.kinds_and_amounts(ledger_entries) == [("sale", TOTAL)]
        assert await records.balance_of(free_client, shop.owner, shop.seller_id) == TOTAL
