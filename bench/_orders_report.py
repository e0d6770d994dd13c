"""The report bench/orders.py prints: per backend, each scenario's figures beside the
baseline's, the oversell check and the stock accounting; and the target, reported against the
figures, never asserted."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field

from _load import DEFAULT_CONNECTIONS, DEFAULT_THREADS
from _orders_data import LARGE_STOCK, SCARCE_STOCK, ScarceState, Shops, StockAccount
from _orders_load import Burst, OrderLoad

TARGET_ORDERS_PER_SECOND = 300
TARGET_P99_MS = 250
TARGET_CPU_MS_PER_ORDER = 4.0


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    path: str
    clients: int
    threads: int


@dataclass(frozen=True)
class StatementCount:
    in_request: int
    after_commit: int
    statements: list[str]


@dataclass
class BackendReport:
    backend: str
    seconds: float
    shops: Shops | None = None
    loads: dict[Scenario, OrderLoad] = field(default_factory=dict)
    cpu_ms: dict[Scenario, float] = field(default_factory=dict)  # server workers, per row made
    statements: dict[str, StatementCount] = field(default_factory=dict)
    counted_2xx: int = 0  # every 2xx wrk saw, warm-ups included, and the in-process orders
    uncounted_bound: int = 0  # wrk drops replies in flight when time is up: one per connection
    orders_before_burst: int = 0
    burst: Burst | None = None
    burst_orders_created: int = 0
    scarce: ScarceState | None = None
    account: StockAccount | None = None
    notes: list[str] = field(default_factory=list)


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def burst_lines(report: BackendReport) -> list[str]:
    """The oversell check: the burst's replies, and what SQL finds afterwards."""
    burst, scarce = report.burst, report.scarce
    assert burst is not None
    assert scarce is not None
    statuses = " ".join(f"{status}={count}" for status, count in sorted(burst.statuses.items()))
    problems = []
    if scarce.stock != 0:
        problems.append(f"stock is {scarce.stock}, not 0")
    if scarce.orders_with_it != SCARCE_STOCK or scarce.units_sold != SCARCE_STOCK:
        problems.append(
            f"{scarce.orders_with_it} orders hold {scarce.units_sold} units, not {SCARCE_STOCK}"
        )
    created = report.burst_orders_created
    return [
        f"oversell check: {burst.requests} concurrent orders of 1 unit for the scarce variant "
        f"(stock {SCARCE_STOCK}): statuses {statuses} in {burst.seconds:.1f} s "
        f"(slowest {burst.slowest_ms:.0f} ms)",
        f"  stock now {scarce.stock}, {scarce.orders_with_it} orders hold it "
        f"({scarce.units_sold} units) -- oversold: {'; '.join(problems) or 'none'}",
        f"  orders the burst created: {created}, 2xx responses: {burst.created} -- "
        + ("match" if created == burst.created else "MISMATCH"),
    ]


def accounting_lines(report: BackendReport) -> list[str]:
    account = report.account
    assert account is not None
    orders, counted, bound = report.orders_before_burst, report.counted_2xx, report.uncounted_bound
    fits = 0 <= orders - counted <= bound
    verdict = "consistent"
    if account.mismatches:
        verdict = f"{len(account.mismatches)} MISMATCHES: {'; '.join(account.mismatches[:3])}"
    return [
        f"stock accounting over the whole run ({account.variants} variants; seeded minus left "
        f"= units on order lines): {verdict}; variants below zero: {account.negative}",
        f"orders in the database before the burst: {orders:,}; 2xx counted by wrk and in-process: "
        f"{counted:,}; difference {orders - counted} (wrk leaves uncounted the replies still in "
        f"flight when its time is up: 0 to {bound}) -- {'plausible' if fits else 'UNEXPECTED'}",
    ]


def ratio(report: BackendReport, scenario: Scenario) -> str:
    baseline = next(
        load
        for candidate, load in report.loads.items()
        if candidate.key == "baseline" and candidate.clients == scenario.clients
    )
    rate = report.loads[scenario].load.requests_per_second
    base = baseline.load.requests_per_second
    return f"{rate / base:.2f}x" if base else "-"


def statements_cell(report: BackendReport, key: str) -> str:
    counted = report.statements[key]
    return f"{counted.in_request} + {counted.after_commit}"


