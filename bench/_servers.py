"""HTTP servers as subprocesses for the benchmarks: started on a free loopback port, ready once a
path answers 200, stopped (with their workers) however the benchmark ends."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
from _load import ProcessMemory, process_tree_memory

HOST = "127.0.0.1"
STARTUP_SECONDS = 60.0
STOP_SECONDS = 15.0
LOG_TAIL_LINES = 40


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class RunningServer:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: IO[bytes] | None = None  # what the server printed (stdout and stderr)

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def log_lines(self) -> list[str]:
        """Everything the server has printed so far, line by line."""
        if self.log is None:
            return []
        return [line for line in read_log(self.log).splitlines() if line.strip()]

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        """The last ``lines`` the server printed, for a failure's message."""
        tail = self.log_lines()[-lines:]
        return "\n".join(tail) if tail else "(the server printed nothing)"

    def worker_memory(self) -> list[ProcessMemory]:
        """The worker processes (uvicorn's spawned children), not the supervisor."""
        return [
            process
            for process in process_tree_memory(self.process.pid)
            if "spawn_main" in process.command
        ]


def read_log(log: IO[bytes]) -> str:
    """The log file's text, read through a file description of its own: seeking the one the
    server writes through would move where its next line lands."""
    with open(f"/proc/self/fd/{log.fileno()}", "rb") as reader:
        return reader.read().decode(errors="replace")


def clean_environment(overrides: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without any MARKETPLACE_* setting, plus ``overrides``."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("MARKETPLACE_")
    }
    environment.update(overrides)
    return environment


@contextmanager
def running_server(
    name: str,
    command: Sequence[str],
    environment: Mapping[str, str],
    *,
    port: int,
    ready_path: str,
    cwd: Path | None = None,
) -> Iterator[RunningServer]:
    """Start ``command`` (which must bind ``port``), wait until ``ready_path`` answers 200,
    and stop the whole process group on the way out."""
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            list(command),
            env=dict(environment),
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the workers stop with it
        )
        server = RunningServer(name=name, process=process, port=port, log=log)
        try:
            _wait_until_ready(server, ready_path, log)
            yield server
        except Exception:
            # Whatever went wrong with the run, the server's own words come with it.
            sys.stderr.write(f"--- last lines of {name}'s log ---\n{server.log_tail()}\n---\n")
            raise
        finally:
            _stop(process)


def _wait_until_ready(server: RunningServer, path: str, log: IO[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    with httpx.Client(timeout=5.0, trust_env=False) as client:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                break
            try:
                if client.get(server.url(path)).status_code == httpx.codes.OK:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
    output = read_log(log)[-4000:]
    raise RuntimeError(f"{server.name} did not become ready on {server.url(path)}:\n{output}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's process group (uvicorn stops its workers), SIGKILL if it hangs,
    then SIGKILL to any of its descendants still left in that group."""
    descendants = [
        memory.pid for memory in process_tree_memory(process.pid) if memory.pid != process.pid
    ]
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    for pid in descendants:
        try:
            if os.getpgid(pid) == process.pid:
                os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            continue


def marketplace_command() -> str:
    """The ``marketplace`` console script of the Python running the benchmark (the venv's)."""
    beside_python = Path(sys.executable).parent / "marketplace"
    if beside_python.is_file():
        return str(beside_python)
    found = shutil.which("marketplace")
    if found is None:
        raise RuntimeError("the `marketplace` command is not installed (make install)")
    return found
