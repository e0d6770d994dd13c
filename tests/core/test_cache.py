import tracemalloc

from marketplace.core.cache import MemoryCache, VersionMemo, entry_bytes


async def test_version_memo_asks_the_database_once_within_its_ttl() -> None:
    calls: list[int] = []

    async def load() -> str:
        calls.append(1)
        return f"v{len(calls)}"

    memo = VersionMemo(ttl_seconds=60)

    assert await memo.get("catalog", load) == "v1"
    assert await memo.get("catalog", load) == "v1"
    assert len(calls) == 1
    memo.forget()
    assert await memo.get("catalog", load) == "v2"


async def test_version_memo_with_zero_ttl_reads_every_time() -> None:
    calls: list[int] = []

    async def load() -> str:
        calls.append(1)
        return str(len(calls))

    memo = VersionMemo(ttl_seconds=0)

    assert [await memo.get("catalog", load) for _ in range(3)] == ["1", "2", "3"]


async def test_memory_cache_evicts_the_least_recently_used_entry() -> None:
    cache = MemoryCache(max_bytes=2 * entry_bytes("a", b"1"))
    await cache.set("a", b"1")
    await cache.set("b", b"2")
    assert await cache.get("a") == b"1"

    await cache.set("c", b"3")

    assert await cache.get("b") is None
    assert await cache.get("a") == b"1"
    assert await cache.get("c") == b"3"


async def test_memory_cache_entry_past_its_ttl_is_gone() -> None:
    cache = MemoryCache()
    await cache.set("a", b"1", ttl_seconds=-1)

    assert await cache.get("a") is None


async def test_version_memo_reloads_at_once_after_the_app_says_data_changed() -> None:
    versions = iter(["v1", "v2"])

    async def load() -> str:
        return next(versions)

    memo = VersionMemo(ttl_seconds=60)
    assert await memo.get("catalog", load) == "v1"

    await memo.changed()

    assert await memo.get("catalog", load) == "v2"


async def test_version_memos_sharing_redis_see_each_others_changes(redis_url: str) -> None:
    from redis.asyncio import Redis  # noqa: PLC0415

    from marketplace.core.redis_backends import RedisGeneration  # noqa: PLC0415

    # given two instances' memos, each remembering the version it loaded
    clients = [Redis.from_url(redis_url), Redis.from_url(redis_url)]
    database = {"version": "v1"}

    async def load() -> str:
        return database["version"]

    first, second = (VersionMemo(60, RedisGeneration(client)) for client in clients)
    try:
        assert await first.get("catalog", load) == "v1"
        assert await second.get("catalog", load) == "v1"

        # when the first instance changes the data and says so
        database["version"] = "v2"
        await first.changed()

        # then the second reads the new version at once, not after its minute
        assert await second.get("catalog", load) == "v2"
    finally:
        for client in clients:
            await client.aclose()


async def test_memory_cache_filled_far_past_its_bound_holds_at_most_its_bound() -> None:
    bound = 256 * 1024
    cache = MemoryCache(max_bytes=bound)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for number in range(2000):  # 20 MB of 10 kB pages, some read back on the way
            await cache.set(f"page:{number}", bytes(10_000) + str(number).encode())
            await cache.get(f"page:{number // 2}")
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()

    assert cache.held_bytes <= bound
    assert held <= bound
    assert await cache.get("page:1999") is not None
    assert await cache.get("page:0") is None


async def test_memory_cache_keeps_no_value_larger_than_its_bound() -> None:
    cache = MemoryCache(max_bytes=1000)
    await cache.set("small", b"1")

    await cache.set("large", bytes(1000))

    assert await cache.get("large") is None
    assert await cache.get("small") == b"1"
    assert cache.held_bytes == entry_bytes("small", b"1")


async def test_memory_cache_replacing_an_entry_counts_only_the_new_value() -> None:
    cache = MemoryCache(max_bytes=10_000)
    await cache.set("page", bytes(3000))

    await cache.set("page", bytes(100))

    assert cache.held_bytes == entry_bytes("page", bytes(100))
