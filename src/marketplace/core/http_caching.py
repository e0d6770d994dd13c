"""Conditional GETs: strong ETags made from a body, and the If-None-Match comparison every
cached page and list uses."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


def strong_etag(content: bytes) -> str:
    """A strong ETag for ``content`` (a body, or a cache key the body is a function of)."""
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison: If-None-Match may list several tags, mark them weak (``W/``,
    as proxies do when they compress) or say ``*``."""
    if not if_none_match:
        return False
    candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in candidates or etag in candidates


@dataclass(frozen=True)
class RenderedPage:
    """A body with its strong ETag, as it is kept in a response cache."""

    body: bytes
    etag: str

    @classmethod
    def of(cls, body: bytes) -> RenderedPage:
        return cls(body=body, etag=strong_etag(body))

    def encode(self) -> bytes:
        return self.etag.encode() + b"\n" + self.body

    @classmethod
    def decode(cls, raw: bytes) -> RenderedPage:
        etag, _, body = raw.partition(b"\n")
        return cls(body=body, etag=etag.decode())
