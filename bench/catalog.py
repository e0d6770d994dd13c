"""Catalog reads under load, beside a plain FastAPI endpoint measured in the same run.

For each backend (SQLite, PostgreSQL) and catalog size (10k, 100k products): a fresh database
built by the migrations and seeded, our app served by ``marketplace serve --workers 2`` and the
plain baseline (bench/_plain_app.py) by uvicorn with as many workers, both on 127.0.0.1; then
requests/s and p50/p99 latency for the public list (first page, cached first page, a deep
cursor page, a filtered page, a search), a product page, the baseline and a bare response;
SQL statements per request (counted in-process) and the RSS of each server's workers.
Figures are reported against the targets, never asserted: timing does not fail a build.

    .venv/bin/python bench/catalog.py [--backends sqlite postgresql] [--sizes 10000 100000]
                                      [--seconds 5] [--explain] [--database NAME]
                                      [--keep FOLDER]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx
from _catalog_data import (
    ScenarioRows,
    active_statements,
    create_postgres_database,
    drop_postgres_database,
    ensure_postgres_database,
    find_scenario_rows,
    optimize_database,
    seed_catalog_once,
)
from _catalog_report import CaseReport, Scenario, Server, print_report, say
from _load import DEFAULT_CONNECTIONS, cpu_seconds, cpu_share, measure
from _plain_app import create_plain_app
from _queries import Call, CountedCall, count_statements, explain, ours
from _servers import HOST, RunningServer, clean_environment, free_port, running_server
from fastapi import FastAPI

from marketplace import migrations
from marketplace.core.pagination import CursorCodec

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
SECRET_KEY = "bench-catalog-secret-key-not-for-production-0123456789"
PUBLIC_URL = "http://127.0.0.1:8000"  # image URLs only; both apps print the same ones
POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "bench_catalog"  # --database names another (one per concurrent run)
WORKERS = 2
WARMUP_SECONDS = 1.0
IDLE_SETTLE_SECONDS = 1.0
ALONE_REQUESTS = 3
QUIET_TIMEOUT_SECONDS = 60.0
LOAD_ROUNDS = 3
MAX_LOAD_SECONDS = 20.0
QUIET_WINDOW_SECONDS = 0.3
QUIET_CPU_SHARE = 0.05  # of one core, for both workers together
PAGE_SIZE = 20


def scenarios_for(rows: ScenarioRows) -> list[Scenario]:
    codec = CursorCodec(SECRET_KEY, purpose="products:newest")
    cursor = codec.encode([rows.deep_published_at.isoformat(), str(rows.deep_id)])
    filters = urlencode(
        {
            "category": rows.filter_category,
            "region": rows.filter_region,
            "min_price": rows.filter_min_price,
            "max_price": rows.filter_max_price,
        }
    )
    products = "/api/v1/products"
    return [
        Scenario("first", "first page", Server.OURS, products, "plain", is_page=True),
        Scenario(
            "cached", "first page, cached", Server.OURS_CACHED, products, "bare", is_page=True
        ),
        Scenario(
            "deep",
            f"deep page (row {rows.deep_position:,})",
            Server.OURS,
            f"{products}?{urlencode({'cursor': cursor})}",
            "plain",
            is_page=True,
        ),
        Scenario(
            "filtered", "filtered list", Server.OURS, f"{products}?{filters}", "plain", is_page=True
        ),
        Scenario(
            "search",
            "search 'lada putih'",
            Server.OURS,
            f"{products}?q=lada+putih",
            "plain",
            is_page=True,
        ),
        Scenario(
            "detail", "product detail", Server.OURS, f"{products}/{rows.detail_slug}", "plain"
        ),
        Scenario(
            "detail_cached",
            "product detail, cached",
            Server.OURS_CACHED,
            f"{products}/{rows.detail_slug}",
            "bare",
        ),
        Scenario("plain", "plain endpoint", Server.PLAIN, "/plain/products", "plain", is_page=True),
        Scenario("bare", "bare /healthz", Server.OURS_CACHED, "/healthz", "bare"),
    ]


@dataclass(frozen=True)
class DataOptions:
    """Where a case's database lives and whether it outlives the run."""

    postgres_database: str = POSTGRES_DATABASE
    keep_folder: Path | None = None

    def database_name(self, size: int) -> str:
        return f"{self.postgres_database}_{size}" if self.keep_folder else self.postgres_database


