"""Product reads during a registration flood (issue 10).

Serves the marketplace (``marketplace serve``, SQLite, production argon2 cost: 64 MiB, three
passes) and measures ``GET /api/v1/products``: first alone, then while ``--registrations``
parallel ``POST /auth/register`` hit the same instance. Before the fix the reads took 14 s
(p50) with 500s; now hashing is bounded (MARKETPLACE_PASSWORD_HASH_CONCURRENCY, a short queue,
then 503 + Retry-After) and runs outside any transaction.

    python bench/registration_flood.py            # the real size: 100 registrations
    python bench/registration_flood.py --quick    # a short run
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _servers import clean_environment, free_port, marketplace_command, running_server  # noqa: E402

PASSWORD = "kopi-manggar-2026"


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


async def timed_reads(client: httpx.AsyncClient, count: int, statuses: Counter[int]) -> list[float]:
    """``count`` product-list reads one after another; milliseconds each."""
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        response = await client.get("/api/v1/products")
        timings.append((time.perf_counter() - started) * 1000)
        statuses[response.status_code] += 1
    return timings


async def register(client: httpx.AsyncClient, statuses: Counter[int]) -> None:
    body = {
        "email": f"banjir-{uuid.uuid4().hex[:12]}@contoh.id",
        "password": PASSWORD,
        "full_name": "Budi Santoso",
    }
    response = await client.post("/api/v1/auth/register", json=body)
    statuses[response.status_code] += 1


async def measure(base_url: str, registrations: int, reads: int) -> None:
    limits = httpx.Limits(max_connections=registrations + 10)
    async with httpx.AsyncClient(base_url=base_url, timeout=120, limits=limits) as client:
        await timed_reads(client, 5, Counter())  # warm up
        quiet_statuses: Counter[int] = Counter()
        quiet = await timed_reads(client, reads, quiet_statuses)

        flood_statuses: Counter[int] = Counter()
        read_statuses: Counter[int] = Counter()
        flood = [
            asyncio.create_task(register(client, flood_statuses)) for _ in range(registrations)
        ]
        await asyncio.sleep(0.05)  # the registrations are in
        busy = await timed_reads(client, reads, read_statuses)
        await asyncio.gather(*flood)

    say(f"GET /api/v1/products, {reads} sequential reads each")
    say(
        f"  without registrations: p50 {percentile(quiet, 0.5):7.1f} ms   "
        f"p99 {percentile(quiet, 0.99):7.1f} ms   statuses {dict(quiet_statuses)}"
    )
    say(
        f"  during {registrations} parallel registrations: p50 {percentile(busy, 0.5):7.1f} ms   "
        f"p99 {percentile(busy, 0.99):7.1f} ms   statuses {dict(read_statuses)}"
    )
    say(f"  registrations answered: {dict(sorted(flood_statuses.items()))}")
    means = f"{statistics.mean(quiet):.1f} / {statistics.mean(busy):.1f}"
    say(f"  mean read without / during: {means} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrations", type=int, default=100)
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="50 reads per phase")
    arguments = parser.parse_args()
    reads = 50 if arguments.quick else arguments.reads
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-registration-") as folder:
        environment = clean_environment(
            {
                "MARKETPLACE_DATABASE_URL": f"sqlite:///{folder}/bench.db",
                "MARKETPLACE_SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
                "MARKETPLACE_ENVIRONMENT": "production",
                "MARKETPLACE_MEDIA_ROOT": f"{folder}/media",
                "MARKETPLACE_REGISTRATIONS_PER_ADDRESS": "100000/hour",
                "MARKETPLACE_LOG_LEVEL": "WARNING",
                "MARKETPLACE_BACKGROUND_TASKS_ENABLED": "false",
            }
        )
        command = marketplace_command()
        subprocess.run([command, "db", "upgrade"], env=environment, check=True, capture_output=True)
        with running_server(
            "marketplace",
            [command, "serve", "--port", str(port)],
            environment,
            port=port,
            ready_path="/healthz",
        ):
            asyncio.run(measure(f"http://127.0.0.1:{port}", arguments.registrations, reads))


if __name__ == "__main__":
    main()
