"""Placing orders under load, beside a plain one-row insert through the same stack, same run.

For each backend (SQLite, PostgreSQL): a fresh database built by the migrations and seeded with
three verified sellers (four products of three variants each, 10,000,000 units per variant) and
one scarce variant of 50 units. Then, on 127.0.0.1:

- the baseline (bench/_orders_baseline.py: FastAPI, async SQLAlchemy, the same driver, one row
  inserted per request) served by uvicorn with as many workers as ours, and then
- our app, ``marketplace serve --workers 2``,

each loaded by wrk with a Lua script that sends every request with a fresh Idempotency-Key:
a guest's checkout by bank transfer to Pangkalpinang of a one-seller cart (one line) and of a
three-seller cart (one line per seller), at 1 connection (-t1 -c1) and 32 (-t2 -c32). SQL
statements per request are counted in-process. Last, an oversell check: a burst of concurrent
orders of one unit each for the scarce variant, verified with SQL (exactly 50 orders hold it,
its stock is 0), and the stock of every variant accounted for over the whole run.
Figures are reported against the target, never asserted: timing does not fail a build.

    .venv/bin/python bench/orders.py [--backends sqlite postgresql] [--seconds 5]
                                     [--burst 200] [--statements]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import re
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from _catalog_data import active_statements, optimize_database
from _load import DEFAULT_CONNECTIONS, DEFAULT_THREADS, cpu_share
from _orders_baseline import create_baseline_app, create_baseline_table
from _orders_data import (
    LARGE_STOCK,
    SCARCE_STOCK,
    ScarceState,
    Shops,
    StockAccount,
    account_stock,
    count_orders,
    fresh_database,
    scarce_state,
    seed_shops,
)
from _orders_load import Burst, OrderLoad, burst_orders, load_orders, order_body
from _queries import StatementLog, ours
from _servers import (
    HOST,
    RunningServer,
    clean_environment,
    free_port,
    marketplace_command,
    running_server,
)
from fastapi import FastAPI
from sqlalchemy import event

from marketplace import migrations

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
SECRET_KEY = "bench-orders-secret-key-not-for-production-0123456789"
PUBLIC_URL = "http://127.0.0.1:8000"
WORKERS = 2
POOL_SIZE = {"sqlite": 10, "postgresql": 20}  # per worker, overflow as large again
WARMUP_SECONDS = 1.0
QUIET_TIMEOUT_SECONDS = 30.0
QUIET_WINDOW_SECONDS = 0.3
QUIET_CPU_SHARE = 0.05  # of one core, both workers together
CLIENTS = ((1, 1), (DEFAULT_CONNECTIONS, DEFAULT_THREADS))  # (connections, wrk threads)
ORDERS_PATH = "/api/v1/orders"
BASELINE_PATH = "/plain/orders"
TARGET_ORDERS_PER_SECOND = 300
TARGET_P99_MS = 250
# After-commit work of the e-mail outbox (claiming and marking the order's e-mail); the
# request itself only INSERTs into outbox_emails.
_OUTBOX_STATEMENT = re.compile(r"^\s*(SELECT|UPDATE)\b[\s\S]*\boutbox_emails\b", re.IGNORECASE)


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


def baseline_scenarios() -> list[Scenario]:
    return [
        Scenario("baseline", "baseline: insert 1 row", BASELINE_PATH, clients, threads)
        for clients, threads in CLIENTS
    ]


def order_scenarios() -> list[Scenario]:
    return [
        Scenario(key, label, ORDERS_PATH, clients, threads)
        for key, label in (("one", "one-seller cart"), ("three", "three-seller cart"))
        for clients, threads in CLIENTS
    ]


def pools_for(key: str, shops: Shops) -> list[list[uuid.UUID]]:
    """One pool of every plentiful variant (one-seller cart, and the baseline's body), or one
    pool per seller (three-seller cart)."""
    return shops.variants_by_seller if key == "three" else [shops.plentiful_variants]


@contextmanager
def start_server(
    kind: str, database_url: str, backend: str, folder: Path
) -> Iterator[RunningServer]:
    port = free_port()
    pool_size = str(POOL_SIZE[backend])
    if kind == "baseline":
        command = [
            sys.executable, "-m", "uvicorn", "_orders_baseline:create_baseline_app", "--factory",
            "--app-dir", str(BENCH_DIR), "--host", HOST, "--port", str(port),
            "--workers", str(WORKERS), "--loop", "uvloop", "--http", "httptools",
            "--no-access-log", "--log-level", "warning",
        ]  # fmt: skip
        environment = {
            "BENCH_ORDERS_DATABASE_URL": database_url,
            "BENCH_ORDERS_POOL_SIZE": pool_size,
        }
    else:
        command = [
            marketplace_command(), "serve", "--host", HOST, "--port", str(port),
            "--workers", str(WORKERS),
        ]  # fmt: skip
        environment = {
            "MARKETPLACE_DATABASE_URL": database_url,
            "MARKETPLACE_SECRET_KEY": SECRET_KEY,
            "MARKETPLACE_LOG_LEVEL": "WARNING",
            "MARKETPLACE_PUBLIC_URL": PUBLIC_URL,
            "MARKETPLACE_MEDIA_ROOT": str(folder / "media"),
            "MARKETPLACE_BACKGROUND_TASKS_ENABLED": "false",
            "MARKETPLACE_DATABASE_POOL_SIZE": pool_size,
        }
    with running_server(
        kind,
        command,
        clean_environment(environment),
        port=port,
        ready_path="/healthz",
        cwd=PROJECT_DIR,
    ) as server:
        yield server


def run_backend(backend: str, seconds: float, burst: int) -> BackendReport:
    report = BackendReport(backend=backend, seconds=seconds)
    with (
        tempfile.TemporaryDirectory(prefix="bench-orders-") as folder,
        fresh_database(backend, Path(folder)) as database_url,
    ):
        migrations.upgrade(database_url)
        shops = asyncio.run(seed_shops(database_url))
        report.shops = shops
        asyncio.run(create_baseline_table(database_url))
        asyncio.run(optimize_database(database_url))
        report.statements = asyncio.run(count_statements(database_url, shops))
        report.counted_2xx += 4  # the orders placed in-process while counting statements
        with start_server("baseline", database_url, backend, Path(folder)) as server:
            load_phase(report, server, database_url, baseline_scenarios())
        with start_server("ours", database_url, backend, Path(folder)) as server:
            load_phase(report, server, database_url, order_scenarios())
            report.orders_before_burst = asyncio.run(count_orders(database_url))
            run_burst(report, server, database_url, burst)
            if lines := server.log_lines():
                report.notes.append(
                    f"our server logged {len(lines)} lines; last: {lines[-1][:300]}"
                )
        check_stock(report, database_url)
    return report


def load_phase(
    report: BackendReport, server: RunningServer, database_url: str, scenarios: list[Scenario]
) -> None:
    """Warm the server once per cart kind at 32 connections, then load each scenario in turn;
    before each, wait until the previous load's backlog (and its e-mails) is worked off."""
    assert report.shops is not None
    for key in dict.fromkeys(scenario.key for scenario in scenarios):
        pools = pools_for(key, report.shops)
        path = scenarios[0].path
        warm = load_orders(
            server.url(path),
            pools,
            WARMUP_SECONDS,
            connections=DEFAULT_CONNECTIONS,
            threads=DEFAULT_THREADS,
        )
        if path == ORDERS_PATH:
            report.counted_2xx += warm.created
            report.uncounted_bound += DEFAULT_CONNECTIONS
        if warm.created == 0:
            raise RuntimeError(f"{server.name}: no order placed while warming up: {warm.statuses}")
    for scenario in scenarios:
        settle(report, server, database_url, scenario)
        loaded = load_orders(
            server.url(scenario.path),
            pools_for(scenario.key, report.shops),
            report.seconds,
            connections=scenario.clients,
            threads=scenario.threads,
        )
        report.loads[scenario] = loaded
        if scenario.path == ORDERS_PATH:
            report.counted_2xx += loaded.created
            report.uncounted_bound += scenario.clients
    settle(report, server, database_url, scenarios[-1])


def settle(
    report: BackendReport, server: RunningServer, database_url: str, scenario: Scenario
) -> None:
    """Wait until the workers idle and, on PostgreSQL, no statement runs: wrk stops sending
    when its time is up, but the server still answers (and e-mails) what it accepted."""
    started = time.monotonic()
    pids = [process.pid for process in server.worker_memory()]
    while time.monotonic() - started < QUIET_TIMEOUT_SECONDS:
        busy = cpu_share(pids, QUIET_WINDOW_SECONDS) > QUIET_CPU_SHARE
        if not busy and database_url.startswith("postgresql"):
            busy = asyncio.run(active_statements(database_url)) > 0
        if not busy:
            return
    report.notes.append(
        f"{server.name} still busy {QUIET_TIMEOUT_SECONDS:.0f} s around {scenario.label} "
        f"x{scenario.clients}"
    )


def run_burst(report: BackendReport, server: RunningServer, database_url: str, size: int) -> None:
    assert report.shops is not None
    report.burst = asyncio.run(
        burst_orders(server.url(ORDERS_PATH), report.shops.scarce_variant, size)
    )
    settle(report, server, database_url, Scenario("burst", "burst", ORDERS_PATH, size, 1))
    report.burst_orders_created = (
        asyncio.run(count_orders(database_url)) - report.orders_before_burst
    )


async def count_statements(database_url: str, shops: Shops) -> dict[str, StatementCount]:
    """One request of each kind through the app over ASGI (after one that warms it up), with
    every statement its engine runs counted, the e-mail outbox's after-commit work apart."""
    our_app = ours(database_url, SECRET_KEY, PUBLIC_URL, cache=False)
    baseline_app = create_baseline_app(database_url)
    calls: list[tuple[str, FastAPI, str, list[uuid.UUID]]] = [
        ("one", our_app, ORDERS_PATH, [shops.variants_by_seller[0][0]]),
        ("three", our_app, ORDERS_PATH, [variants[1] for variants in shops.variants_by_seller]),
        ("baseline", baseline_app, BASELINE_PATH, [shops.variants_by_seller[0][0]]),
    ]
    counted: dict[str, StatementCount] = {}
    try:
        for key, app, path, variants in calls:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url=f"http://{HOST}") as client:
                await post(client, path, variants)  # connects, fills caches
                await drain_outbox(app)
                log = StatementLog()
                event.listen(app.state.engine.sync_engine, "before_cursor_execute", log)
                try:
                    await post(client, path, variants)
                    await drain_outbox(app)
                finally:
                    event.remove(app.state.engine.sync_engine, "before_cursor_execute", log)
            texts = [statement for statement, _ in log.statements]
            after = sum(1 for text in texts if _OUTBOX_STATEMENT.match(text))
            counted[key] = StatementCount(len(texts) - after, after, texts)
    finally:
        for app in (our_app, baseline_app):
            await app.state.engine.dispose()
    return counted


