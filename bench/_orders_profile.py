"""Where a checkout's CPU goes: one-seller orders placed one after another through the app
over ASGI (no network, no wrk), on a fresh PostgreSQL database seeded like bench/orders.py,
the e-mail outbox's sends included; prints CPU ms per order (this process: the app, the
client and the kernel's share of the loopback), and with ``--cprofile`` the top functions by
own and cumulative time. For a flame graph, run it under a sampler instead:

    .venv/bin/python bench/_orders_profile.py [--orders 300] [--three] [--cprofile [--top 30]]
    py-spy record -f raw -o checkout.txt -- .venv/bin/python bench/_orders_profile.py
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from _orders_data import Shops, fresh_database, seed_shops
from _orders_load import order_body
from _orders_report import say
from _queries import our_settings
from fastapi import FastAPI

from marketplace import migrations
from marketplace.main import create_app

SECRET_KEY = "bench-orders-secret-key-not-for-production-0123456789"
UNLIMITED_RATE = "100000000/second"
WARMUP_ORDERS = 20


def build_app(database_url: str) -> FastAPI:
    settings = our_settings(database_url, SECRET_KEY, "http://127.0.0.1:8000", cache=False)
    settings.orders_per_address = UNLIMITED_RATE
    settings.orders_per_buyer_email = UNLIMITED_RATE
    return create_app(settings)


async def place(client: httpx.AsyncClient, app: FastAPI, variants: list[uuid.UUID]) -> None:
    response = await client.post(
        "/api/v1/orders",
        json=order_body(variants),
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    if response.status_code != httpx.codes.CREATED:
        raise RuntimeError(f"checkout answered {response.status_code}: {response.text[:300]}")
    await app.state.gateways.mailer.drain()


async def profile_orders(
    database_url: str, shops: Shops, orders: int, three: bool, profiler: cProfile.Profile | None
) -> float:
    app = build_app(database_url)
    cart = (
        [variants[0] for variants in shops.variants_by_seller]
        if three
        else [shops.plentiful_variants[0]]
    )
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            base_url = "http://127.0.0.1"
            async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
                for _ in range(WARMUP_ORDERS):
                    await place(client, app, cart)
                started = time.process_time()
                if profiler is not None:
                    profiler.enable()
                for _ in range(orders):
                    await place(client, app, cart)
                if profiler is not None:
                    profiler.disable()
                cpu = time.process_time() - started
    finally:
        await app.state.engine.dispose()
    return cpu * 1000 / orders


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--three", action="store_true", help="a three-seller cart")
    parser.add_argument("--cprofile", action="store_true", help="under cProfile (slower)")
    arguments = parser.parse_args(argv)
    profiler = cProfile.Profile() if arguments.cprofile else None
    with (
        tempfile.TemporaryDirectory(prefix="bench-orders-profile-") as folder,
        fresh_database("postgresql", Path(folder)) as database_url,
    ):
        migrations.upgrade(database_url)
        shops = asyncio.run(seed_shops(database_url))
        cpu_ms = asyncio.run(
            profile_orders(database_url, shops, arguments.orders, arguments.three, profiler)
        )
    say(f"CPU per order{' (under cProfile)' if profiler else ''}: {cpu_ms:.2f} ms")
    if profiler is None:
        return 0
    stats = pstats.Stats(profiler)
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats.stream = out  # type: ignore[attr-defined]
        stats.sort_stats(order).print_stats(arguments.top)
        say(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
