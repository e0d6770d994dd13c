"""Catalog reads under load, beside a plain FastAPI endpoint measured in the same run.

For each backend (SQLite, PostgreSQL) and catalog size (10k, 100k products): a fresh database
built by the migrations and seeded, our app served by ``marketplace serve --workers 2`` and the
plain baseline (bench/_plain_app.py) by uvicorn with as many workers, both on 127.0.0.1; then
requests/s and p50/p99 latency for the public list (first page, cached first page, a deep
cursor page, a filtered page, a search), a product page, the baseline and a bare response;
SQL statements per request (counted in-process) and the RSS of each server's workers.
Figures are reported against the targets, never asserted: timing does not fail a build.

    .venv/bin/python bench/catalog.py [--backends sqlite postgresql] [--sizes 10000 100000]
                                      [--seconds 5] [--explain]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlencode

import httpx
from _catalog_data import (
    ScenarioRows,
    active_statements,
    create_postgres_database,
    drop_postgres_database,
    find_scenario_rows,
    optimize_database,
    seed_catalog,
)
from _load import (
    DEFAULT_CONNECTIONS,
    DEFAULT_THREADS,
    LoadResult,
    ProcessMemory,
    cpu_share,
    measure,
)
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
POSTGRES_DATABASE = "bench_catalog"
WORKERS = 2
WARMUP_SECONDS = 1.0
IDLE_SETTLE_SECONDS = 1.0
QUIET_TIMEOUT_SECONDS = 60.0
QUIET_WINDOW_SECONDS = 0.3
QUIET_CPU_SHARE = 0.05  # of one core, for both workers together
PAGE_SIZE = 20
MB = 1024 * 1024

TARGET_FIRST_PAGE_VS_PLAIN = 1.5
TARGET_CACHED_VS_BARE = 0.4
TARGET_DEEP_AND_SEARCH_FACTOR = 2.0
TARGET_WORKER_MB = 150


class Server(StrEnum):
    OURS = "ours"
    OURS_CACHED = "ours, cache on"
    PLAIN = "plain"


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    server: Server
    path: str
    baseline: str | None = None  # "plain" or "bare": the row its ratio is taken against
    is_page: bool = False


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
        Scenario("detail", "product detail", Server.OURS, f"{products}/{rows.detail_slug}"),
        Scenario("plain", "plain endpoint", Server.PLAIN, "/plain/products", "plain", is_page=True),
        Scenario("bare", "bare /healthz", Server.OURS_CACHED, "/healthz", "bare"),
    ]


@dataclass
class CaseReport:
    backend: str
    size: int
    visible: int = 0
    seed_seconds: float = 0.0
    scenarios: list[Scenario] = field(default_factory=list)
    loads: dict[str, LoadResult] = field(default_factory=dict)
    counted: dict[str, CountedCall] = field(default_factory=dict)
    memory: dict[Server, list[ProcessMemory]] = field(default_factory=dict)
    idle_memory: dict[Server, list[ProcessMemory]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    plans: dict[str, list[str]] = field(default_factory=dict)


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    """An empty database for one case; PostgreSQL's is dropped again afterwards."""
    if backend == "sqlite":
        path = folder / "catalog.db"
        for leftover in (path, path.with_name("catalog.db-wal"), path.with_name("catalog.db-shm")):
            leftover.unlink(missing_ok=True)
        yield f"sqlite:///{path}"
        return
    asyncio.run(create_postgres_database(POSTGRES_SERVER, POSTGRES_DATABASE))
    try:
        yield f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"
    finally:
        asyncio.run(drop_postgres_database(POSTGRES_SERVER, POSTGRES_DATABASE))


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


def run_case(backend: str, size: int, seconds: float, *, with_plans: bool) -> CaseReport:
    report = CaseReport(backend=backend, size=size)
    with (
        tempfile.TemporaryDirectory(prefix="bench-catalog-") as folder,
        fresh_database(backend, Path(folder)) as database_url,
    ):
        started = time.perf_counter()
        migrations.upgrade(database_url)
        seeded = asyncio.run(seed_catalog(database_url, size))
        asyncio.run(optimize_database(database_url))
        report.seed_seconds = time.perf_counter() - started
        report.visible = seeded.visible_products
        rows = asyncio.run(find_scenario_rows(database_url))
        report.scenarios = scenarios_for(rows)
        report.counted = asyncio.run(count_case(database_url, report.scenarios))
        check_counted(report)
        if with_plans:
            report.plans = asyncio.run(plans_for(database_url, report))
        load_servers(report, database_url, Path(folder) / "media", seconds)
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
MEASURE_ORDER = ("plain", "first", "deep", "filtered", "search", "detail", "cached", "bare")


def load_servers(report: CaseReport, database_url: str, media_root: Path, seconds: float) -> None:
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
                    status = client.get(servers[scenario.server].url(scenario.path)).status_code
                    if status != httpx.codes.OK:
                        raise RuntimeError(f"{scenario.label} answered {status}")
            for scenario in selected:
                server = servers[scenario.server]
                measure(server.url(scenario.path), WARMUP_SECONDS)
                report.loads[scenario.key] = measure(server.url(scenario.path), seconds)
                waited = wait_until_quiet(server, database_url)
                if waited >= QUIET_TIMEOUT_SECONDS:
                    report.notes.append(f"{scenario.label}: server still busy {waited:.0f} s later")
            for kind, server in servers.items():
                if lines := server.log_lines():
                    report.notes.append(
                        f"{kind} logged {len(lines)} lines; last: {lines[-1][:300]}"
                    )
                report.memory[kind] = server.worker_memory()
                if len(report.memory[kind]) != WORKERS:
                    found = len(report.memory[kind])
                    report.notes.append(f"{kind}: {found} workers found, {WORKERS} expected")


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


