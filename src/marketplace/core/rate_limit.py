"""Rate limits shared across instances through Redis when configured, in memory otherwise."""

from __future__ import annotations

import time

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from marketplace.config import Settings


class RateLimiter:
    """Counts events per key; asks whether a key may go on and how long until it may."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self._limiter = MovingWindowRateLimiter(storage)

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimiter:
        if settings.redis_url:
            uri = settings.redis_url.replace("redis://", "async+redis://", 1)
            return cls(RedisStorage(uri, implementation="redispy"))
        return cls(MemoryStorage())

    async def retry_after(self, limit: str, *key: str) -> int:
        """Seconds to wait before ``key`` may try again under ``limit``; 0 when it may now."""
        item = parse(limit)
        if await self._limiter.test(item, *key):
            return 0
        stats = await self._limiter.get_window_stats(item, *key)
        return max(1, int(stats.reset_time - time.time()) + 1)

    async def hit(self, limit: str, *key: str) -> None:
        await self._limiter.hit(parse(limit), *key)

    async def clear(self, limit: str, *key: str) -> None:
        item: RateLimitItem = parse(limit)
        await self._limiter.clear(item, *key)

    async def reset(self) -> None:
        await self._storage.reset()
