"""The escrow rules as a state machine: random sequences of orders (transfer or cash on
delivery), payment, shipping, delivery by the seller or the buyer, complaints and their
resolution (refund, partial refund, release), cancellations, settlement sweeps and payouts,
against the real app and database. A model predicts every response and every balance; after
each step the invariants of the issue are checked in the database:

- the balance is the sum of the ledger entries (and matches the model);
- nothing pending is ever paid out (a payout is accepted exactly when it fits ``available``);
- cash-on-delivery goods money is never held nor available (no sale or settlement entries);
- every seller-order settles at most once;
- refunds never exceed what was paid.

Hypothesis drives the machine from a worker thread; each step runs on the tests' event loop.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections import Counter
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import FastAPI
from httpx import AsyncClient, Response
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.orders.models import Order, SellerOrder
from marketplace.payments.ledger import commission_on
from marketplace.payments.models import (
    LedgerEntry,
    LedgerKind,
    Payment,
    PaymentMethod,
    Refund,
    SellerOrderSettlement,
)
from tests.factories import (
    Account,
    Shop,
    confirm_payment,
    create_admin,
    create_category,
    guest_headers,
    open_shop,
    order_body,
    order_line,
    placed_order,
    ship_seller_order,
)
from tests.payments.conftest import COMMISSION_BASIS_POINTS
from tests.payments.escrow_steps import complain, deliver, payout, resolve, sweep

Result = TypeVar("Result")
Sessionmaker = async_sessionmaker[AsyncSession]
MAX_EXAMPLES = 30
STEPS = 20
STATISTICS: dict[str, int] = {"examples": 0, "longest": 0, "steps": 0}
EVENTS: Counter[str] = Counter()  # what the sequences did, e.g. "payout 409", "settled"


@dataclass
class Part:
    """The model of one order's only seller-order and of its money."""

    order: dict[str, Any]
    cash: bool
    goods: int
    shipping: int
    status: str = "pending"  # pending, to_ship, shipped, delivered, cancelled
    order_cancelled: bool = False
    paid: bool = False
    settled: bool = False
    complaint: str | None = None  # None, open, resolved
    complaint_id: str | None = None
    refunded: int = 0
    charged: int = 0
    returned: int = 0
    pending: int = 0  # what the ledger holds for it
    refunds_paid_back: int = field(default=0)

    @property
    def id(self) -> str:
        return str(self.order["seller_orders"][0]["id"])

    @property
    def total(self) -> int:
        return self.goods + self.shipping

    @property
    def refundable(self) -> int:
        return self.total - self.refunded if self.paid else 0


@dataclass
class World:
    app: FastAPI
    client: AsyncClient
    admin: Account
    loop: asyncio.AbstractEventLoop
    sellers: int = 0

    def run(self, work: Coroutine[Any, Any, Result]) -> Result:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(timeout=120)


