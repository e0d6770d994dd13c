"""Finished report answers (JSON, CSV or XLSX bytes) kept in the response cache, keyed by the
request and the reports' data version: the sweep bumps the version when it recomputed a change,
so an answer is served from the cache until the figures it shows have moved. Exact distinct
buyers cost a scan of the facts in the range; the cache is what keeps repeated reads (the public
summary, the widget, an admin's dashboard) cheap."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.core.cache import ResponseCache, VersionMemo
from marketplace.reports import repository

ANSWER_TTL_SECONDS = 3600


async def data_version(session: AsyncSession, versions: VersionMemo) -> str:
    async def load() -> str:
        return await repository.data_version(session)

    return await versions.get("reports", load)


async def cached_answer(
    session: AsyncSession,
    cache: ResponseCache,
    versions: VersionMemo,
    request_key: str,
    build: Callable[[], Awaitable[bytes]],
) -> bytes:
    """The answer to ``request_key`` at the current data version, built once."""
    version = await data_version(session, versions)
    digest = hashlib.sha256(f"{version}|{request_key}".encode()).hexdigest()[:40]
    key = f"reports-answer:{digest}"
    cached = await cache.get(key)
    if cached is not None:
        return cached
    answer = await build()
    await cache.set(key, answer, ANSWER_TTL_SECONDS)
    return answer
