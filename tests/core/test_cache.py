from marketplace.core.cache import MemoryCache, VersionMemo


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
    cache = MemoryCache(max_entries=2)
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
