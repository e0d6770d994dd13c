"""Real servers for tests that need a socket: a free loopback port and the app served by
uvicorn in a thread (browser tests, e-mail, Stripe doubles)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from marketplace.config import Settings
from marketplace.main import create_app

LOOPBACK = "127.0.0.1"
STARTUP_SECONDS = 20.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving_marketplace(settings: Settings, port: int) -> Iterator[None]:
    """The app served by uvicorn on loopback, in a thread with its own event loop."""
    config = uvicorn.Config(
        create_app(settings), host=LOOPBACK, port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="marketplace-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=15)
