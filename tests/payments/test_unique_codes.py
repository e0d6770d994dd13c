"""Unique codes of bank transfers: 1..999, never shared by two open transfers however many
buyers order at once, given back when the transfer is paid or void, and booked in the
platform's ledger (as income, or as a discount when configured so)."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import delete, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.config import UniqueCodeBooking
from marketplace.db.pending_inserts import built_in_full, column_values
from marketplace.payments import transfer_codes
from marketplace.payments.models import (
    Payment,
    PaymentAttemptStatus,
    PaymentMethod,
    TransferCode,
)
from tests.conftest import make_settings
from tests.factories import (
    confirm_payment,
    guest_headers,
    http_client,
    open_shop,
    order_body,
    order_line,
    place_order,
    placed_order,
    running_app,
    variant_stock,
)


async def held_codes(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[int, str]:
    async with sessionmaker() as session:
        rows = (await session.execute(select(TransferCode.code, TransferCode.payment_id))).all()
    return {code: str(payment_id) for code, payment_id in rows}


async def test_fifty_transfer_orders_at_once_get_fifty_different_codes(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given pepper with plenty of stock
    shop = await open_shop(app, client, stock=500)
    body = order_body(order_line(shop.variant_id, 1))

    # when 50 guests order by transfer at the same moment
    responses = await asyncio.gather(*(place_order(client, body) for _ in range(50)))

    # then every order was placed, each asked for its own amount
    assert Counter(response.status_code for response in responses) == {201: 50}
    payments = [response.json()["payment"] for response in responses]
    codes = [payment["unique_code"] for payment in payments]
    assert len(set(codes)) == 50
    assert all(1 <= code <= 999 for code in codes)
    assert len({payment["amount"] for payment in payments}) == 50
    assert {payment["amount"] - payment["unique_code"] for payment in payments} == {
        responses[0].json()["total"]
    }
    # and the codes held are exactly those, one per payment
    held = await held_codes(sessionmaker)
    assert held == {payment["unique_code"]: payment["id"] for payment in payments}


async def test_a_confirmed_transfer_gives_its_code_back_and_books_it_as_income(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    shop = await open_shop(app, client)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    code = order["payment"]["unique_code"]

    confirmed = await confirm_payment(client, shop.admin, order["payment"]["id"])

    assert confirmed.status_code == 200, confirmed.text
    assert await held_codes(sessionmaker) == {}
    ledger = (await client.get("/api/v1/admin/platform-ledger", headers=shop.admin.headers)).json()
    assert ledger["balance"] == code
    [entry] = ledger["items"]
    assert (entry["kind"], entry["amount"], entry["reference"]) == (
        "unique_code_income",
        code,
        order["number"],
    )


async def test_cancelled_transfer_gives_its_code_back_and_books_nothing(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    shop = await open_shop(app, client)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 1)))

    cancelled = await client.post(
        f"/api/v1/orders/{order['id']}/cancel", headers=guest_headers(order)
    )

    assert cancelled.status_code == 200, cancelled.text
    assert await held_codes(sessionmaker) == {}
    ledger = (await client.get("/api/v1/admin/platform-ledger", headers=shop.admin.headers)).json()
    assert (ledger["items"], ledger["balance"]) == ([], 0)


async def test_switching_to_a_new_transfer_attempt_moves_the_order_to_a_new_code(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    shop = await open_shop(app, client)
    order = await placed_order(client, order_body(order_line(shop.variant_id, 1)))

    again = await client.post(
        f"/api/v1/orders/{order['id']}/payments",
        json={"payment_method": "bank_transfer"},
        headers={**guest_headers(order), "Idempotency-Key": "a3c1f7e2-0000-4000-8000-000000000001"},
    )

    assert again.status_code == 201, again.text
    payment = again.json()
    assert payment["amount"] == order["total"] + payment["unique_code"]
    assert payment["instructions"]["reference"] == f"{order['number']}-2"
    assert await held_codes(sessionmaker) == {payment["unique_code"]: payment["id"]}


@pytest.fixture
async def discount_app(migrated_database: str, app: FastAPI) -> AsyncIterator[FastAPI]:
    """An instance that gives the unique code as a discount (same database as ``app``)."""
    settings = make_settings(migrated_database, bank_transfer_unique_code_booking="discount")
    async with running_app(settings) as application:
        yield application


async def test_codes_as_a_discount_lower_the_amount_and_are_booked_as_the_platforms_cost(
    discount_app: FastAPI,
) -> None:
    async with http_client(discount_app) as client:
        shop = await open_shop(discount_app, client)
        order = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
        payment = order["payment"]
        assert payment["amount"] == order["total"] - payment["unique_code"]
        assert payment["instructions"]["unique_code_booking"] == "discount"

        assert (await confirm_payment(client, shop.admin, payment["id"])).status_code == 200

        ledger = await client.get("/api/v1/admin/platform-ledger", headers=shop.admin.headers)
        [entry] = ledger.json()["items"]
        assert (entry["kind"], entry["amount"]) == ("unique_code_discount", -payment["unique_code"])
        assert ledger.json()["balance"] == -payment["unique_code"]


async def test_a_discount_never_takes_an_order_to_zero_and_503_when_no_code_is_left(
    discount_app: FastAPI, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given a Rp 2 item picked up in person: the only code a discount allows is 1
    async with http_client(discount_app) as client:
        shop = await open_shop(discount_app, client, price=2)
        body = order_body(order_line(shop.variant_id, 1), shipping_method="pickup")
        first = await placed_order(client, body)
        assert (first["total"], first["payment"]["unique_code"], first["payment"]["amount"]) == (
            2,
            1,
            1,
        )

        # when a second buyer orders the same while the first transfer is open
        second = await place_order(client, body)

        # then no code is free: a precise 503, and no second order
        assert second.status_code == 503, second.text
        assert second.json()["type"].endswith("transfer-codes-exhausted")
        assert await held_codes(sessionmaker) == {1: first["payment"]["id"]}


async def two_payments_without_codes(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> list[uuid.UUID]:
    """Two open transfers whose codes were given back, so both may take any code again."""
    shop = await open_shop(app, client)
    orders = [await placed_order(client, order_body(order_line(shop.variant_id, 1))) for _ in "ab"]
    async with sessionmaker() as session, session.begin():
        await session.execute(delete(TransferCode))
    return [uuid.UUID(order["payment"]["id"]) for order in orders]


@pytest.mark.parametrize("first_commits", [True, False])
async def test_a_code_held_by_an_uncommitted_transfer_waits_and_is_never_given_twice(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    first_commits: bool,  # noqa: FBT001
) -> None:
    # given two transfers and one code they may take (a discount on a total of 2 allows only 1)
    first_payment, second_payment = await two_payments_without_codes(app, client, sessionmaker)
    booking = UniqueCodeBooking.DISCOUNT
    async with sessionmaker() as first, sessionmaker() as second:
        # when the first takes it and has not committed yet while the second tries
        assert await transfer_codes.allocate(first, first_payment, 2, booking) == 1
        trying = asyncio.create_task(transfer_codes.allocate(second, second_payment, 2, booking))
        await asyncio.sleep(0.3)
        await (first.commit() if first_commits else first.rollback())

        # then the second gets the code only if the first gave it up, else none (a 503)
        if first_commits:
            with pytest.raises(transfer_codes.NoFreeTransferCode):
                await trying
        else:
            assert await trying == 1
        # and its transaction is still usable: no failed insert aborted it
        assert (await second.execute(text("SELECT 1"))).scalar_one() == 1
        await second.commit()
    expected = first_payment if first_commits else second_payment
    assert await held_codes(sessionmaker) == {1: str(expected)}


async def hold_codes(
    session: AsyncSession, order_id: uuid.UUID, codes: list[int], *, commit: bool = True
) -> None:
    """``codes`` held by transfers of their own (of the order ``order_id``)."""
    payments = [
        built_in_full(
            Payment(
                order_id=order_id,
                method=PaymentMethod.BANK_TRANSFER,
                status=PaymentAttemptStatus.PENDING,
                amount=10_000 + code,
                reference=f"HOLD-{code}",
            )
        )
        for code in codes
    ]
    await session.execute(insert(Payment), [column_values(p) for p in payments])
    rows = [{"code": c, "payment_id": p.id} for c, p in zip(codes, payments, strict=True)]
    await session.execute(insert(TransferCode), rows)
    if commit:
        await session.commit()


@pytest.mark.parametrize("holder_commits", [True, False])
async def test_a_checkout_whose_code_an_uncommitted_transfer_holds_waits_for_it(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    is_postgres: bool,
    holder_commits: bool,  # noqa: FBT001
) -> None:
    """On PostgreSQL a checkout's first statement writes the order, its payment and a free
    code together; a code an uncommitted transfer took meanwhile makes that statement wait,
    then go on without a code (taken by the usual tries) or with it."""
    if not is_postgres:
        pytest.skip("the payment is written with the order's first statement on PostgreSQL only")
    # given every code but one held, and an uncommitted transfer holding that last one
    shop = await open_shop(app, client, stock=5)
    first = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    last_free = 999 if first["payment"]["unique_code"] != 999 else 998
    others = set(range(1, 1000)) - {first["payment"]["unique_code"], last_free}
    async with sessionmaker() as session:
        await hold_codes(session, uuid.UUID(first["id"]), sorted(others))
    async with sessionmaker() as holder:
        await hold_codes(holder, uuid.UUID(first["id"]), [last_free], commit=False)

        # when a buyer checks out while that transfer is still open
        checkout = asyncio.create_task(
            place_order(client, order_body(order_line(shop.variant_id, 2)))
        )
        await asyncio.sleep(0.3)
        await (holder.commit() if holder_commits else holder.rollback())
        placed = await checkout

    # then it took the code once the holder gave it up, else no code was left: a 503 that
    # wrote nothing
    if holder_commits:
        assert placed.status_code == 503, placed.text
        assert placed.json()["type"].endswith("transfer-codes-exhausted")
        assert await variant_stock(sessionmaker, shop.variant_id) == 4
        assert len(await held_codes(sessionmaker)) == 999
    else:
        assert placed.status_code == 201, placed.text
        assert placed.json()["payment"]["unique_code"] == last_free
        assert placed.json()["payment"]["amount"] == placed.json()["total"] + last_free
        assert await variant_stock(sessionmaker, shop.variant_id) == 2