def worker_mb(memory: list[ProcessMemory]) -> list[float]:
    return [process.rss_bytes / MB for process in memory]


def ratio(report: CaseReport, scenario: Scenario) -> str:
    if scenario.baseline is None or scenario.key == scenario.baseline:
        return ""
    ours_rate = report.loads[scenario.key].requests_per_second
    baseline_rate = report.loads[scenario.baseline].requests_per_second
    return f"{divide(ours_rate, baseline_rate):.2f}x {scenario.baseline}"


def rate(load: LoadResult) -> str:
    digits = 0 if load.requests_per_second >= 10 else 1
    return f"{load.requests_per_second:.{digits}f}"


def milliseconds(load: LoadResult, value: float) -> str:
    """A latency, or "-" when no request completed (wrk then prints zeros)."""
    return f"{value:.2f}" if load.requests else "-"


def print_report(report: CaseReport, seconds: float) -> None:
    tool = next(iter(report.loads.values())).tool
    say(
        f"== {report.backend}, {report.size:,} products ({report.visible:,} public); "
        f"built and seeded in {report.seed_seconds:.0f} s; {tool} -t{DEFAULT_THREADS} "
        f"-c{DEFAULT_CONNECTIONS}, {seconds:g} s per scenario; {WORKERS} workers per server"
    )
    header = (
        f"{'scenario':<26} {'server':<14} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'ratio':>11} {'queries':>7} {'errors':>6}  RSS/worker MB"
    )
    say(header)
    say("-" * len(header))
    for scenario in report.scenarios:
        load = report.loads[scenario.key]
        rss = "/".join(f"{mb:.0f}" for mb in worker_mb(report.memory[scenario.server]))
        say(
            f"{scenario.label:<26} {scenario.server:<14} {rate(load):>8} "
            f"{milliseconds(load, load.p50_ms):>8} {milliseconds(load, load.p99_ms):>8} "
            f"{ratio(report, scenario):>11} {len(report.counted[scenario.key].statements):>7} "
            f"{load.failures:>6}  {rss}"
        )
    say("targets (reported, not asserted):")
    for line in target_lines(report):
        say(f"  {line}")
    for note in report.notes:
        say(f"  note: {note}")
    for key, plan in report.plans.items():
        say(f"plan of '{key}':")
        for line in plan:
            say(f"    {line}")
    say()


def divide(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def target_lines(report: CaseReport) -> list[str]:
    loads = report.loads
    first, plain = loads["first"], loads["plain"]
    cached, bare = loads["cached"], loads["bare"]
    first_ratio = divide(first.requests_per_second, plain.requests_per_second)
    cached_ratio = divide(cached.requests_per_second, bare.requests_per_second)
    lines = [
        f"first page >= {TARGET_FIRST_PAGE_VS_PLAIN}x plain: {first_ratio:.2f}x "
        f"({first.requests_per_second:.0f} vs {plain.requests_per_second:.0f} req/s) "
        f"-- {verdict(first_ratio >= TARGET_FIRST_PAGE_VS_PLAIN)}",
        f"cached first page >= {TARGET_CACHED_VS_BARE}x bare: {cached_ratio:.2f}x "
        f"({cached.requests_per_second:.0f} vs {bare.requests_per_second:.0f} req/s) "
        f"-- {verdict(cached_ratio >= TARGET_CACHED_VS_BARE)}",
    ]
    cached_vs_plain = divide(cached.requests_per_second, plain.requests_per_second)
    lines.append(f"(for reference, not a target: cached first page {cached_vs_plain:.2f}x plain)")
    applies = report.backend == "postgresql" and report.size >= 100_000
    for key in ("deep", "search"):
        load = loads[key]
        slower = divide(first.requests_per_second, load.requests_per_second)
        p50_factor = divide(load.p50_ms, first.p50_ms)
        met = max(slower, p50_factor) <= TARGET_DEEP_AND_SEARCH_FACTOR
        scope = (
            verdict(met) if applies else f"would be {verdict(met)}; the target is for 100k on PG"
        )
        lines.append(
            f"{key} within {TARGET_DEEP_AND_SEARCH_FACTOR:g}x of first page: "
            f"{slower:.2f}x fewer req/s, p50 {p50_factor:.2f}x ({load.p50_ms:.1f} vs "
            f"{first.p50_ms:.1f} ms) -- {scope}"
        )
    ours_mb = worker_mb(report.memory[Server.OURS]) + worker_mb(report.memory[Server.OURS_CACHED])
    plain_mb = worker_mb(report.memory[Server.PLAIN])
    largest = max(ours_mb, default=math.nan)
    idle_mb = worker_mb(report.idle_memory[Server.OURS])
    lines.append(
        f"memory < {TARGET_WORKER_MB} MB per worker: ours at most {largest:.0f} MB after load, "
        f"{max(idle_mb, default=math.nan):.0f} MB when started (plain "
        f"{max(plain_mb, default=math.nan):.0f} MB) -- {verdict(largest < TARGET_WORKER_MB)}"
    )
    return lines


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
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    started = time.perf_counter()
    for backend in arguments.backends:
        for size in arguments.sizes:
            report = run_case(backend, size, arguments.seconds, with_plans=arguments.explain)
            print_report(report, arguments.seconds)
    say(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
