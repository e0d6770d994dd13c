"""The sellers' ledger: credits for paid seller-orders less commission, debits for refunds,
payouts by admins; a balance is always the sum of its entries and payouts never overdraw it."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest
from fastapi import FastAPI
from httpx import AsyncClient, Response
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.core.i18n import Language
from marketplace.db.session import begin_write_transaction
from marketplace.orders.models import (
    Order,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    SellerOrder,
    SellerOrderStatus,
    ShippingMethod,
)
from marketplace.payments import ledger
from marketplace.payments.models import LedgerEntry
from tests.factories import (
    Account,
    Shop,
    add_member,
    create_account,
    http_client,
    open_shop,
    order_body,
    order_line,
    placed_order,
    running_app,
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
            "balance": BALANCE,
            "currency": "IDR",
        }
        assert entries.status_code == 200, entries.text
        items = entries.json()["items"]
        assert sum(item["amount"] for item in items) == BALANCE
        assert records.kinds_and_amounts(items) == [("commission", -COMMISSION), ("sale", TOTAL)]
        assert {item["reference"] for item in items} == {order["number"]}
        assert {item["currency"] for item in items} == {"IDR"}
        assert {item["seller_order_id"] for item in items} == {order["seller_orders"][0]["id"]}


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
    # given a seller owed Rp 116.500
    shop = await open_shop(app, client)
    await _confirmed_sale(client, shop)

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


async def test_payout_above_the_balance_is_409_and_records_nothing(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    await _confirmed_sale(client, shop)

    response = await _payout(client, shop.admin, shop.seller_id, BALANCE + 1)

    assert response.status_code == 409
    assert response.json()["type"].endswith("payout-exceeds-balance")
    assert await records.balance_of(client, shop.owner, shop.seller_id) == BALANCE
    exact = await _payout(client, shop.admin, shop.seller_id, BALANCE, "TRF-ALL")
    assert exact.status_code == 201, exact.text
    assert await records.balance_of(client, shop.owner, shop.seller_id) == 0


async def test_only_admins_record_payouts(app: FastAPI, client: AsyncClient) -> None:
    shop = await open_shop(app, client)
    await _confirmed_sale(client, shop)
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
    await _confirmed_sale(client, shop)

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
    await _confirmed_sale(client, shop)
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


# --- The balance as a sum: a property over random sequences -------------------------------


@dataclass
class LedgerWorld:
    """One seller and one admin; each example inserts its own orders and seller-orders."""

    sessionmaker: Sessionmaker
    seller_id: uuid.UUID
    admin_id: uuid.UUID


@dataclass
class Sale:
    part: ledger.PaidPart
    reference: str
    refunded: bool = False


@dataclass
class Model:
    """What the balance must be, computed without the database."""

    basis_points: int
    balance: int = 0
    sales: list[Sale] = field(default_factory=list)


_order_numbers = itertools.count(1)


@pytest.fixture
async def ledger_world(app: FastAPI, client: AsyncClient) -> LedgerWorld:
    shop = await open_shop(app, client)
    return LedgerWorld(
        sessionmaker=app.state.sessionmaker,
        seller_id=uuid.UUID(shop.seller_id),
        admin_id=uuid.UUID(shop.admin.id),
    )


async def _in_transaction(
    world: LedgerWorld, work: Callable[[AsyncSession], Awaitable[Result]]
) -> Result:
    """One unit of work in its own transaction, as a request or a webhook runs it."""
    async with world.sessionmaker() as session:
        await begin_write_transaction(session)
        try:
            result = await work(session)
        except BaseException:
            await session.rollback()
            raise
        await session.commit()
        return result


async def _new_seller_order(world: LedgerWorld, goods: int, shipping: int) -> Sale:
    """An order with one seller-order for ``goods`` + ``shipping``, inserted directly."""
    number = f"LP{next(_order_numbers):06d}-{uuid.uuid4().hex[:6].upper()}"

    async def insert(session: AsyncSession) -> uuid.UUID:
        order = Order(
            number=number,
            buyer_name="Budi Santoso",
            buyer_email="budi@contoh.id",
            buyer_phone="081234567890",
            language=Language.INDONESIAN,
            recipient="Budi Santoso",
            recipient_phone="081234567890",
            street="Jl. Jenderal Sudirman No. 5",
            village="Batin Tikal",
            district="Taman Sari",
            city="Kota Pangkalpinang",
            province="Kepulauan Bangka Belitung",
            postal_code="33121",
            payment_method=PaymentMethod.BANK_TRANSFER,
            shipping_method=ShippingMethod.COURIER,
            status=OrderStatus.PROCESSING,
            payment_status=PaymentStatus.PAID,
            subtotal=goods,
            shipping_total=shipping,
            total=goods + shipping,
        )
        session.add(order)
        await session.flush()
        part = SellerOrder(
            order_id=order.id,
            seller_id=world.seller_id,
            status=SellerOrderStatus.TO_SHIP,
            subtotal=goods,
            shipping=shipping,
            weight_grams=500,
        )
        session.add(part)
        await session.flush()
        return part.id

    part_id = await _in_transaction(world, insert)
    part = ledger.PaidPart(
        seller_order_id=part_id, seller_id=world.seller_id, goods=goods, shipping=shipping
    )
    return Sale(part=part, reference=number)


async def _balance_and_sum(world: LedgerWorld) -> tuple[int, int]:
    async with world.sessionmaker() as session:
        balance = await ledger.balance(session, world.seller_id)
        amounts = (
            await session.execute(
                select(LedgerEntry.amount).where(LedgerEntry.seller_id == world.seller_id)
            )
        ).scalars()
        return balance, sum(amounts)


async def _credit(world: LedgerWorld, model: Model, sale: Sale) -> None:
    await _in_transaction(
        world,
        lambda session: ledger.credit_sale(session, sale.part, model.basis_points, sale.reference),
    )


async def _refund(world: LedgerWorld, model: Model, sale: Sale) -> None:
    await _in_transaction(
        world,
        lambda session: ledger.debit_refund(
            session, sale.part, model.basis_points, f"{sale.reference}:buyer"
        ),
    )


async def _step(world: LedgerWorld, model: Model, operation: tuple[Any, ...]) -> None:
    """Apply one operation to the ledger and to the model."""
    kind = operation[0]
    if kind == "sale":
        sale = await _new_seller_order(world, operation[1], operation[2])
        await _credit(world, model, sale)
        model.sales.append(sale)
        goods = sale.part.goods
        model.balance += (
            goods + sale.part.shipping - ledger.commission_on(goods, model.basis_points)
        )
    elif kind in ("replay_sale", "refund") and model.sales:
        sale = model.sales[operation[1] % len(model.sales)]
        if kind == "replay_sale":
            await _credit(world, model, sale)
        else:
            await _refund(world, model, sale)
            if not sale.refunded:
                sale.refunded = True
                goods = sale.part.goods
                model.balance -= (
                    goods + sale.part.shipping - ledger.commission_on(goods, model.basis_points)
                )
    elif kind == "refund_never_paid":
        await _refund(world, model, await _new_seller_order(world, operation[1], 0))
    elif kind == "payout":
        await _payout_step(world, model, operation[1])


async def _payout_step(world: LedgerWorld, model: Model, fraction: float) -> None:
    """A fraction of what is owed is paid out; with nothing owed, any payout is refused."""
    amount = max(1, int(model.balance * fraction))

    def pay(session: AsyncSession) -> Awaitable[LedgerEntry]:
        return ledger.record_payout(session, world.seller_id, amount, "TRF-PROP", world.admin_id)

    if amount > model.balance:
        with pytest.raises(ledger.PayoutExceedsBalance):
            await _in_transaction(world, pay)
    else:
        await _in_transaction(world, pay)
        model.balance -= amount
        assert model.balance >= 0


OPERATIONS = st.one_of(
    st.tuples(st.just("sale"), st.integers(1, 5_000_000), st.integers(0, 150_000)),
    st.tuples(st.just("refund"), st.integers(0, 40)),
    st.tuples(st.just("replay_sale"), st.integers(0, 40)),
    st.tuples(st.just("refund_never_paid"), st.integers(1, 1_000_000)),
    st.tuples(st.just("payout"), st.floats(0.0, 1.5, allow_nan=False)),
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    basis_points=st.sampled_from([0, 1, 500, 1_250, 10_000]),
    operations=st.lists(OPERATIONS, min_size=1, max_size=20),
)
async def test_balance_is_always_the_sum_of_its_entries_whatever_happens(
    ledger_world: LedgerWorld, basis_points: int, operations: list[tuple[Any, ...]]
) -> None:
    # given a seller with an empty ledger (each example starts afresh)
    async def empty(session: AsyncSession) -> None:
        await session.execute(
            delete(LedgerEntry).where(LedgerEntry.seller_id == ledger_world.seller_id)
        )

    await _in_transaction(ledger_world, empty)
    model = Model(basis_points=basis_points)
    paid_out = refunded_after_payout = False

    for operation in operations:
        # when one more sale, refund, replay or payout happens
        await _step(ledger_world, model, operation)

        # then the balance is the sum of the entries and what the model expects
        balance, total = await _balance_and_sum(ledger_world)
        assert balance == total == model.balance, operation
        paid_out |= operation[0] == "payout"
        refunded_after_payout |= paid_out and operation[0] == "refund"
        if not refunded_after_payout:
            # Payouts never overdraw; only refunding money already paid out leaves the
            # seller owing (and then every further payout is refused, see _payout_step).
            assert balance >= 0

    # and replaying every sale and refund once more changes nothing
    for sale in model.sales:
        await _credit(ledger_world, model, sale)
        if sale.refunded:
            await _refund(ledger_world, model, sale)
    assert await _balance_and_sum(ledger_world) == (model.balance, model.balance)