class EscrowMachine(RuleBasedStateMachine):
    world: World

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[Part] = []
        self.available = 0
        self.paid_out = 0
        self.steps = 0
        self.shop: Shop | None = None
        STATISTICS["examples"] += 1

    @initialize()
    def open_a_fresh_shop(self) -> None:
        self.world.sellers += 1
        self.shop = self.world.run(
            open_shop(
                self.world.app,
                self.world.client,
                admin=self.world.admin,
                seller_name=f"KIM Uji {self.world.sellers}",
                stock=1_000,
            )
        )

    # --- helpers --------------------------------------------------------------------------

    @property
    def s(self) -> Shop:
        assert self.shop is not None
        return self.shop

    def _count_step(self) -> None:
        self.steps += 1
        STATISTICS["steps"] += 1
        STATISTICS["longest"] = max(STATISTICS["longest"], self.steps)

    def _pick(self, index: int, fits: Callable[[Part], bool] | None = None) -> Part:
        """Mostly a part the operation fits (so sequences go deep); now and then any part,
        so refusals are exercised too."""
        candidates = [part for part in self.parts if fits(part)] if fits else []
        if candidates and index % 5:
            return candidates[index % len(candidates)]
        return self.parts[index % len(self.parts)]

    def _settle(self, part: Part) -> None:
        EVENTS["settled"] += 1
        part.settled = True
        self.available += part.pending
        part.pending = 0

    def _expect(self, response: Response, expected: int) -> None:
        assert response.status_code == expected, (expected, response.status_code, response.text)
        EVENTS[f"{sys._getframe(1).f_code.co_name} {expected}"] += 1  # noqa: SLF001

    # --- rules ----------------------------------------------------------------------------

    @rule(cash=st.booleans(), quantity=st.integers(1, 3), stage=st.integers(0, 3))
    def place(self, cash: bool, quantity: int, stage: int) -> None:
        """A new order, taken ``stage`` steps along the happy path (paid, shipped, delivered)
        so that sequences reach settlement, complaints and payouts quickly."""
        self._count_step()
        method = "cod" if cash else "bank_transfer"
        order = self.world.run(
            placed_order(
                self.world.client,
                order_body(order_line(self.s.variant_id, quantity), payment_method=method),
            )
        )
        seller_order = order["seller_orders"][0]
        part = Part(
            order=order,
            cash=cash,
            goods=seller_order["subtotal"],
            shipping=seller_order["shipping"],
        )
        part.status = "to_ship" if cash else "pending"
        self.parts.append(part)
        steps = [self._ship, self._seller_delivers] if cash else [self._pay, self._ship]
        if not cash:
            steps.append(self._seller_delivers)
        for step in steps[:stage]:
            step(part)

    @precondition(lambda self: self.parts)
    @rule(index=st.integers(0, 50))
    def pay(self, index: int) -> None:
        part = self._pick(index, lambda p: not p.cash and not p.paid and not p.order_cancelled)
        if part.cash or part.order_cancelled:
            return  # not a transfer that can be confirmed (covered by the orders tests)
        self._count_step()
        self._pay(part)

    def _pay(self, part: Part) -> None:
        response = self.world.run(
            confirm_payment(self.world.client, self.s.admin, part.order["payment"]["id"])
        )
        if part.paid:
            self._expect(response, 409)
            return
        self._expect(response, 200)
        part.paid = True
        part.status = "to_ship"
        part.charged = commission_on(part.goods, COMMISSION_BASIS_POINTS)
        part.pending += part.total - part.charged

    @precondition(lambda self: self.parts)
    @rule(index=st.integers(0, 50))
    def cancel(self, index: int) -> None:
        self._count_step()
        part = self._pick(index, lambda p: p.status in ("pending", "to_ship"))
        response = self.world.run(
            self.world.client.post(
                f"/api/v1/orders/{part.order['id']}/cancel", headers=guest_headers(part.order)
            )
        )
        if part.status in ("shipped", "delivered") or part.order_cancelled:
            self._expect(response, 409)
            return
        self._expect(response, 200)
        part.order_cancelled = True
        part.status = "cancelled"
        if part.paid:
            self._refund(part, part.refundable)

    @precondition(lambda self: self.parts)
    @rule(index=st.integers(0, 50))
    def ship(self, index: int) -> None:
        self._count_step()
        part = self._pick(index, lambda p: p.status == "to_ship")
        self._ship(part)

    def _ship(self, part: Part) -> None:
        response = self.world.run(ship_seller_order(self.world.client, self.s.owner, part.id))
        self._expect(response, 200 if part.status == "to_ship" else 409)
        if part.status == "to_ship":
            part.status = "shipped"

    @precondition(lambda self: self.parts)
    @rule(index=st.integers(0, 50))
    def seller_delivers(self, index: int) -> None:
        self._count_step()
        part = self._pick(
            index,
            lambda p: p.status == "shipped" or (p.cash and not p.paid and p.status == "delivered"),
        )
        self._seller_delivers(part)

    def _seller_delivers(self, part: Part) -> None:
        response = self.world.run(deliver(self.world.client, part.id, self.s.owner.headers))
        collect = part.cash and not part.paid
        if part.status == "shipped" or (part.status == "delivered" and collect):
            self._expect(response, 200)
            part.status = "delivered"
            if collect:
                part.paid = True
                part.charged = commission_on(part.goods, COMMISSION_BASIS_POINTS)
                self.available -= part.charged
        else:
            self._expect(response, 409)

    @precondition(lambda self: self.parts)
    @rule(index=st.integers(0, 50))
    def buyer_confirms(self, index: int) -> None:
        self._count_step()
        part = self._pick(index, lambda p: p.status in ("shipped", "delivered") and not p.settled)
        response = self.world.run(deliver(self.world.client, part.id, guest_headers(part.order)))
        can_settle = not part.settled and part.complaint != "open"
        if part.status in ("shipped", "delivered") and can_settle:
            self._expect(response, 200)
            part.status = "delivered"
            self._settle(part)
        else:
            self._expect(response, 409)

    @precondition(lambda self: self.parts)
    @rule(index=st.integers(0, 50))
    def complain(self, index: int) -> None:
        self._count_step()
        part = self._pick(
            index,
            lambda p: p.status in ("shipped", "delivered") and not p.settled and not p.complaint,
        )
        response = self.world.run(complain(self.world.client, part.id, guest_headers(part.order)))
        allowed = part.status in ("shipped", "delivered") and not part.settled
        if allowed and part.complaint is None:
            self._expect(response, 201)
            part.complaint = "open"
            part.complaint_id = response.json()["id"]
        else:
            self._expect(response, 409)

    @precondition(lambda self: any(part.complaint_id for part in self.parts))
    @rule(
        index=st.integers(0, 50),
        outcome=st.sampled_from(["refund", "partial_refund", "release"]),
        share=st.floats(0.01, 1.2, allow_nan=False),
    )
    def resolve(self, index: int, outcome: str, share: float) -> None:
        self._count_step()
        with_complaint = [part for part in self.parts if part.complaint_id]
        open_ones = [part for part in with_complaint if part.complaint == "open"]
        pool = open_ones if open_ones and index % 5 else with_complaint
        part = pool[index % len(pool)]
        amount = max(1, int(part.total * share)) if outcome == "partial_refund" else None
        assert part.complaint_id is not None
        response = self.world.run(
            resolve(self.world.client, self.s.admin, part.complaint_id, outcome, amount)
        )
        wanted = 0 if outcome == "release" else (amount or part.refundable)
        if part.complaint != "open":
            self._expect(response, 409)
            return
        if outcome != "release" and not 0 < wanted <= part.refundable:
            self._expect(response, 409)
            return
        self._expect(response, 200)
        part.complaint = "resolved"
        if wanted:
            self._refund(part, wanted)
        self._settle(part)

    @precondition(lambda self: self.parts)
    @rule(hold_days=st.sampled_from([0, 3]))
    def settlement_sweep(self, hold_days: int) -> None:
        self._count_step()
        due = [
            part
            for part in self.parts
            if part.status == "delivered" and not part.settled and part.complaint != "open"
        ]
        settled = self.world.run(sweep(self.world.app, hold_days))
        # The sweep is global: parts of earlier examples' shops may settle in it too.
        if hold_days == 0:
            assert settled >= len(due)
            for part in due:
                self._settle(part)
        else:
            assert settled == 0  # nothing anywhere was delivered three days ago

    @precondition(lambda self: self.parts)
    @rule(share=st.floats(0.0, 1.5, allow_nan=False), fixed=st.integers(1, 300_000))
    def pay_out(self, share: float, fixed: int) -> None:
        self._count_step()
        amount = max(1, int(self.available * share)) if self.available > 0 else fixed
        response = self.world.run(
            payout(self.world.client, self.s.admin, self.s.seller_id, amount, f"TRF-{uuid.uuid4()}")
        )
        if amount <= self.available:
            self._expect(response, 201)
            self.available -= amount
            self.paid_out += amount
        else:
            self._expect(response, 409)

    def _refund(self, part: Part, amount: int) -> None:
        left = part.total - part.refunded
        share = (
            part.charged - part.returned if amount == left else part.charged * amount // part.total
        )
        share = max(0, min(share, part.charged - part.returned))
        if part.cash or part.settled:
            self.available -= amount - share
        else:
            part.pending -= amount - share
        part.refunded += amount
        part.returned += share
        EVENTS["refund after settlement" if part.cash or part.settled else "refund held"] += 1

    # --- invariants -----------------------------------------------------------------------

    @invariant()
    def balances_match_the_model_and_the_entries(self) -> None:
        if self.shop is None:
            return
        response = self.world.run(
            self.world.client.get(
                f"/api/v1/sellers/{self.s.seller_id}/balance", headers=self.s.owner.headers
            )
        )
        body = response.json()
        pending = sum(part.pending for part in self.parts)
        assert (body["pending"], body["available"], body["paid_out"]) == (
            pending,
            self.available,
            self.paid_out,
        )
        facts = self.world.run(_ledger_facts(self.world.app.state.sessionmaker, self.s.seller_id))
        assert facts.entry_sum == body["pending"] + body["available"] == body["balance"]
        assert facts.cod_goods_entries == 0
        assert facts.most_settlements_per_part <= 1
        assert facts.most_settlement_entries_per_part <= 2
        assert facts.refunds_over_paid == 0
        assert facts.payments_over_refunded == 0