async def post(client: httpx.AsyncClient, path: str, variants: list[uuid.UUID]) -> None:
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    response = await client.post(path, json=order_body(variants), headers=headers)
    if response.status_code != httpx.codes.CREATED:
        raise RuntimeError(f"POST {path} answered {response.status_code}: {response.text[:500]}")


async def drain_outbox(app: FastAPI) -> None:
    outbox: Any = getattr(app.state, "email_outbox", None)
    if outbox is not None:
        await outbox.drain()


def check_stock(report: BackendReport, database_url: str) -> None:
    assert report.shops is not None
    report.scarce = asyncio.run(scarce_state(database_url, report.shops.scarce_variant))
    report.account = asyncio.run(account_stock(database_url, report.shops.seeded_stock))


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


def print_report(report: BackendReport, *, show_statements: bool) -> None:
    assert report.shops is not None
    shops = report.shops
    variants = len(shops.plentiful_variants)
    say(
        f"== {report.backend}: {len(shops.seller_ids)} verified sellers, {variants} variants of "
        f"{LARGE_STOCK:,} units and 1 scarce of {SCARCE_STOCK}; wrk -t1 -c1 and "
        f"-t{DEFAULT_THREADS} -c{DEFAULT_CONNECTIONS}, {report.seconds:g} s per scenario; "
        f"{WORKERS} workers per server, pool {POOL_SIZE[report.backend]} (+ as many overflow)"
    )
    header = (
        f"{'scenario':<24} {'clients':>7} {'orders/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>6} {'vs baseline':>11}  {'SQL per request (+ after commit)'}"
    )
    say(header)
    say("-" * len(header))
    for scenario, loaded in report.loads.items():
        load = loaded.load
        say(
            f"{scenario.label:<24} {scenario.clients:>7} {load.requests_per_second:>9.1f} "
            f"{load.p50_ms:>8.2f} {load.p99_ms:>8.2f} {load.failures:>6} "
            f"{ratio(report, scenario):>11}  {statements_cell(report, scenario.key)}"
        )
        unexpected = {s: n for s, n in loaded.statuses.items() if not 200 <= s < 300}
        if unexpected:
            report.notes.append(f"{scenario.label} x{scenario.clients}: statuses {unexpected}")
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


