"""The featured embed under load: /embed/featured warm, right after an invalidation, and as 304
revalidations, beside a bare /healthz of the same server in the same run; and the page's weight.

A fresh database (built by the migrations) gets twelve featured products with photos, seeded
through the running server's API (the admin through ``marketplace create-admin``); the server is
``marketplace serve --workers 2`` on 127.0.0.1 with the response cache on.

- warm: ``wrk`` on the page while nothing changes (every request a cache hit).
- after an invalidation: rounds of "PATCH a featured entry's position (10 <-> 11, so its
  ``updated_at`` and therefore the data version change), then one burst of as many concurrent
  GETs as wrk has connections"; req/s is requests over the summed burst times (the PATCH is not
  timed), p50/p99 over every request of every burst. The first requests of a burst miss the
  cache in each worker and render; the rest hit the freshly rendered page.
- 304: ``wrk`` with ``If-None-Match`` set to the current ETag.
- every request renders: a second server with the cache switched off, for reference.
Figures are printed, never asserted: timing does not fail a build.

    .venv/bin/python bench/embed.py [--backend sqlite|postgresql] [--seconds 5] [--rounds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from _catalog_data import create_postgres_database, drop_postgres_database
from _embed_data import ADMIN_EMAIL, PASSWORD, PRODUCTS, seed_featured
from _load import (
    DEFAULT_CONNECTIONS,
    DEFAULT_THREADS,
    LoadResult,
    measure,
    parse_wrk_output,
    percentile,
    require_loopback,
)
from _servers import HOST, RunningServer, clean_environment, free_port, running_server

from marketplace import migrations

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
SECRET_KEY = "bench-embed-secret-key-not-for-production-0123456789"
POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "bench_embed"
WORKERS = 2
EMBED_PATH = f"/embed/featured?limit={PRODUCTS}"
WEIGHT_LIMIT_BYTES = 30 * 1024


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'embed.db'}"
        return
    asyncio.run(create_postgres_database(POSTGRES_SERVER, POSTGRES_DATABASE))
    try:
        yield f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"
    finally:
        asyncio.run(drop_postgres_database(POSTGRES_SERVER, POSTGRES_DATABASE))


def marketplace_command() -> str:
    beside_python = Path(sys.executable).parent / "marketplace"
    if beside_python.is_file():
        return str(beside_python)
    found = shutil.which("marketplace")
    if found is None:
        raise RuntimeError("the `marketplace` command is not installed (make install)")
    return found


def server_environment(
    database_url: str, media_root: Path, port: int, *, cache: bool
) -> dict[str, str]:
    return clean_environment(
        {
            "MARKETPLACE_DATABASE_URL": database_url,
            "MARKETPLACE_SECRET_KEY": SECRET_KEY,
            "MARKETPLACE_LOG_LEVEL": "WARNING",
            "MARKETPLACE_PUBLIC_URL": f"http://{HOST}:{port}",
            "MARKETPLACE_MEDIA_ROOT": str(media_root),
            "MARKETPLACE_RESPONSE_CACHE_ENABLED": str(cache).lower(),
        }
    )


@contextmanager
def start_server(
    name: str, database_url: str, media_root: Path, *, cache: bool
) -> Iterator[RunningServer]:
    port = free_port()
    command = [
        marketplace_command(), "serve", "--host", HOST, "--port", str(port),
        "--workers", str(WORKERS),
    ]  # fmt: skip
    environment = server_environment(database_url, media_root, port, cache=cache)
    with running_server(
        name, command, environment, port=port, ready_path="/healthz", cwd=PROJECT_DIR
    ) as server:
        yield server


def create_admin(database_url: str, media_root: Path) -> None:
    environment = server_environment(database_url, media_root, 0, cache=True)
    subprocess.run(
        [marketplace_command(), "create-admin", "--email", ADMIN_EMAIL, "--password", PASSWORD],
        env=environment,
        cwd=PROJECT_DIR,
        check=True,
        capture_output=True,
    )


# --- load --------------------------------------------------------------------------------


def measure_with_header(url: str, seconds: float, header: str) -> LoadResult:
    """Like ``_load.measure`` with one request header (wrk ``-H``). Without wrk: bursts of
    concurrent requests, about as many as ``seconds`` would allow, instead of a timed run."""
    require_loopback(url)
    wrk = shutil.which("wrk")
    if wrk is None:
        name, _, value = header.partition(": ")
        rounds = max(1, round(seconds * 50))
        return asyncio.run(bursts(url, rounds=rounds, headers={name: value}))
    command = [
        wrk, f"-t{DEFAULT_THREADS}", f"-c{DEFAULT_CONNECTIONS}", f"-d{max(1, round(seconds))}s",
        "--latency", "-H", header, url,
    ]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    return parse_wrk_output(completed.stdout)


@dataclass(frozen=True)
class Invalidation:
    """PATCH this featured entry's position before each burst: a new data version."""

    entry_url: str
    admin_headers: dict[str, str]


