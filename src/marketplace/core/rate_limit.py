"""Rate limits shared across instances through Redis when configured, in memory otherwise.

Two kinds: the moving windows of ``limits`` (``retry_after``/``hit``), and attempt counters
(``take``/``give_back``) that count an attempt *before* the work it guards, atomically, so a
burst of parallel requests cannot all slip under the limit while the first is still running.
"""

from __future__ import annotations

import time
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

from marketplace.config import Settings

if TYPE_CHECKING:
    from limits import RateLimitItem
    from limits.aio.strategies import MovingWindowRateLimiter

# Under the prefix ``limits`` resets, so one reset empties both kinds.
ATTEMPTS_PREFIX = "LIMITS:attempts"

# INCR, start the window on the first attempt, refuse (and undo) past the limit: one step.
_TAKE_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
if count > tonumber(ARGV[1]) then
  redis.call('DECR', KEYS[1])
  local ttl = redis.call('TTL', KEYS[1])
  if ttl < 1 then ttl = 1 end
  return ttl
end
return 0
"""
_GIVE_BACK_SCRIPT = """
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then redis.call('DECR', KEYS[1]) end
return 0
"""


class AttemptCounter(Protocol):
    async def take(self, key: str, amount: int, window_seconds: int) -> int: ...

    async def give_back(self, key: str) -> None: ...

    async def forget(self, key: str) -> None: ...

    async def reset(self) -> None: ...


class MemoryAttemptCounter:
    """Fixed windows in a dict; atomic because nothing awaits between reading and writing."""

    def __init__(self) -> None:
        self._windows: dict[str, tuple[float, int]] = {}

    async def take(self, key: str, amount: int, window_seconds: int) -> int:
        now = time.monotonic()
        ends, count = self._windows.get(key, (0.0, 0))
        if ends <= now:
            ends, count = now + window_seconds, 0
        if count >= amount:
            return max(1, int(ends - now) + 1)
        self._windows[key] = (ends, count + 1)
        return 0

    async def give_back(self, key: str) -> None:
        ends, count = self._windows.get(key, (0.0, 0))
        if count > 0:
            self._windows[key] = (ends, count - 1)

    async def forget(self, key: str) -> None:
        self._windows.pop(key, None)

    async def reset(self) -> None:
        self._windows.clear()


class RedisAttemptCounter:
    """The same windows in Redis, each step one Lua script (atomic across instances)."""

    def __init__(self, url: str) -> None:
        from redis.asyncio import Redis  # noqa: PLC0415 (only with Redis configured: 5 MB)

        self._redis = Redis.from_url(url)

    async def take(self, key: str, amount: int, window_seconds: int) -> int:
        wait = await self._redis.eval(_TAKE_SCRIPT, 1, key, amount, window_seconds)
        return int(wait)

    async def give_back(self, key: str) -> None:
        await self._redis.eval(_GIVE_BACK_SCRIPT, 1, key)

    async def forget(self, key: str) -> None:
        await self._redis.delete(key)

    async def reset(self) -> None:
        keys = [key async for key in self._redis.scan_iter(match=f"{ATTEMPTS_PREFIX}:*")]
        if keys:
            await self._redis.delete(*keys)


class RateLimiter:
    """Counts events per key; asks whether a key may go on and how long until it may.

    ``limits`` is loaded on the first limit checked: a worker that only serves the catalog
    never checks one and never loads it (~1.5 MB)."""

    def __init__(
        self, redis_url: str | None = None, attempts: AttemptCounter | None = None
    ) -> None:
        self._redis_url = redis_url
        self._attempts = attempts or MemoryAttemptCounter()

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimiter:
        if settings.redis_url:
            return cls(settings.redis_url, RedisAttemptCounter(settings.redis_url))
        return cls()

    @classmethod
    def in_memory(cls) -> RateLimiter:
        """A limiter of this process alone (command-line work, the demo's seeding)."""
        return cls()

    @cached_property
    def _limiter(self) -> MovingWindowRateLimiter:
        from limits.aio.storage import MemoryStorage, RedisStorage, Storage  # noqa: PLC0415
        from limits.aio.strategies import MovingWindowRateLimiter  # noqa: PLC0415

        storage: Storage = MemoryStorage()
        if self._redis_url:
            uri = self._redis_url.replace("redis://", "async+redis://", 1)
            storage = RedisStorage(uri, implementation="redispy")
        return MovingWindowRateLimiter(storage)

    async def retry_after(self, limit: str, *key: str) -> int:
        """Seconds to wait before ``key`` may try again under ``limit``; 0 when it may now."""
        item = _parse(limit)
        if await self._limiter.test(item, *key):
            return 0
        stats = await self._limiter.get_window_stats(item, *key)
        return max(1, int(stats.reset_time - time.time()) + 1)

    async def hit(self, limit: str, *key: str) -> None:
        await self._limiter.hit(_parse(limit), *key)

    async def clear(self, limit: str, *key: str) -> None:
        item = _parse(limit)
        await self._limiter.clear(item, *key)

    async def take(self, limit: str, *key: str) -> int:
        """Count one attempt of ``key`` under ``limit`` now; 0 when it is allowed, else the
        seconds until it may try again (and nothing is counted)."""
        item = _parse(limit)
        return await self._attempts.take(_attempt_key(item, key), item.amount, item.get_expiry())

    async def give_back(self, limit: str, *key: str) -> None:
        """Undo one counted attempt (it turned out to be a legitimate success)."""
        await self._attempts.give_back(_attempt_key(_parse(limit), key))

    async def forget(self, limit: str, key: tuple[str, ...]) -> None:
        """Drop every counted attempt of ``key`` under ``limit``."""
        await self._attempts.forget(_attempt_key(_parse(limit), key))

    async def reset(self) -> None:
        await self._limiter.storage.reset()
        await self._attempts.reset()


def _parse(limit: str) -> RateLimitItem:
    from limits import parse  # noqa: PLC0415 (see RateLimiter)

    return parse(limit)


def _attempt_key(item: RateLimitItem, key: tuple[str, ...]) -> str:
    return ":".join((ATTEMPTS_PREFIX, str(item.amount), str(item.get_expiry()), *key))
