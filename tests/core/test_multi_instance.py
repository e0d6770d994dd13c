"""Two app processes behind one Redis: the response cache and the catalog version are shared,
and a change made through one instance is what the other serves at once (its version memo
would otherwise keep the old page for a minute)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from marketplace.config import Settings
from tests.conftest import TEST_SECRET_KEY
from tests.factories import open_shop
from tests.servers import LOOPBACK, free_port

STARTUP_SECONDS = 60.0
MEMO_SECONDS = "60"  # far longer than the test: only the shared generation can explain a fresh page


@dataclass(frozen=True)
class Instance:
    url: str
    log: str


@contextmanager
def app_process(settings: Settings, redis_url: str, folder: str) -> Iterator[Instance]:
    """``uvicorn marketplace.main:create_app --factory`` in a process of its own, configured
    like production through MARKETPLACE_* variables, on a free loopback port."""
    port = free_port()
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("MARKETPLACE_")
    }
    environment.update(
        {
            "MARKETPLACE_ENVIRONMENT": "test",
            "MARKETPLACE_DATABASE_URL": settings.database_url,
            "MARKETPLACE_SECRET_KEY": TEST_SECRET_KEY,
            "MARKETPLACE_REDIS_URL": redis_url,
            "MARKETPLACE_CATALOG_VERSION_TTL_SECONDS": MEMO_SECONDS,
            "MARKETPLACE_MEDIA_ROOT": str(settings.media_root),
            "MARKETPLACE_PUBLIC_URL": "http://testserver",
            "MARKETPLACE_BACKGROUND_TASKS_ENABLED": "false",
            "MARKETPLACE_LOG_JSON": "false",
        }
    )
    log_path = os.path.join(folder, f"instance-{port}.log")
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "marketplace.main:create_app",
                "--factory",
                "--host",
                LOOPBACK,
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],  # fmt: skip
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        instance = Instance(url=f"http://{LOOPBACK}:{port}", log=log_path)
        try:
            _wait_until_ready(process, instance)
            yield instance
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_ready(process: subprocess.Popen[bytes], instance: Instance) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{instance.url}/healthz", timeout=2).status_code == httpx.codes.OK:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    with open(instance.log, encoding="utf-8", errors="replace") as log:
        raise RuntimeError(f"instance at {instance.url} did not start:\n{log.read()[-3000:]}")


@pytest.fixture
async def two_instances(
    app: FastAPI, settings: Settings, redis_url: str
) -> AsyncIterator[tuple[Instance, Instance]]:
    """Instances A and B (``app`` is requested so the tables are emptied afterwards)."""
    from redis.asyncio import Redis  # noqa: PLC0415

    client = Redis.from_url(redis_url)
    await client.flushdb()  # no cached page or generation from an earlier run
    await client.aclose()
    with tempfile.TemporaryDirectory(prefix="multi-instance-") as folder, ExitStack() as stack:
        first = stack.enter_context(app_process(settings, redis_url, folder))
        second = stack.enter_context(app_process(settings, redis_url, folder))
        yield first, second


async def test_a_price_changed_through_one_instance_is_served_by_the_other_at_once(
    app: FastAPI, client: AsyncClient, two_instances: tuple[Instance, Instance]
) -> None:
    # given a listed product at Rp 55.000, its list page and detail read (and so cached and
    # their version remembered) through instance B
    shop = await open_shop(app, client, price=55_000)
    instance_a, instance_b = two_instances
    async with httpx.AsyncClient(timeout=30) as http:
        detail = f"/api/v1/products/{shop.product_id}"
        assert (await http.get(instance_b.url + detail)).json()["price"] == 55_000
        listed = await http.get(instance_b.url + "/api/v1/products")
        assert listed.json()["items"][0]["price"] == 55_000

        # when the seller changes the price through instance A
        changed = await http.patch(
            f"{instance_a.url}/api/v1/products/{shop.product_id}/variants/{shop.variant_id}",
            json={"price": 60_000},
            headers=shop.owner.headers,
        )
        assert changed.status_code == 200

        # then instance B serves the new price at once, on the detail and the list
        fresh_detail = (await http.get(instance_b.url + detail)).json()
        fresh_list = await http.get(instance_b.url + "/api/v1/products")
    assert fresh_detail["price"] == 60_000
    assert fresh_detail["variants"][0]["price"] == 60_000
    assert fresh_list.json()["items"][0]["price"] == 60_000
    assert fresh_list.headers["etag"] != listed.headers["etag"]