async def bursts(
    url: str,
    *,
    rounds: int,
    headers: dict[str, str] | None = None,
    invalidation: Invalidation | None = None,
) -> LoadResult:
    """``rounds`` times: invalidate (untimed) when asked, then ``DEFAULT_CONNECTIONS``
    concurrent GETs of ``url`` (timed). req/s is requests over the summed burst times."""
    require_loopback(url)
    latencies: list[float] = []
    failures = 0
    busy = 0.0
    size = DEFAULT_CONNECTIONS
    limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
    async with httpx.AsyncClient(limits=limits, timeout=30.0, trust_env=False) as client:

        async def one() -> tuple[float, int]:
            sent = time.perf_counter()
            response = await client.get(url, headers=headers)
            return (time.perf_counter() - sent) * 1000, response.status_code

        for round_number in range(rounds):
            if invalidation is not None:
                position = 11 + round_number % 2  # 11, 12, 11, ...: always a change
                patched = await client.patch(
                    invalidation.entry_url,
                    json={"position": position},
                    headers=invalidation.admin_headers,
                )
                patched.raise_for_status()
            started = time.perf_counter()
            results = await asyncio.gather(*(one() for _ in range(size)))
            busy += time.perf_counter() - started
            latencies.extend(latency for latency, _ in results)
            failures += sum(1 for _, status in results if status >= 400)
    latencies.sort()
    return LoadResult(
        requests_per_second=len(latencies) / busy if busy else float("nan"),
        p50_ms=percentile(latencies, 50),
        p99_ms=percentile(latencies, 99),
        requests=len(latencies),
        non_2xx_3xx=failures,
        socket_errors=0,
        tool="httpx bursts",
    )


@dataclass(frozen=True)
class Row:
    label: str
    load: LoadResult


def warm_up(url: str, headers: dict[str, str] | None = None) -> httpx.Response:
    with httpx.Client(timeout=30.0, trust_env=False) as http:
        response = http.get(url, headers=headers)
        for _ in range(WORKERS * 4):  # every worker renders and caches its copy
            http.get(url, headers=headers)
    response.raise_for_status()
    return response


def print_table(rows: list[Row], bare: LoadResult) -> None:
    header = (
        f"{'scenario':<44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs bare':>8} {'errors':>6}"
    )
    say(header)
    say("-" * len(header))
    for row in rows:
        ratio = row.load.requests_per_second / bare.requests_per_second
        say(
            f"{row.label:<44} {row.load.requests_per_second:>8.0f} {row.load.p50_ms:>8.2f} "
            f"{row.load.p99_ms:>8.2f} {ratio:>7.2f}x {row.load.failures:>6}"
        )


def run(backend: str, seconds: float, rounds: int) -> None:
    with (
        tempfile.TemporaryDirectory(prefix="bench-embed-") as folder,
        fresh_database(backend, Path(folder)) as database_url,
    ):
        media_root = Path(folder) / "media"
        migrations.upgrade(database_url)
        create_admin(database_url, media_root)
        with start_server("ours", database_url, media_root, cache=True) as server:
            admin, entry_id = seed_featured(server.url(""), database_url)
            rows, bare, weights = load_cached_server(server, admin, entry_id, seconds, rounds)
        with start_server("cache off", database_url, media_root, cache=False) as uncached:
            warm_up(uncached.url(EMBED_PATH))
            rows.append(
                Row(
                    "every request renders (cache off, 2nd server)",
                    measure(uncached.url(EMBED_PATH), seconds),
                )
            )
            uncached_bare = measure(uncached.url("/healthz"), seconds)
    say(
        f"== {backend}; {PRODUCTS} featured products with photos; {WORKERS} workers; "
        f"wrk -t{DEFAULT_THREADS} -c{DEFAULT_CONNECTIONS}, {seconds:g} s per scenario; "
        f"{rounds} invalidation rounds of {DEFAULT_CONNECTIONS} concurrent requests"
    )
    print_table(rows, bare)
    say(
        f"{'bare /healthz, same server':<44} {bare.requests_per_second:>8.0f} "
        f"{bare.p50_ms:>8.2f} {bare.p99_ms:>8.2f}"
    )
    say(
        f"{'bare /healthz, cache-off server':<44} {uncached_bare.requests_per_second:>8.0f} "
        f"{uncached_bare.p50_ms:>8.2f} {uncached_bare.p99_ms:>8.2f}"
    )
    for label, size in weights.items():
        verdict = "under" if size < WEIGHT_LIMIT_BYTES else "NOT under"
        say(f"embed page weight, {label}: {size:,} bytes before images ({verdict} 30 KB)")
    say()


def load_cached_server(
    server: RunningServer, admin: dict[str, str], entry_id: str, seconds: float, rounds: int
) -> tuple[list[Row], LoadResult, dict[str, int]]:
    url = server.url(EMBED_PATH)
    page = warm_up(url)
    weights = {
        f"{PRODUCTS} products": len(page.content),
        "default (6 products)": len(warm_up(server.url("/embed/featured")).content),
    }
    warm = measure(url, seconds)
    entry_url = server.url(f"/api/v1/admin/featured/{entry_id}")
    invalidation = Invalidation(entry_url=entry_url, admin_headers=admin)
    invalidated = asyncio.run(bursts(url, rounds=rounds, invalidation=invalidation))
    etag = warm_up(url).headers["etag"]
    revalidated = measure_with_header(url, seconds, f"If-None-Match: {etag}")
    bare = measure(server.url("/healthz"), seconds)
    rows = [
        Row("warm (cache hit)", warm),
        Row("right after an invalidation (bursts)", invalidated),
        Row("304 revalidation (If-None-Match)", revalidated),
    ]
    return rows, bare, weights


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=60)
    arguments = parser.parse_args(argv)
    run(arguments.backend, arguments.seconds, arguments.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
