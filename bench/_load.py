"""Load generation and process memory for the benchmarks.

``measure`` runs ``wrk`` when it is installed and a small httpx-based generator otherwise; both
give requests/s, p50 and p99 latency and the count of responses that were not 2xx or 3xx.
Only loopback URLs are accepted: benchmarks never send traffic off this machine.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
DEFAULT_CONNECTIONS = 32
DEFAULT_THREADS = 2
# wrk's default of 2 s drops slower requests from its latency figures (as socket timeouts);
# a longer limit keeps the tail of a slow scenario in its p99.
REQUEST_TIMEOUT_SECONDS = 10
HTTP_OK_RANGE = range(200, 400)
_UNIT_TO_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_LATENCY_LINE = re.compile(r"^\s*(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE)
_RATE_LINE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_TOTAL_LINE = re.compile(r"^\s*(\d+) requests in", re.MULTILINE)
_NON_2XX_LINE = re.compile(r"^\s*Non-2xx or 3xx responses:\s+(\d+)", re.MULTILINE)
_SOCKET_ERRORS_LINE = re.compile(
    r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
)


@dataclass(frozen=True)
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx_3xx: int
    socket_errors: int
    tool: str

    @property
    def failures(self) -> int:
        return self.non_2xx_3xx + self.socket_errors


def require_loopback(url: str) -> None:
    host = urlsplit(url).hostname
    if host not in LOOPBACK_HOSTS:
        raise ValueError(f"benchmarks only load loopback addresses, not {host!r}")


def measure(
    url: str,
    seconds: float,
    *,
    connections: int = DEFAULT_CONNECTIONS,
    threads: int = DEFAULT_THREADS,
) -> LoadResult:
    """Load ``url`` for ``seconds`` with ``connections`` concurrent keep-alive connections."""
    require_loopback(url)
    wrk = shutil.which("wrk")
    if wrk is not None:
        return run_wrk(wrk, url, seconds, connections=connections, threads=threads)
    return asyncio.run(run_httpx(url, seconds, connections=connections))


def run_wrk(wrk: str, url: str, seconds: float, *, connections: int, threads: int) -> LoadResult:
    command = wrk_command(wrk, url, seconds, connections=connections, threads=threads)
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    return parse_wrk_output(completed.stdout)


def wrk_command(
    wrk: str,
    url: str,
    seconds: float,
    *,
    connections: int,
    threads: int,
    script: Path | None = None,
) -> list[str]:
    """The ``wrk --latency`` command line; ``script`` is a Lua file (``-s``) that shapes each
    request (method, headers, body) and may print more after wrk's report."""
    duration = f"{max(1, round(seconds))}s"
    command = [
        wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}", "--latency",
        f"--timeout={REQUEST_TIMEOUT_SECONDS}s",
    ]  # fmt: skip
    if script is not None:
        command += ["-s", str(script)]
    return [*command, url]


def run_wrk_script(
    url: str,
    seconds: float,
    script: Path,
    *,
    connections: int = DEFAULT_CONNECTIONS,
    threads: int = DEFAULT_THREADS,
) -> tuple[LoadResult, str]:
    """``wrk`` driven by a Lua script (there is no httpx fallback for scripts): the figures,
    and wrk's whole output for what the script printed in ``done()``."""
    require_loopback(url)
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed; this benchmark needs it for scripted requests")
    command = wrk_command(
        wrk, url, seconds, connections=connections, threads=threads, script=script
    )
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    return parse_wrk_output(completed.stdout), completed.stdout


def parse_wrk_output(output: str) -> LoadResult:
    """The figures of one ``wrk --latency`` run."""
    rate = _RATE_LINE.search(output)
    total = _TOTAL_LINE.search(output)
    if rate is None or total is None:
        raise ValueError(f"unexpected wrk output:\n{output}")
    latencies = {
        percentile: float(value) * _UNIT_TO_MS[unit]
        for percentile, value, unit in _LATENCY_LINE.findall(output)
    }
    non_2xx = _NON_2XX_LINE.search(output)
    socket_errors = _SOCKET_ERRORS_LINE.search(output)
    return LoadResult(
        requests_per_second=float(rate.group(1)),
        p50_ms=latencies.get("50", float("nan")),
        p99_ms=latencies.get("99", float("nan")),
        requests=int(total.group(1)),
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(count) for count in socket_errors.groups()) if socket_errors else 0,
        tool="wrk",
    )


async def run_httpx(url: str, seconds: float, *, connections: int) -> LoadResult:
    """The fallback generator: ``connections`` tasks, each sending requests back to back."""
    latencies: list[float] = []
    counts = {"non_2xx_3xx": 0, "socket_errors": 0}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(
        limits=limits, timeout=REQUEST_TIMEOUT_SECONDS, trust_env=False
    ) as client:
        started = time.perf_counter()
        deadline = started + seconds

        async def worker() -> None:
            while time.perf_counter() < deadline:
                sent = time.perf_counter()
                try:
                    response = await client.get(url)
                except httpx.HTTPError:
                    counts["socket_errors"] += 1
                    continue
                latencies.append((time.perf_counter() - sent) * 1000)
                if response.status_code not in HTTP_OK_RANGE:
                    counts["non_2xx_3xx"] += 1

        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return LoadResult(
        requests_per_second=len(latencies) / elapsed,
        p50_ms=percentile(latencies, 50),
        p99_ms=percentile(latencies, 99),
        requests=len(latencies),
        non_2xx_3xx=counts["non_2xx_3xx"],
        socket_errors=counts["socket_errors"],
        tool="httpx",
    )


def percentile(sorted_values: list[float], rank: float) -> float:
    """Nearest-rank percentile of an ascending list (NaN when empty)."""
    if not sorted_values:
        return float("nan")
    index = max(0, min(len(sorted_values) - 1, round(rank / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


@dataclass(frozen=True)
class ProcessMemory:
    pid: int
    command: str
    rss_bytes: int


def process_tree_memory(pid: int) -> list[ProcessMemory]:
    """RSS of ``pid`` and of every process below it, read from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            stat = stat_file.read_text()
        except OSError:  # the process ended while we looked
            continue
        # the command name in parentheses may hold spaces: fields resume after the last ')'
        fields = stat[stat.rfind(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(stat_file.parent.name))
    found: list[ProcessMemory] = []
    pending = [pid]
    while pending:
        current = pending.pop()
        memory = _process_memory(current)
        if memory is not None:
            found.append(memory)
        pending.extend(children.get(current, []))
    return found


def _process_memory(pid: int) -> ProcessMemory | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return None
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    rss = int(match.group(1)) * 1024 if match else 0
    return ProcessMemory(pid=pid, command=command.strip(), rss_bytes=rss)


def total_rss_bytes(pid: int) -> int:
    """RSS of a process and its children together."""
    return sum(process.rss_bytes for process in process_tree_memory(pid))


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes have used so far (ended ones count zero)."""
    ticks = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def cpu_share(pids: list[int], window: float) -> float:
    """The processes' CPU use over the next ``window`` seconds, in cores."""
    before = cpu_seconds(pids)
    time.sleep(window)
    return (cpu_seconds(pids) - before) / window
