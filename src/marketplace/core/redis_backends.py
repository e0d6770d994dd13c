"""The response cache and the data generation in Redis, shared by every instance. Imported
only when ``MARKETPLACE_REDIS_URL`` is set: the client library costs each process 5 MB."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.exceptions import RedisError

from marketplace.core.cache import DEFAULT_TTL_SECONDS, GenerationUnavailable, outages

# A Redis that does not answer must not hold a read up for long: the database answers instead.
REDIS_TIMEOUT_SECONDS = 2.0


def redis_client(url: str) -> Redis:
    return Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )


class RedisCache:
    """When Redis fails, a read is a miss and a write is skipped (logged): the page is
    rendered from the database rather than answering 500."""

    def __init__(self, client: Redis, prefix: str = "marketplace:cache:") -> None:
        self._client = client
        self._prefix = prefix

    async def get(self, key: str) -> bytes | None:
        try:
            value = await self._client.get(self._prefix + key)
        except RedisError as error:
            outages.failed("reading the response cache", error)
            return None
        return value if isinstance(value, bytes) else None

    async def set(self, key: str, value: bytes, ttl_seconds: int = DEFAULT_TTL_SECONDS) -> None:
        try:
            await self._client.set(self._prefix + key, value, ex=ttl_seconds)
        except RedisError as error:
            outages.failed("writing the response cache", error)

    async def clear(self) -> None:
        async for key in self._client.scan_iter(match=self._prefix + "*"):
            await self._client.delete(key)


class RedisGeneration:
    """A change through one instance moves the number every other instance reads, so none
    serves a version it remembered from before it."""

    KEY = "marketplace:data-generation"

    def __init__(self, client: Redis) -> None:
        self._client = client

    async def current(self) -> object:
        try:
            return await self._client.get(self.KEY)
        except RedisError as error:
            raise GenerationUnavailable(repr(error)) from error

    async def bump(self) -> None:
        await self._client.incr(self.KEY)