@contextmanager
def case_database(backend: str, size: int, folder: Path, options: DataOptions) -> Iterator[str]:
    """The database for one case: empty, or with ``--keep`` the one an earlier run kept
    (migrated to head and seeded only if it holds no products yet)."""
    if options.keep_folder is not None:
        options.keep_folder.mkdir(parents=True, exist_ok=True)
        if backend == "sqlite":
            yield f"sqlite:///{options.keep_folder / f'catalog_{size}.db'}"
        else:
            name = options.database_name(size)
            asyncio.run(ensure_postgres_database(POSTGRES_SERVER, name))
            yield f"{POSTGRES_SERVER}/{name}"
        return
    if backend == "sqlite":
        path = folder / "catalog.db"
        for leftover in (path, path.with_name("catalog.db-wal"), path.with_name("catalog.db-shm")):
            leftover.unlink(missing_ok=True)
        yield f"sqlite:///{path}"
        return
    name = options.postgres_database
    asyncio.run(create_postgres_database(POSTGRES_SERVER, name))
    try:
        yield f"{POSTGRES_SERVER}/{name}"
    finally:
        asyncio.run(drop_postgres_database(POSTGRES_SERVER, name))


@contextmanager
def start_server(kind: Server, database_url: str, media_root: Path) -> Iterator[RunningServer]:
    port = free_port()
    if kind is Server.PLAIN:
        command = [
            sys.executable, "-m", "uvicorn", "_plain_app:create_plain_app", "--factory",
            "--app-dir", str(BENCH_DIR), "--host", HOST, "--port", str(port),
            "--workers", str(WORKERS), "--loop", "uvloop", "--http", "httptools",
            "--no-access-log", "--log-level", "warning",
        ]  # fmt: skip
        environment = clean_environment(
            {
                "BENCH_PLAIN_DATABASE_URL": database_url,
                "BENCH_PLAIN_PUBLIC_URL": PUBLIC_URL,
                "BENCH_PLAIN_SECRET_KEY": SECRET_KEY,
            }
        )
        ready_path = "/plain/products"
    else:
        command = [
            marketplace_command(), "serve", "--host", HOST, "--port", str(port),
            "--workers", str(WORKERS),
        ]  # fmt: skip
        environment = clean_environment(
            {
                "MARKETPLACE_DATABASE_URL": database_url,
                "MARKETPLACE_SECRET_KEY": SECRET_KEY,
                "MARKETPLACE_LOG_LEVEL": "WARNING",
                "MARKETPLACE_PUBLIC_URL": PUBLIC_URL,
                "MARKETPLACE_MEDIA_ROOT": str(media_root),
                "MARKETPLACE_RESPONSE_CACHE_ENABLED": str(kind is Server.OURS_CACHED).lower(),
            }
        )
        ready_path = "/healthz"
    with running_server(
        kind.value, command, environment, port=port, ready_path=ready_path, cwd=PROJECT_DIR
    ) as server:
        yield server


def marketplace_command() -> str:
    beside_python = Path(sys.executable).parent / "marketplace"
    if beside_python.is_file():
        return str(beside_python)
    found = shutil.which("marketplace")
    if found is None:
        raise RuntimeError("the `marketplace` command is not installed (make install)")
    return found


def run_case(
    backend: str, size: int, seconds: float, *, with_plans: bool, data: DataOptions
) -> CaseReport:
    report = CaseReport(backend=backend, size=size, seconds=seconds)
    with (
        tempfile.TemporaryDirectory(prefix="bench-catalog-") as folder,
        case_database(backend, size, Path(folder), data) as database_url,
    ):
        started = time.perf_counter()
        migrations.upgrade(database_url)
        seeded = asyncio.run(seed_catalog_once(database_url, size))
        asyncio.run(optimize_database(database_url))
        report.seed_seconds = time.perf_counter() - started
        report.visible = seeded.visible_products
        rows = asyncio.run(find_scenario_rows(database_url))
        report.scenarios = scenarios_for(rows)
        report.counted = asyncio.run(count_case(database_url, report.scenarios))
        check_counted(report)
        if with_plans:
            report.plans = asyncio.run(plans_for(database_url, report))
        load_servers(report, database_url, Path(folder) / "media")
    return report


