#!/usr/bin/env python3
"""Split the test suite into shards of about equal running time, by test file, for CI.

    .venv/bin/python .ci/shards.py plan DIR --sqlite N --postgresql M
        collects the suite once (``pytest --collect-only -q``), gives every test file to exactly
        one shard of each database (heaviest file first, to the lightest shard so far; the
        weights are the seconds in .ci/test-weights.json) and writes DIR/sqlite-1.txt ..,
        DIR/postgresql-1.txt .., one file a line; fails if a collected file is in no shard or in
        two, or a shard lists a file pytest did not collect.
    .venv/bin/python .ci/shards.py weights --sqlite A.xml.. --postgresql B.xml.. >WEIGHTS
        prints the weights from JUnit XML reports covering the suite once per database (the
        shards' reports .ci/run keeps in $CI_REPORTS, or ``pytest --junitxml=A.xml``), to write
        into .ci/test-weights.json.

Run the shard's files with ``make test PYTEST_ARGS="$(cat DIR/postgresql-1.txt)"``; `make test`
without arguments still runs the whole suite.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[1]
WEIGHTS = ROOT / ".ci" / "test-weights.json"
DATABASES = ("sqlite", "postgresql")


def collected_files() -> list[str]:
    """The files pytest collects tests from, sorted."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"pytest --collect-only failed:\n{result.stdout}\n{result.stderr}")
    node_ids = [line for line in result.stdout.splitlines() if "::" in line]
    return sorted({node_id.split("::", 1)[0] for node_id in node_ids})


def assign(files: list[str], weights: dict[str, float], count: int) -> list[list[str]]:
    """Heaviest file first, each to the lightest shard so far: deterministic for given weights.
    A file without a weight (new since the weights were measured) counts as an average one."""
    average = sum(weights.values()) / len(weights) if weights else 1.0
    shards: list[list[str]] = [[] for _ in range(count)]
    loads = [0.0] * count
    for path in sorted(files, key=lambda path: (-weights.get(path, average), path)):
        lightest = loads.index(min(loads))
        shards[lightest].append(path)
        loads[lightest] += weights.get(path, average)
    return [sorted(shard) for shard in shards]


def problems(files: list[str], shards: list[list[str]]) -> list[str]:
    """Every collected file in exactly one shard, and nothing else in any shard."""
    seen = Counter(path for shard in shards for path in shard)
    found = [f"{path} is in no shard" for path in files if seen[path] == 0]
    found += [f"{path} is in {seen[path]} shards" for path in files if seen[path] > 1]
    found += [f"{path} is in a shard but not collected" for path in seen if path not in files]
    found += [f"shard {index} is empty" for index, shard in enumerate(shards, 1) if not shard]
    return found


def plan(folder: Path, counts: dict[str, int]) -> None:
    weights: dict[str, dict[str, float]] = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    files = collected_files()
    folder.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    for database, count in counts.items():
        shards = assign(files, weights.get(database, {}), count)
        failures += [f"{database}: {problem}" for problem in problems(files, shards)]
        for index, shard in enumerate(shards, 1):
            (folder / f"{database}-{index}.txt").write_text("\n".join(shard) + "\n")
            seconds = sum(weights.get(database, {}).get(path, 0.0) for path in shard)
            sys.stdout.write(f"{database}-{index}: {len(shard)} files, ~{seconds:.0f} s\n")
    unweighed = [path for path in files if any(path not in weights.get(d, {}) for d in counts)]
    if unweighed:
        sys.stdout.write(f"no weight yet (counted as average): {' '.join(unweighed)}\n")
    if failures:
        sys.exit("the shards do not cover the suite exactly once:\n" + "\n".join(failures))


def seconds_by_file(reports: list[Path]) -> dict[str, float]:
    """Setup, call and teardown seconds of every test case, summed by file (JUnit's classname
    is the dotted module, then any class)."""
    modules = {".".join(path.with_suffix("").parts): path.as_posix() for path in test_modules()}
    totals: dict[str, float] = defaultdict(float)
    for report in reports:
        for case in ElementTree.parse(report).getroot().iter("testcase"):
            dotted = case.get("classname", "")
            while dotted and dotted not in modules:
                dotted = dotted.rpartition(".")[0]
            if dotted:
                totals[modules[dotted]] += float(case.get("time", "0"))
    return {path: round(seconds, 1) for path, seconds in sorted(totals.items())}


def test_modules() -> list[Path]:
    return [path.relative_to(ROOT) for path in (ROOT / "tests").rglob("test_*.py")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    planning = commands.add_parser("plan", help="write the shards' file lists into a folder")
    planning.add_argument("folder", type=Path)
    weighing = commands.add_parser("weights", help="print weights from JUnit XML reports")
    for database in DATABASES:
        planning.add_argument(f"--{database}", type=int, required=True, help="how many shards")
        weighing.add_argument(f"--{database}", type=Path, nargs="+", required=True)
    arguments = parser.parse_args()
    if arguments.command == "plan":
        plan(arguments.folder, {database: getattr(arguments, database) for database in DATABASES})
    else:
        weights = {
            database: seconds_by_file(getattr(arguments, database)) for database in DATABASES
        }
        sys.stdout.write(json.dumps(weights, indent=1) + "\n")


if __name__ == "__main__":
    main()
