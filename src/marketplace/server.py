"""The process ``marketplace serve`` becomes: uvicorn with the app factory.

The command replaces itself with ``python -m marketplace.server`` rather than calling uvicorn:
uvicorn starts its workers by spawning, and a spawned worker imports its parent's main module
again. This module imports only uvicorn and the settings; the command's module would load the
whole command line (typer, rich, Alembic) into every worker's memory for nothing."""

from __future__ import annotations

import argparse
import sys

import uvicorn

from marketplace.config import get_settings


def run(host: str, port: int, workers: int) -> None:
    settings = get_settings()
    uvicorn.run(
        "marketplace.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        # The app has no WebSocket route; "auto" would load a WebSocket library in every worker.
        ws="none",
        access_log=settings.access_log,
        # X-Forwarded-* are believed only from MARKETPLACE_TRUSTED_PROXIES (none by default).
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=",".join(settings.trusted_proxies) or None,
        log_config=None,
    )


def command_line(host: str, port: int, workers: int) -> list[str]:
    """The command that serves, for ``os.execv``."""
    arguments = ["--host", host, "--port", str(port), "--workers", str(workers)]
    return [sys.executable, "-m", "marketplace.server", *arguments]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="marketplace serve")
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, required=True)
    arguments = parser.parse_args(argv)
    run(arguments.host, arguments.port, arguments.workers)


if __name__ == "__main__":
    main(sys.argv[1:])
