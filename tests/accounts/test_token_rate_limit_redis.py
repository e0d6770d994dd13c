"""The sign-in limits against real Redis, shared by every instance of the app."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from tests.conftest import make_settings
from tests.factories import DEFAULT_PASSWORD, http_client, register, running_app

WRONG_PASSWORD = "salah-sandi-2026"


@pytest.fixture
async def redis_instances(
    migrated_database: str, app: FastAPI, redis_url: str
) -> AsyncIterator[list[FastAPI]]:
    """Two app instances on the shared database and one Redis, as behind a load balancer.

    Depends on ``app`` so the harness empties the tables these instances write to.
    """
    settings = make_settings(migrated_database, redis_url=redis_url)
    async with running_app(settings) as first, running_app(settings) as second:
        await first.state.rate_limiter.reset()
        try:
            yield [first, second]
        finally:
            await first.state.rate_limiter.reset()


async def request_token(client: AsyncClient, email: str, password: str) -> int:
    response = await client.post(
        "/api/v1/auth/token", data={"username": email, "password": password}
    )
    if response.status_code == 429:
        assert int(response.headers["retry-after"]) > 0
    return response.status_code


async def test_five_failures_on_one_instance_lock_the_account_on_another(
    redis_instances: list[FastAPI],
) -> None:
    first, second = redis_instances
    async with http_client(first) as one, http_client(second) as other:
        await register(one, email="siti@contoh.id")
        failures = [await request_token(one, "siti@contoh.id", WRONG_PASSWORD) for _ in range(5)]

        on_the_other_instance = await request_token(other, "siti@contoh.id", DEFAULT_PASSWORD)

    assert failures == [401] * 5
    assert on_the_other_instance == 429


async def test_failures_from_another_address_do_not_lock_the_account_across_instances(
    redis_instances: list[FastAPI],
) -> None:
    first, second = redis_instances
    async with (
        http_client(first, address="198.51.100.20") as attacker,
        http_client(second, address="203.0.113.7") as owner,
    ):
        await register(attacker, email="siti@contoh.id")
        failures = [
            await request_token(attacker, "siti@contoh.id", WRONG_PASSWORD) for _ in range(6)
        ]

        owner_signs_in = await request_token(owner, "siti@contoh.id", DEFAULT_PASSWORD)

    assert failures == [401] * 5 + [429]
    assert owner_signs_in == 200


async def test_redis_limiter_reset_unlocks_the_account(redis_instances: list[FastAPI]) -> None:
    first, _ = redis_instances
    async with http_client(first) as one:
        await register(one, email="siti@contoh.id")
        for _ in range(5):
            await request_token(one, "siti@contoh.id", WRONG_PASSWORD)
        assert await request_token(one, "siti@contoh.id", DEFAULT_PASSWORD) == 429

        await first.state.rate_limiter.reset()

        assert await request_token(one, "siti@contoh.id", DEFAULT_PASSWORD) == 200
