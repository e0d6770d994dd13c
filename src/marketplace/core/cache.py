"""A small byte cache for rendered responses: Redis when configured (shared by every
instance), a bounded in-process LRU otherwise. Keys carry the data version, so entries
never need deleting; the TTL only bounds memory."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Protocol

from redis.asyncio import Redis

from marketplace.config import Settings

DEFAULT_TTL_SECONDS = 300


class ResponseCache(Protocol):
    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl_seconds: int = DEFAULT_TTL_SECONDS) -> None: ...

    async def clear(self) -> None: ...


class MemoryCache:
    def __init__(self, max_entries: int = 2048) -> None:
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._max_entries = max_entries

    async def get(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires_at, value = entry
        if expires_at < time.monotonic():
            self._entries.pop(key, None)
            return None
        self._entries.move_to_end(key)
        return value

    async def set(self, key: str, value: bytes, ttl_seconds: int = DEFAULT_TTL_SECONDS) -> None:
        self._entries[key] = (time.monotonic() + ttl_seconds, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    async def clear(self) -> None:
        self._entries.clear()


class RedisCache:
    def __init__(self, client: Redis, prefix: str = "marketplace:cache:") -> None:
        self._client = client
        self._prefix = prefix

    async def get(self, key: str) -> bytes | None:
        value = await self._client.get(self._prefix + key)
        return value if isinstance(value, bytes) else None

    async def set(self, key: str, value: bytes, ttl_seconds: int = DEFAULT_TTL_SECONDS) -> None:
        await self._client.set(self._prefix + key, value, ex=ttl_seconds)

    async def clear(self) -> None:
        async for key in self._client.scan_iter(match=self._prefix + "*"):
            await self._client.delete(key)


class NoCache:
    """Caching switched off (benchmarks measure the uncached path with it)."""

    async def get(self, key: str) -> bytes | None:
        return None

    async def set(self, key: str, value: bytes, ttl_seconds: int = DEFAULT_TTL_SECONDS) -> None:
        return None

    async def clear(self) -> None:
        return None


def redis_from_settings(settings: Settings) -> Redis | None:
    """One client (and connection pool) per process for the cache and the data generation."""
    return Redis.from_url(settings.redis_url) if settings.redis_url else None


def cache_from_settings(settings: Settings, redis: Redis | None = None) -> ResponseCache:
    if not settings.response_cache_enabled:
        return NoCache()
    if redis is not None:
        return RedisCache(redis)
    if settings.redis_url:
        return RedisCache(Redis.from_url(settings.redis_url))
    return MemoryCache()


class Generation(Protocol):
    """A number that moves whenever the app changes data that cached pages show."""

    async def current(self) -> object: ...

    async def bump(self) -> None: ...


class LocalGeneration:
    """One process: a counter in memory."""

    def __init__(self) -> None:
        self._value = 0

    async def current(self) -> object:
        return self._value

    async def bump(self) -> None:
        self._value += 1


class RedisGeneration:
    """Every instance sharing the Redis server: a change through one instance moves the number
    every other instance reads, so none serves a version it remembered from before it."""

    KEY = "marketplace:data-generation"

    def __init__(self, client: Redis) -> None:
        self._client = client

    async def current(self) -> object:
        return await self._client.get(self.KEY)

    async def bump(self) -> None:
        await self._client.incr(self.KEY)


class VersionMemo:
    """Remembers data versions for a moment, so a burst of cache hits does not ask the
    database each time. A change the app makes moves the generation (``changed()``), which
    drops what was remembered at once, on every instance when the generation is in Redis;
    ``ttl_seconds`` bounds how long a change made elsewhere (a sweep, SQL by hand) may go
    unseen (0: never remember)."""

    def __init__(self, ttl_seconds: float, generation: Generation | None = None) -> None:
        self._ttl = ttl_seconds
        self._generation = generation or LocalGeneration()
        self._versions: dict[str, tuple[float, object, str]] = {}

    async def get(self, name: str, load: Callable[[], Awaitable[str]]) -> str:
        if self._ttl <= 0:
            return await load()
        generation = await self._generation.current()
        now = time.monotonic()
        remembered = self._versions.get(name)
        if remembered is not None and remembered[0] > now and remembered[1] == generation:
            return remembered[2]
        version = await load()
        self._versions[name] = (now + self._ttl, generation, version)
        return version

    async def changed(self) -> None:
        """The app changed data that versions cover: nothing remembered is good any more."""
        self._versions.clear()
        await self._generation.bump()

    def forget(self) -> None:
        self._versions.clear()
