"""Password hashing is bounded per process and runs outside any transaction: a registration
flood gets 503s with Retry-After while reads go on answering (speed: bench/registration_flood)."""

from __future__ import annotations

import asyncio
from collections import Counter

from fastapi import FastAPI
from httpx import AsyncClient, Response

from marketplace.accounts.models import User
from tests.conftest import make_settings
from tests.factories import DEFAULT_PASSWORD, count_rows, http_client, running_app, unique_email


async def register_now(client: AsyncClient) -> Response:
    body = {"email": unique_email("banjir"), "password": DEFAULT_PASSWORD, "full_name": "Budi"}
    return await client.post("/api/v1/auth/register", json=body)


async def test_registration_flood_gets_503_beyond_the_hashing_queue_while_reads_answer(
    migrated_database: str, app: FastAPI
) -> None:
    # Issue 10: 100 parallel registrations made product reads take 14 s, with 500s on SQLite.
    # given one hashing slot, a queue of two, and a costly hash (16 MiB, three passes)
    settings = make_settings(
        migrated_database,
        password_hash_concurrency=1,
        password_hash_queue=2,
        password_hash_memory_kib=16384,
        password_hash_time_cost=3,
    )
    async with running_app(settings) as instance, http_client(instance) as client:
        # when 40 registrations arrive at once, and the catalog is read while they hash
        flood = [asyncio.create_task(register_now(client)) for _ in range(40)]
        while not instance.state.password_hashing.saturated:
            await asyncio.sleep(0)
        reads = [await client.get("/api/v1/products") for _ in range(5)]
        answers = await asyncio.gather(*flood)
        users = await count_rows(instance.state.sessionmaker, User)

    # then the reads answered, the registrations beyond the queue were turned away politely,
    # and every other one was created (no 500, no "database is locked")
    assert [read.status_code for read in reads] == [200] * 5
    statuses = Counter(answer.status_code for answer in answers)
    assert set(statuses) == {201, 503}
    assert statuses[201] >= 3
    assert users == statuses[201]
    refused = next(answer for answer in answers if answer.status_code == 503)
    assert refused.headers["retry-after"] == "2"
    assert refused.headers["content-type"] == "application/problem+json"


async def test_registrations_are_limited_per_address(migrated_database: str, app: FastAPI) -> None:
    settings = make_settings(migrated_database, registrations_per_address="3/hour")
    async with running_app(settings) as instance:
        async with http_client(instance, address="198.51.100.9") as client:
            same_address = [(await register_now(client)).status_code for _ in range(4)]
        async with http_client(instance, address="203.0.113.7") as elsewhere:
            other_address = (await register_now(elsewhere)).status_code

    assert same_address == [201, 201, 201, 429]
    assert other_address == 201