@dataclass(frozen=True)
class LedgerFacts:
    entry_sum: int
    cod_goods_entries: int
    most_settlements_per_part: int
    most_settlement_entries_per_part: int
    refunds_over_paid: int
    payments_over_refunded: int


async def _ledger_facts(sessionmaker: Sessionmaker, seller_id: str) -> LedgerFacts:
    """The invariants, read straight from the tables."""
    seller = uuid.UUID(seller_id)
    async with sessionmaker() as session:
        entry_sum = await session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
                LedgerEntry.seller_id == seller
            )
        )
        cod_goods = await session.scalar(
            select(func.count())
            .select_from(LedgerEntry)
            .join(SellerOrder, SellerOrder.id == LedgerEntry.seller_order_id)
            .join(Order, Order.id == SellerOrder.order_id)
            .where(
                LedgerEntry.seller_id == seller,
                Order.payment_method == PaymentMethod.COD,
                LedgerEntry.kind.in_((LedgerKind.SALE, LedgerKind.SETTLEMENT)),
            )
        )
        settlements = (
            select(func.count().label("n"))
            .where(SellerOrderSettlement.seller_id == seller)
            .group_by(SellerOrderSettlement.seller_order_id)
            .subquery()
        )
        most_settlements = await session.scalar(select(func.coalesce(func.max(settlements.c.n), 0)))
        settlement_entries = (
            select(func.count().label("n"))
            .where(LedgerEntry.seller_id == seller, LedgerEntry.kind == LedgerKind.SETTLEMENT)
            .group_by(LedgerEntry.seller_order_id)
            .subquery()
        )
        most_entries = await session.scalar(
            select(func.coalesce(func.max(settlement_entries.c.n), 0))
        )
        refunded = (
            select(
                LedgerEntry.seller_order_id.label("part"),
                (-func.sum(LedgerEntry.amount)).label("refunded"),
            )
            .where(LedgerEntry.seller_id == seller, LedgerEntry.kind == LedgerKind.REFUND)
            .group_by(LedgerEntry.seller_order_id)
            .subquery()
        )
        over_paid = await session.scalar(
            select(func.count())
            .select_from(refunded)
            .join(SellerOrder, SellerOrder.id == refunded.c.part)
            .where(refunded.c.refunded > SellerOrder.subtotal + SellerOrder.shipping)
        )
        refund_rows = (
            select(Refund.payment_id.label("payment"), func.sum(Refund.amount).label("total"))
            .group_by(Refund.payment_id)
            .subquery()
        )
        over_refunded = await session.scalar(
            select(func.count())
            .select_from(refund_rows)
            .join(Payment, Payment.id == refund_rows.c.payment)
            .where(refund_rows.c.total > Payment.amount)
        )
    return LedgerFacts(
        entry_sum=int(entry_sum or 0),
        cod_goods_entries=int(cod_goods or 0),
        most_settlements_per_part=int(most_settlements or 0),
        most_settlement_entries_per_part=int(most_entries or 0),
        refunds_over_paid=int(over_paid or 0),
        payments_over_refunded=int(over_refunded or 0),
    )


async def test_escrow_invariants_hold_over_random_sequences(
    app: FastAPI, client: AsyncClient, record_property: Callable[[str, object], None]
) -> None:
    # given an admin and a category shared by every example (each example opens its own shop)
    admin = await create_admin(app, client)
    await create_category(client, admin, slug="rempah", name="Rempah")
    EscrowMachine.world = World(
        app=app, client=client, admin=admin, loop=asyncio.get_running_loop()
    )
    STATISTICS.update(examples=0, longest=0, steps=0)
    EVENTS.clear()

    # when hypothesis runs random sequences of every operation (the model checks each step)
    await asyncio.to_thread(
        run_state_machine_as_test,
        EscrowMachine,
        settings=settings(
            max_examples=MAX_EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )

    # then every invariant held after every step (the figures go to the JUnit report)
    for name, value in {**STATISTICS, **EVENTS}.items():
        record_property(name, value)
    assert STATISTICS["examples"] >= MAX_EXAMPLES
    assert STATISTICS["longest"] >= 5
