"""A small byte cache for rendered responses: Redis when configured (shared by every
instance, core/redis_backends.py), a bounded in-process LRU otherwise. Keys carry the data
version, so entries never need deleting; the TTL only bounds memory."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol

from marketplace.config import Settings

if TYPE_CHECKING:  # the client is imported only where Redis is configured (5 MB a process)
    from redis.asyncio import Redis

DEFAULT_TTL_SECONDS = 300
# The in-process cache's bound per worker (MARKETPLACE_RESPONSE_CACHE_MAX_BYTES): about 330
# list pages of 20 products (12 kB each) or 2,000 product pages (2 kB), within the 120 MB a
# worker may use; the count bound it replaces (2,048 entries) allowed 24 MB of list pages.
DEFAULT_MAX_BYTES = 4 * 1024 * 1024
# An entry's Python objects besides its key's and value's bytes: the key string's and the
# value's headers, the (expiry, value) tuple, the float and the OrderedDict's slot and link
# (about 225 bytes on CPython 3.11, measured with tracemalloc).
ENTRY_OVERHEAD_BYTES = 256
OUTAGE_LOG_INTERVAL_SECONDS = 60.0
logger = logging.getLogger("marketplace.cache")


class _OutageLog:
    """Logs a Redis failure at most once a minute per process: every read meets the same
    outage, and one line a request would bury everything else in the log."""

    def __init__(self) -> None:
        self._last = -OUTAGE_LOG_INTERVAL_SECONDS

    def failed(self, doing: str, error: Exception) -> None:
        now = time.monotonic()
        if now - self._last >= OUTAGE_LOG_INTERVAL_SECONDS:
            self._last = now
            logger.warning("Redis unavailable while %s, reading the database: %r", doing, error)


outages = _OutageLog()


class ResponseCache(Protocol):
    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl_seconds: int = DEFAULT_TTL_SECONDS) -> None: ...

    async def clear(self) -> None: ...


class MemoryCache:
    """An LRU of entries holding at most ``max_bytes``: every entry counts its key's and its
    value's length plus ENTRY_OVERHEAD_BYTES (the Python objects around them), and the least
    recently used entries go until the total fits. A value larger than the bound is not kept.
    A byte bound rather than a count: list pages are ten times the size of a product page, and
    a count would let a crawl of large pages grow each worker by tens of megabytes."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._max_bytes = max_bytes
        self._held_bytes = 0

    @property
    def held_bytes(self) -> int:
        """What the entries count for against ``max_bytes``."""
        return self._held_bytes

    async def get(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires_at, value = entry
        if expires_at < time.monotonic():
            self._remove(key)
            return None
        self._entries.move_to_end(key)
        return value

    async def set(self, key: str, value: bytes, ttl_seconds: int = DEFAULT_TTL_SECONDS) -> None:
        self._remove(key)
        size = entry_bytes(key, value)
        if size > self._max_bytes:
            return
        self._entries[key] = (time.monotonic() + ttl_seconds, value)
        self._held_bytes += size
        while self._held_bytes > self._max_bytes:
            oldest, (_, oldest_value) = self._entries.popitem(last=False)
            self._held_bytes -= entry_bytes(oldest, oldest_value)

    async def clear(self) -> None:
        self._entries.clear()
        self._held_bytes = 0

    def _remove(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._held_bytes -= entry_bytes(key, entry[1])


def entry_bytes(key: str, value: bytes) -> int:
    return len(key) + len(value) + ENTRY_OVERHEAD_BYTES


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
    if not settings.redis_url:
        return None
    from marketplace.core import redis_backends  # noqa: PLC0415 (only with Redis configured)

    return redis_backends.redis_client(settings.redis_url)


def cache_from_settings(settings: Settings, redis: Redis | None = None) -> ResponseCache:
    if not settings.response_cache_enabled:
        return NoCache()
    if redis is None:
        redis = redis_from_settings(settings)
    if redis is None:
        return MemoryCache(settings.response_cache_max_bytes)
    from marketplace.core import redis_backends  # noqa: PLC0415 (only with Redis configured)

    return redis_backends.RedisCache(redis)


def generation_for(redis: Redis | None) -> Generation:
    """The data generation in Redis, shared by every instance; a counter in memory without."""
    if redis is None:
        return LocalGeneration()
    from marketplace.core import redis_backends  # noqa: PLC0415 (only with Redis configured)

    return redis_backends.RedisGeneration(redis)


class GenerationUnavailable(Exception):
    """The shared generation could not be read (Redis down): trust no remembered version."""


class Generation(Protocol):
    """A number that moves whenever the app changes data that cached pages show;
    ``current()`` raises GenerationUnavailable when it cannot be read."""

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
        try:
            generation = await self._generation.current()
        except GenerationUnavailable as error:  # none to trust: read the version itself
            outages.failed("reading the data generation", error)
            return await load()
        now = time.monotonic()
        remembered = self._versions.get(name)
        if remembered is not None and remembered[0] > now and remembered[1] == generation:
            return remembered[2]
        version = await load()
        self._versions[name] = (now + self._ttl, generation, version)
        return version

    async def remembered(self, name: str) -> str | None:
        """The version of ``name`` while it is remembered and still current, else None (the
        caller then takes the ordinary path, which loads it)."""
        remembered = self._versions.get(name)
        if remembered is None or remembered[0] <= time.monotonic():
            return None
        try:
            generation = await self._generation.current()
        except GenerationUnavailable as error:
            outages.failed("reading the data generation", error)
            return None
        return remembered[2] if remembered[1] == generation else None

    async def changed(self) -> None:
        """The app changed data that versions cover: nothing remembered is good any more."""
        self._versions.clear()
        await self._generation.bump()

    def forget(self) -> None:
        self._versions.clear()
