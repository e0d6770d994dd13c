"""Placing orders under load, beside a plain one-row insert through the same stack, same run.

For each backend (SQLite, PostgreSQL): a fresh database built by the migrations and seeded with
three verified sellers (four products of three variants each, 10,000,000 units per variant) and
one scarce variant of 50 units. Then, on 127.0.0.1:

- the baseline (bench/_orders_baseline.py: FastAPI, async SQLAlchemy, the same driver, one row
  inserted per request) served by uvicorn with as many workers as ours, and then
- our app, ``marketplace serve --workers 2``,

each loaded by wrk with a Lua script that sends every request with a fresh Idempotency-Key:
a guest's checkout by bank transfer to Pangkalpinang of a one-seller cart (one line) and of a
three-seller cart (one line per seller), at 1 connection (-t1 -c1) and 32 (-t2 -c32); the
server workers' CPU time per row created is read from /proc, and the SQL statements of one
request are counted in-process. Last, an oversell check: a burst of concurrent orders of one
unit each for the scarce variant, verified with SQL (exactly 50 orders hold it, its stock is 0),
and the stock of every variant accounted for over the whole run. Figures are reported against
the target, never asserted: timing does not fail a build. (Seeding and checks:
bench/_orders_data.py; wrk's Lua script and the burst: bench/_orders_load.py; the printed
report: bench/_orders_report.py.)

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
from pathlib import Path
from typing import Any

import httpx
from _catalog_data import active_statements, optimize_database
from _load import DEFAULT_CONNECTIONS, DEFAULT_THREADS, cpu_seconds, cpu_share
from _orders_baseline import create_baseline_app, create_baseline_table, plain_orders
from _orders_data import (
    Shops,
    TransferCodeRelease,
    account_stock,
    count_rows,
    fresh_database,
    scarce_state,
    seed_shops,
)
from _orders_load import burst_orders, load_orders, order_body
from _orders_report import (
    BackendReport,
    Scenario,
    StatementCount,
    print_report,
    say,
    target_lines,
)
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
from marketplace.orders.models import Order

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
SECRET_KEY = "bench-orders-secret-key-not-for-production-0123456789"
PUBLIC_URL = "http://127.0.0.1:8000"
WORKERS = 2
POOL_SIZE = {"sqlite": 10, "postgresql": 20}  # per worker (the baseline: overflow as large again)
WARMUP_ROUNDS = (2.0, 6.0, 15.0)  # seconds: longer each time nothing completed
UNLIMITED_RATE = "100000000/second"
QUIET_TIMEOUT_SECONDS = 30.0
QUIET_WINDOW_SECONDS = 0.3
QUIET_CPU_SHARE = 0.05  # of one core, both workers together
CLIENTS = ((1, 1), (DEFAULT_CONNECTIONS, DEFAULT_THREADS))  # (connections, wrk threads)
ORDERS_PATH = "/api/v1/orders"
BASELINE_PATH = "/plain/orders"
# After-commit work of the e-mail outbox (claiming and marking the order's e-mail); the
# request itself only INSERTs into outbox_emails.
_OUTBOX_STATEMENT = re.compile(r"^\s*(SELECT|UPDATE)\b[\s\S]*\boutbox_emails\b", re.IGNORECASE)


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
            # Every order comes from 127.0.0.1 and one buyer e-mail: the abuse limits per
            # address and per e-mail would answer 429 after the first few (issue 10's rules).
            "MARKETPLACE_ORDERS_PER_ADDRESS": UNLIMITED_RATE,
            "MARKETPLACE_ORDERS_PER_BUYER_EMAIL": UNLIMITED_RATE,
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
        report.counted_2xx += asyncio.run(count_rows(database_url))  # placed in-process
        with start_server("baseline", database_url, backend, Path(folder)) as server:
            load_phase(report, server, database_url, baseline_scenarios())
        with (
            start_server("ours", database_url, backend, Path(folder)) as server,
            TransferCodeRelease(database_url) as codes,
        ):
            load_phase(report, server, database_url, order_scenarios())
            report.orders_before_burst = asyncio.run(count_rows(database_url))
            run_burst(report, server, database_url, burst)
            report.notes.append(f"transfer codes released meanwhile: {codes.released:,}")
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
        warm_up(report, server, scenarios[0].path, pools_for(key, report.shops))
    table = Order.__table__ if scenarios[0].path == ORDERS_PATH else plain_orders
    workers = [process.pid for process in server.worker_memory()]
    for scenario in scenarios:
        settle(report, server, database_url, scenario)
        rows, cpu = asyncio.run(count_rows(database_url, table)), cpu_seconds(workers)
        loaded = load_orders(
            server.url(scenario.path),
            pools_for(scenario.key, report.shops),
            report.seconds,
            connections=scenario.clients,
            threads=scenario.threads,
        )
        settle(report, server, database_url, scenario)
        made = asyncio.run(count_rows(database_url, table)) - rows
        report.cpu_ms[scenario] = (cpu_seconds(workers) - cpu) * 1000 / made if made else math.nan
        report.loads[scenario] = loaded
        if scenario.path == ORDERS_PATH:
            report.counted_2xx += loaded.created
            report.uncounted_bound += scenario.clients


def warm_up(
    report: BackendReport, server: RunningServer, path: str, pools: list[list[uuid.UUID]]
) -> None:
    """One request alone first (a cold worker's first checkout may take longer than a whole
    wrk warm-up, which then counts no reply at all), then wrk at 32 connections until a round
    places orders. A server that answers nothing else names its status and log."""
    variants = [pool[0] for pool in pools]
    with httpx.Client(timeout=60.0, trust_env=False) as client:
        first = client.post(
            server.url(path),
            json=order_body(variants),
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
    if first.status_code != httpx.codes.CREATED:
        raise RuntimeError(
            f"{server.name}: POST {path} answered {first.status_code}: {first.text[:500]}\n"
            f"server log:\n{server.log_tail()}"
        )
    if path == ORDERS_PATH:
        report.counted_2xx += 1
    tried: list[str] = []
    for seconds in WARMUP_ROUNDS:
        warm = load_orders(
            server.url(path),
            pools,
            seconds,
            connections=DEFAULT_CONNECTIONS,
            threads=DEFAULT_THREADS,
        )
        if path == ORDERS_PATH:
            report.counted_2xx += warm.created
            report.uncounted_bound += DEFAULT_CONNECTIONS
        if warm.created:
            return
        # No status at all: not one reply came back within the round (32 checkouts at once on
        # a busy machine may take longer than a short round); the next round is longer.
        tried.append(
            f"{seconds:g} s: statuses {dict(warm.statuses)}, socket errors "
            f"{warm.load.socket_errors}"
        )
    raise RuntimeError(
        f"{server.name}: no order placed in the warm-up rounds ({'; '.join(tried)})\n"
        f"server log:\n{server.log_tail()}"
    )


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
    report.burst_orders_created = asyncio.run(count_rows(database_url)) - report.orders_before_burst


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
    outbox: Any = getattr(getattr(app.state, "gateways", None), "mailer", None)
    if outbox is not None:
        await outbox.drain()


def check_stock(report: BackendReport, database_url: str) -> None:
    assert report.shops is not None
    report.scarce = asyncio.run(scarce_state(database_url, report.shops.scarce_variant))
    report.account = asyncio.run(account_stock(database_url, report.shops.seeded_stock))


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
    parser.add_argument(
        "--quick",
        action="store_true",
        help="PostgreSQL only, 3 s per scenario, a burst of 100: for a shared, busy machine",
    )
    arguments = parser.parse_args(argv)
    if arguments.quick:
        arguments.backends, arguments.seconds, arguments.burst = ["postgresql"], 3.0, 100
    return arguments


def main(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    started = time.perf_counter()
    reports = []
    for backend in arguments.backends:
        report = run_backend(backend, arguments.seconds, arguments.burst)
        print_report(
            report,
            workers=WORKERS,
            pool_size=POOL_SIZE[backend],
            show_statements=arguments.statements,
        )
        reports.append(report)
    say("targets (reported, not asserted):")
    for line in target_lines(reports):
        say(f"  {line}")
    say(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
