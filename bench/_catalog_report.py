"""The table bench/catalog.py prints: scenarios, their figures, and the targets they are
reported against (never asserted)."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from enum import StrEnum

from _load import DEFAULT_CONNECTIONS, DEFAULT_THREADS, LoadResult, ProcessMemory
from _queries import CountedCall

MB = 1024 * 1024
# The targets of issue 17's table.
TARGET_UNCACHED_VS_PLAIN = 1.5  # first page and product detail, against the plain first page
TARGET_CACHED_VS_BARE = 0.5
TARGET_SLOW_PATH_FACTOR = 2.0  # search and filtered list against the first page
TARGET_WORKER_MB = 120


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


@dataclass
class CaseReport:
    backend: str
    size: int
    seconds: float
    visible: int = 0
    seed_seconds: float = 0.0
    scenarios: list[Scenario] = field(default_factory=list)
    loads: dict[str, LoadResult] = field(default_factory=dict)
    alone_ms: dict[str, float] = field(default_factory=dict)  # one request at a time, median
    # The server workers' CPU time per request served under load: steadier than req/s when
    # other work shares the machine (the database's own CPU is not in it).
    cpu_ms: dict[str, float] = field(default_factory=dict)
    counted: dict[str, CountedCall] = field(default_factory=dict)
    memory: dict[Server, list[ProcessMemory]] = field(default_factory=dict)
    idle_memory: dict[Server, list[ProcessMemory]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    plans: dict[str, list[str]] = field(default_factory=dict)


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


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


def print_report(report: CaseReport, *, workers: int) -> None:
    tool = next(iter(report.loads.values())).tool
    say(
        f"== {report.backend}, {report.size:,} products ({report.visible:,} public); "
        f"built and seeded in {report.seed_seconds:.0f} s; {tool} -t{DEFAULT_THREADS} "
        f"-c{DEFAULT_CONNECTIONS}, {report.seconds:g} s per scenario; {workers} workers per server"
    )
    header = (
        f"{'scenario':<26} {'server':<14} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'alone ms':>8} {'ratio':>11} {'CPU ms':>6} {'queries':>7} {'errors':>6}  RSS/worker MB"
    )
    say(header)
    say("-" * len(header))
    for scenario in report.scenarios:
        load = report.loads[scenario.key]
        rss = "/".join(f"{mb:.0f}" for mb in worker_mb(report.memory[scenario.server]))
        queries = len(report.counted[scenario.key].statements)
        say(
            f"{scenario.label:<26} {scenario.server:<14} {rate(load):>8} "
            f"{milliseconds(load, load.p50_ms):>8} {milliseconds(load, load.p99_ms):>8} "
            f"{report.alone_ms[scenario.key]:>8.2f} {ratio(report, scenario):>11} "
            f"{report.cpu_ms[scenario.key]:>6.2f} {queries:>7} {load.failures:>6}  {rss}"
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
    lines = [
        against_line(report, "first", "plain", TARGET_UNCACHED_VS_PLAIN),
        against_line(report, "detail", "plain", TARGET_UNCACHED_VS_PLAIN),
        against_line(report, "cached", "bare", TARGET_CACHED_VS_BARE),
        against_line(report, "detail_cached", "bare", TARGET_CACHED_VS_BARE),
    ]
    cached_vs_plain = divide(
        report.loads["cached"].requests_per_second, report.loads["plain"].requests_per_second
    )
    lines.append(f"(for reference, not a target: cached first page {cached_vs_plain:.2f}x plain)")
    applies = report.backend == "postgresql" and report.size >= 100_000
    for key in ("search", "filtered", "deep"):
        lines.append(within_factor_line(report, key, applies))
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


def against_line(report: CaseReport, key: str, baseline: str, target: float) -> str:
    """A scenario's req/s as a multiple of a baseline's, measured in the same run."""
    ours, base = report.loads[key], report.loads[baseline]
    label = next(scenario.label for scenario in report.scenarios if scenario.key == key)
    measured = divide(ours.requests_per_second, base.requests_per_second)
    by_cpu = divide(report.cpu_ms[baseline], report.cpu_ms[key])
    return (
        f"{label} >= {target:g}x {baseline}: {measured:.2f}x ({ours.requests_per_second:.0f} "
        f"vs {base.requests_per_second:.0f} req/s) -- {verdict(measured >= target)}; "
        f"by server CPU per request {by_cpu:.2f}x ({report.cpu_ms[key]:.2f} vs "
        f"{report.cpu_ms[baseline]:.2f} ms)"
    )


def within_factor_line(report: CaseReport, key: str, applies: bool) -> str:
    """Deep page or search against the first page: req/s and p50 both within the factor."""
    first, load = report.loads["first"], report.loads[key]
    label = f"{key} within {TARGET_SLOW_PATH_FACTOR:g}x of first page"
    if load.requests == 0:
        figures = (
            f"no request completed in {report.seconds:g} s under load (alone "
            f"{report.alone_ms[key]:.0f} ms vs {report.alone_ms['first']:.0f} ms)"
        )
        met = False
    else:
        slower = divide(first.requests_per_second, load.requests_per_second)
        p50_factor = divide(load.p50_ms, first.p50_ms)
        figures = (
            f"{slower:.2f}x fewer req/s, p50 {p50_factor:.2f}x "
            f"({load.p50_ms:.1f} vs {first.p50_ms:.1f} ms)"
        )
        met = max(slower, p50_factor) <= TARGET_SLOW_PATH_FACTOR
    scope = verdict(met) if applies else f"would be {verdict(met)}; the target is for 100k on PG"
    return f"{label}: {figures} -- {scope}"