async def count_case(database_url: str, scenarios: list[Scenario]) -> dict[str, CountedCall]:
    apps: dict[str, Callable[[], FastAPI]] = {
        Server.OURS: lambda: ours(database_url, SECRET_KEY, PUBLIC_URL, cache=False),
        Server.OURS_CACHED: lambda: ours(database_url, SECRET_KEY, PUBLIC_URL, cache=True),
        Server.PLAIN: lambda: create_plain_app(
            database_url, public_url=PUBLIC_URL, secret=SECRET_KEY
        ),
    }
    calls = [Call(scenario.key, scenario.server, scenario.path) for scenario in scenarios]
    return await count_statements(apps, calls)


def check_counted(report: CaseReport) -> None:
    """Every scenario answers 200 with a full page, and the baseline's JSON is ours."""
    for scenario in report.scenarios:
        counted = report.counted[scenario.key]
        if counted.status_code != httpx.codes.OK:
            raise RuntimeError(f"{scenario.label}: {scenario.path} answered {counted.status_code}")
        if scenario.is_page and len(counted.body["items"]) != PAGE_SIZE:
            items = len(counted.body["items"])
            report.notes.append(f"{scenario.label}: {items} items, not a full page of {PAGE_SIZE}")
    if report.counted["first"].body != report.counted["plain"].body:
        report.notes.append("the plain endpoint's JSON differs from our first page's")


async def plans_for(database_url: str, report: CaseReport) -> dict[str, list[str]]:
    """The plan of each scenario's heaviest statement (the longest SQL text)."""
    plans: dict[str, list[str]] = {}
    for scenario in report.scenarios:
        statements = report.counted[scenario.key].statements
        if statements:
            statement, parameters = max(statements, key=lambda pair: len(pair[0]))
            plans[scenario.key] = await explain(database_url, statement, parameters)
    return plans


# Servers up together, and the order scenarios run in: each ratio compares neighbours in time,
# so load elsewhere on the machine skews both sides alike. The cached instance runs alone
# (three pools of connections at once would crowd PostgreSQL's connection limit).
PHASES = ((Server.PLAIN, Server.OURS), (Server.OURS_CACHED,))
MEASURE_ORDER = (
    "plain", "first", "deep", "filtered", "search", "detail", "cached", "detail_cached", "bare",
)  # fmt: skip


def load_servers(report: CaseReport, database_url: str, media_root: Path) -> None:
    """Per phase: start its servers, check each scenario answers 200 once, then warm and load
    each in turn; the RSS of each server's workers is read when it starts and after its load."""
    order = {key: index for index, key in enumerate(MEASURE_ORDER)}
    for phase in PHASES:
        with ExitStack() as stack:
            servers = {
                kind: stack.enter_context(start_server(kind, database_url, media_root))
                for kind in phase
            }
            time.sleep(IDLE_SETTLE_SECONDS)  # both workers done importing
            for kind, server in servers.items():
                report.idle_memory[kind] = server.worker_memory()
            selected = sorted(
                (scenario for scenario in report.scenarios if scenario.server in servers),
                key=lambda scenario: order[scenario.key],
            )
            with httpx.Client(timeout=30.0, trust_env=False) as client:
                for scenario in selected:
                    url = servers[scenario.server].url(scenario.path)
                    report.alone_ms[scenario.key] = time_alone(client, url, scenario.label)
            for scenario in selected:
                load_scenario(report, scenario, servers[scenario.server], database_url)
            for kind, server in servers.items():
                if lines := server.log_lines():
                    report.notes.append(
                        f"{kind} logged {len(lines)} lines; last: {lines[-1][:300]}"
                    )
                report.memory[kind] = server.worker_memory()
                if len(report.memory[kind]) != WORKERS:
                    found = len(report.memory[kind])
                    report.notes.append(f"{kind}: {found} workers found, {WORKERS} expected")