def target_line(reports: list[BackendReport]) -> str:
    target = (
        f"target (>= {TARGET_ORDERS_PER_SECOND} one-seller orders/s on PostgreSQL at "
        f"{DEFAULT_CONNECTIONS} clients, p99 < {TARGET_P99_MS} ms)"
    )
    for report in reports:
        for scenario, loaded in report.loads.items():
            if (
                report.backend == "postgresql"
                and scenario.key == "one"
                and scenario.clients == DEFAULT_CONNECTIONS
            ):
                load = loaded.load
                met = (
                    load.requests_per_second >= TARGET_ORDERS_PER_SECOND
                    and load.p99_ms < TARGET_P99_MS
                    and not math.isnan(load.p99_ms)
                    and load.failures == 0
                )
                return (
                    f"{target}: {'met' if met else 'NOT met'} -- "
                    f"{load.requests_per_second:.1f} orders/s, p99 {load.p99_ms:.1f} ms, "
                    f"{load.failures} errors"
                )
    return f"{target}: not measured (postgresql was not among --backends)"


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--backends", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite", "postgresql"]
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="load per scenario")
    parser.add_argument(
        "--burst", type=int, default=200, help="concurrent orders for the scarce variant"
    )
    parser.add_argument(
        "--statements", action="store_true", help="print the SQL of one request of each kind"
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    started = time.perf_counter()
    reports = []
    for backend in arguments.backends:
        report = run_backend(backend, arguments.seconds, arguments.burst)
        print_report(report, show_statements=arguments.statements)
        reports.append(report)
    say(target_line(reports))
    say(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
