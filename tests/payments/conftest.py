"""Fixtures for the payments tests: localstripe (a stateful fake Stripe) in a process of its own
on 127.0.0.1, the app pointed at it with the real Stripe SDK, and the app served over real HTTP
when localstripe itself must deliver webhooks to it."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import stripe
import uvicorn
from fastapi import FastAPI

from marketplace.config import Settings
from marketplace.main import create_app
from tests.conftest import make_settings
from tests.servers import free_port

STRIPE_SECRET_KEY = "sk_test_localstripe"
WEBHOOK_SECRET = "whsec_test_secret"
COMMISSION_BASIS_POINTS = 500
LAUNCHER = Path(__file__).with_name("localstripe_launcher.py")
# Nothing listens on port 1: localstripe's deliveries there fail at once and are dropped.
NOWHERE = "http://127.0.0.1:1/api/v1/webhooks/stripe"


def _wait_until_answering(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"localstripe exited: {log.read_text(errors='replace')}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{url}/js.stripe.com/v3/", timeout=1).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"localstripe did not answer at {url}")


@pytest.fixture(scope="session")
def localstripe_url() -> Iterator[str]:
    """localstripe on 127.0.0.1 and a free port, its store in memory, for the whole session."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="localstripe-") as folder:
        log = Path(folder) / "localstripe.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, str(LAUNCHER), str(port)], stdout=output, stderr=output
            )
        try:
            _wait_until_answering(url, process, log)
            register_webhook(url, NOWHERE)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def register_webhook(localstripe_url: str, target: str) -> None:
    """Where localstripe posts its payment_intent.* events (one endpoint, replaced each time)."""
    response = httpx.post(
        f"{localstripe_url}/_config/webhooks/test",
        data={"url": target, "secret": WEBHOOK_SECRET},
        timeout=5,
    )
    response.raise_for_status()


def payment_settings(database_url: str, localstripe_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "stripe_secret_key": STRIPE_SECRET_KEY,
        "stripe_webhook_secret": WEBHOOK_SECRET,
        "stripe_api_base": localstripe_url,
        "platform_commission_basis_points": COMMISSION_BASIS_POINTS,
        # the escrow tests replay the billion-rupiah cash-on-delivery abuse of issue 9
        "cod_max_total": 2_000_000_000,
    }
    values.update(overrides)
    return make_settings(database_url, **values)


@pytest.fixture(scope="session")
async def app(
    migrated_database: str,
    localstripe_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    seeded_shipping_rates: list[dict[str, object]],
) -> AsyncIterator[FastAPI]:
    """The shared app of these tests: Stripe keys set, its API at localstripe, 5 % commission.
    Named ``app`` so the suite's cleaner empties the tables after every test that uses it
    (and restores ``seeded_shipping_rates``: read here, as the cleaner cannot set up an async
    fixture during teardown when these tests run alone)."""
    settings = payment_settings(
        migrated_database, localstripe_url, media_root=tmp_path_factory.mktemp("media")
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture(scope="session")
def stripe_client(localstripe_url: str) -> stripe.StripeClient:
    """The real SDK pointed at localstripe, as the tests' own window on "Stripe"."""
    return stripe.StripeClient(
        STRIPE_SECRET_KEY,
        base_addresses={"api": localstripe_url},
        http_client=stripe.HTTPXClient(),
    )


@pytest.fixture(scope="session")
async def served_app(app: FastAPI) -> AsyncIterator[str]:
    """The shared app behind uvicorn on 127.0.0.1 (a task on the tests' event loop), for
    callers that need real HTTP. Lifespan is off: the ``app`` fixture already runs it."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[listener]))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        listener.close()


@pytest.fixture
def localstripe_webhooks(served_app: str, localstripe_url: str) -> Iterator[str]:
    """localstripe delivers its payment_intent.* events to the served app during the test."""
    register_webhook(localstripe_url, f"{served_app}/api/v1/webhooks/stripe")
    try:
        yield served_app
    finally:
        register_webhook(localstripe_url, NOWHERE)