def load_scenario(
    report: CaseReport, scenario: Scenario, server: RunningServer, database_url: str
) -> None:
    """Warm up, load, and each time wait for the server to finish what the load left queued."""
    duration = load_seconds(report.seconds, report.alone_ms[scenario.key])
    if duration > report.seconds:
        report.notes.append(
            f"{scenario.label}: loaded {duration:.0f} s rather than {report.seconds:g} s "
            f"(one request alone takes {report.alone_ms[scenario.key]:.0f} ms)"
        )
    measure(server.url(scenario.path), WARMUP_SECONDS)
    settle(report, scenario, server, database_url)
    workers = [process.pid for process in server.worker_memory()]
    cpu = cpu_seconds(workers)
    report.loads[scenario.key] = measure(server.url(scenario.path), duration)
    settle(report, scenario, server, database_url)
    served = report.loads[scenario.key].requests
    report.cpu_ms[scenario.key] = (
        (cpu_seconds(workers) - cpu) * 1000 / served if served else math.nan
    )


def load_seconds(seconds: float, alone_ms: float) -> float:
    """``seconds``, or long enough for a slow scenario to complete a few rounds of requests:
    with every connection waiting on the same slow query, replies come in bursts, and a
    window shorter than one burst would count none."""
    one_round = alone_ms / 1000 * DEFAULT_CONNECTIONS / WORKERS
    return min(MAX_LOAD_SECONDS, max(seconds, math.ceil(LOAD_ROUNDS * one_round)))


def settle(report: CaseReport, scenario: Scenario, server: RunningServer, url: str) -> None:
    waited = wait_until_quiet(server, url)
    if waited >= QUIET_TIMEOUT_SECONDS:
        report.notes.append(f"{scenario.label}: server still busy {waited:.0f} s after load")


def time_alone(client: httpx.Client, url: str, label: str) -> float:
    """Check ``url`` answers 200, then the median time of a few requests sent one by one."""
    timings = []
    for _ in range(ALONE_REQUESTS):
        started = time.perf_counter()
        status = client.get(url).status_code
        timings.append((time.perf_counter() - started) * 1000)
        if status != httpx.codes.OK:
            raise RuntimeError(f"{label} answered {status} on {url}")
    return statistics.median(timings)


def wait_until_quiet(server: RunningServer, database_url: str) -> float:
    """Wait until the server has worked off requests a load left queued (wrk stops sending,
    the server still answers what it accepted): its workers idle and, on PostgreSQL, no
    statement running. Otherwise the next scenario would pay for this one's backlog."""
    started = time.monotonic()
    pids = [process.pid for process in server.worker_memory()]
    while time.monotonic() - started < QUIET_TIMEOUT_SECONDS:
        busy = cpu_share(pids, QUIET_WINDOW_SECONDS) > QUIET_CPU_SHARE
        if not busy and database_url.startswith("postgresql"):
            busy = asyncio.run(active_statements(database_url)) > 0
        if not busy:
            break
    return time.monotonic() - started


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--backends", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite", "postgresql"]
    )
    parser.add_argument("--sizes", nargs="+", type=int, default=[10_000, 100_000])
    parser.add_argument("--seconds", type=float, default=5.0, help="load per scenario")
    parser.add_argument(
        "--explain", action="store_true", help="print the query plan of each scenario"
    )
    parser.add_argument(
        "--database",
        default=POSTGRES_DATABASE,
        help="PostgreSQL database to (re)create: give each concurrent run its own",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="FOLDER",
        help="keep each case's database (SQLite files in FOLDER, PostgreSQL as DATABASE_SIZE) "
        "and reuse it next time: migrated to head, seeded only when empty",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="PostgreSQL at 10,000 products, 3 s per scenario: for a shared, busy machine",
    )
    arguments = parser.parse_args(argv)
    if arguments.quick:
        arguments.backends, arguments.sizes, arguments.seconds = ["postgresql"], [10_000], 3.0
    return arguments


def main(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    data = DataOptions(postgres_database=arguments.database, keep_folder=arguments.keep)
    started = time.perf_counter()
    for backend in arguments.backends:
        for size in arguments.sizes:
            report = run_case(
                backend, size, arguments.seconds, with_plans=arguments.explain, data=data
            )
            print_report(report, workers=WORKERS)
    say(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