def print_report(
    report: BackendReport, *, workers: int, pool_size: int, show_statements: bool
) -> None:
    assert report.shops is not None
    shops = report.shops
    variants = len(shops.plentiful_variants)
    say(
        f"== {report.backend}: {len(shops.seller_ids)} verified sellers, {variants} variants of "
        f"{LARGE_STOCK:,} units and 1 scarce of {SCARCE_STOCK}; wrk -t1 -c1 and "
        f"-t{DEFAULT_THREADS} -c{DEFAULT_CONNECTIONS}, {report.seconds:g} s per scenario; "
        f"{workers} workers per server, pool {pool_size} (the baseline: + as many overflow)"
    )
    header = (
        f"{'scenario':<24} {'clients':>7} {'orders/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>6} {'vs baseline':>11} {'CPU ms':>7} {'SQL':>7}"
    )
    say(header)
    say("-" * len(header))
    for scenario, loaded in report.loads.items():
        load = loaded.load
        say(
            f"{scenario.label:<24} {scenario.clients:>7} {load.requests_per_second:>9.1f} "
            f"{load.p50_ms:>8.2f} {load.p99_ms:>8.2f} {load.failures:>6} "
            f"{ratio(report, scenario):>11} {report.cpu_ms[scenario]:>7.2f} "
            f"{statements_cell(report, scenario.key):>7}"
        )
        unexpected = {s: n for s, n in loaded.statuses.items() if not 200 <= s < 300}
        if unexpected:
            report.notes.append(f"{scenario.label} x{scenario.clients}: statuses {unexpected}")
    say(
        "(CPU ms: the server workers' CPU time per row created, the load's tail included; "
        "SQL: statements of one request, counted in-process, + the e-mail outbox's after the "
        "commit; BEGIN, COMMIT, SAVEPOINT and pool pre-pings are not counted)"
    )
    for line in burst_lines(report) + accounting_lines(report):
        say(line)
    for note in report.notes:
        say(f"note: {note}")
    if show_statements:
        for key, counted in report.statements.items():
            say(f"statements of one '{key}' request ({statements_cell(report, key)}):")
            for number, text in enumerate(counted.statements, 1):
                say(f"  {number:>2}. {' '.join(text.split())[:220]}")
    say()


def target_lines(reports: list[BackendReport]) -> list[str]:
    """The issue's checkout line, one figure per line: orders/s, p99 and CPU per order of the
    one-seller cart at 32 clients on PostgreSQL."""
    scope = f"one-seller orders on PostgreSQL at {DEFAULT_CONNECTIONS} clients"
    for report in reports:
        for scenario, loaded in report.loads.items():
            if (
                report.backend == "postgresql"
                and scenario.key == "one"
                and scenario.clients == DEFAULT_CONNECTIONS
            ):
                load, cpu = loaded.load, report.cpu_ms[scenario]
                rate = load.requests_per_second
                plain = baseline_cpu_ms(report, scenario.clients)
                clean = load.failures == 0
                return [
                    f"{scope} >= {TARGET_ORDERS_PER_SECOND}/s: {rate:.1f}/s, "
                    f"{load.failures} errors -- "
                    f"{verdict(rate >= TARGET_ORDERS_PER_SECOND and clean)}",
                    f"{scope}, p99 < {TARGET_P99_MS} ms: {load.p99_ms:.1f} ms -- "
                    f"{verdict(load.p99_ms < TARGET_P99_MS)}",
                    f"{scope}, CPU <= {TARGET_CPU_MS_PER_ORDER:g} ms per order: {cpu:.1f} ms "
                    f"(both workers, the load's tail included; {cpu / plain:.1f}x the plain "
                    f"insert's {plain:.2f} ms in this run) -- "
                    f"{verdict(cpu <= TARGET_CPU_MS_PER_ORDER)}",
                ]
    return [f"{scope}: not measured (postgresql was not among --backends)"]


def baseline_cpu_ms(report: BackendReport, clients: int) -> float:
    """The plain one-row insert's CPU per row at ``clients`` in the same run: this machine's
    speed moved ~2x between runs minutes apart (stop 23), the ratio much less."""
    for scenario, cpu in report.cpu_ms.items():
        if scenario.key == "baseline" and scenario.clients == clients:
            return cpu
    return math.nan


def verdict(met: bool) -> str:
    """NaN (nothing measured) compares false, so it reads as not met."""
    return "met" if met else "NOT met"
