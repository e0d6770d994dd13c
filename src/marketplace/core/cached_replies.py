"""Repeated public reads answered from the response cache before routing.

A cached public page (the product list, a product, an embed) is a function of its path, its
query string and the data version only. Once a handler has answered such a request, it leaves
here how to find the same answer again: which version it read, the cache key for a version and
the headers it sent. The next identical request is then answered by this middleware while that
version is still the remembered, current one and the cache holds the entry, without FastAPI's
route matching, parameter validation and dependency solving (about half the time of a cache
hit). Anything else (a miss, an expired version, a request with credentials, a request nobody
answered before) goes through the app as usual, so validation errors and 404s are never
served from here, and invalidation is exactly the handlers' (the key carries the version).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from marketplace.core.cache import ResponseCache, VersionMemo
from marketplace.core.http_caching import RenderedPage, etag_matches

MAX_REMEMBERED_REQUESTS = 4096
# Requests with these headers may be answered for one caller only: never replayed.
_CREDENTIAL_HEADERS = frozenset({b"authorization", b"x-order-token", b"cookie"})


@dataclass(frozen=True, slots=True)
class CachedReply:
    """How a handler found its answer: the version it read (``version_name`` in the memo),
    the cache key for a version, how a cached entry reads as a page, and its headers (all but
    the ETag, Content-Type and Content-Length)."""

    version_name: str
    key_for: Callable[[str], str]
    page_from: Callable[[str, bytes], RenderedPage]
    media_type: str
    headers: tuple[tuple[str, str], ...]
    route: Any = None  # the matched route, for the per-route metrics


class CachedReplies:
    """The last requests whose answers came from the cache, by path and query string."""

    def __init__(self, max_entries: int = MAX_REMEMBERED_REQUESTS) -> None:
        self._entries: OrderedDict[tuple[str, bytes], CachedReply] = OrderedDict()
        self._max_entries = max_entries

    def remember(self, scope: Scope, reply: CachedReply) -> None:
        if not is_replayable(scope):
            return
        key = (scope["path"], scope["query_string"])
        self._entries[key] = reply
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    def find(self, scope: Scope) -> CachedReply | None:
        return self._entries.get((scope["path"], scope["query_string"]))


def is_replayable(scope: Scope) -> bool:
    if scope["type"] != "http" or scope["method"] != "GET":
        return False
    return not any(name.lower() in _CREDENTIAL_HEADERS for name, _ in scope["headers"])


def cached_page_response(
    request: Request, page: RenderedPage, headers: dict[str, str], media_type: str
) -> Response:
    """The page, or 304 when the caller's copy (If-None-Match) is current."""
    all_headers = {**headers, "ETag": page.etag}
    if etag_matches(request.headers.get("if-none-match"), page.etag):
        return Response(status_code=304, headers=all_headers)
    return Response(page.body, media_type=media_type, headers=all_headers)


def remember_reply(request: Request, reply: CachedReply) -> None:
    """Let the next identical request be answered before routing (see the module's text)."""
    replies: CachedReplies | None = getattr(request.app.state, "cached_replies", None)
    if replies is not None:
        replies.remember(request.scope, reply)


class CachedReplyMiddleware:
    def __init__(
        self, app: ASGIApp, *, replies: CachedReplies, cache: ResponseCache, versions: VersionMemo
    ) -> None:
        self.app = app
        self.replies = replies
        self.cache = cache
        self.versions = versions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        reply = self.replies.find(scope) if is_replayable(scope) else None
        page = await self._cached_page(reply) if reply is not None else None
        if reply is None or page is None:
            await self.app(scope, receive, send)
            return
        if reply.route is not None:
            scope["route"] = reply.route
        request = Request(scope)
        response = cached_page_response(request, page, dict(reply.headers), reply.media_type)
        await response(scope, receive, send)

    async def _cached_page(self, reply: CachedReply) -> RenderedPage | None:
        version = await self.versions.remembered(reply.version_name)
        if version is None:
            return None
        key = reply.key_for(version)
        raw = await self.cache.get(key)
        return reply.page_from(key, raw) if raw is not None else None
