"""Dependencies on what the app holds for its lifetime (settings, hasher, limiter)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from marketplace.config import Settings
from marketplace.core.pagination import CursorCodec
from marketplace.core.proxies import client_address_of
from marketplace.core.rate_limit import RateLimiter
from marketplace.core.security import PasswordHashing


async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_password_hashing(request: Request) -> PasswordHashing:
    hashing: PasswordHashing = request.app.state.password_hashing
    return hashing


async def get_rate_limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.rate_limiter
    return limiter


async def get_client_address(request: Request) -> str:
    """The caller's address; behind a trusted proxy, the first untrusted hop of
    ``X-Forwarded-For`` read from the right (a client can prepend anything it likes)."""
    settings: Settings = request.app.state.settings
    peer = request.client.host if request.client else "unknown"
    return client_address_of(peer, request.headers.get("x-forwarded-for"), settings)


AppSettings = Annotated[Settings, Depends(get_app_settings)]
Hashing = Annotated[PasswordHashing, Depends(get_password_hashing)]
Limiter = Annotated[RateLimiter, Depends(get_rate_limiter)]
ClientAddress = Annotated[str, Depends(get_client_address)]


def cursor_codec(purpose: str) -> Callable[[Request], Awaitable[CursorCodec]]:
    """A dependency giving the cursor codec of one list; cursors do not cross between lists.
    (Async like every tiny dependency here: a plain ``def`` would cost a threadpool hop.)"""

    async def dependency(request: Request) -> CursorCodec:
        settings: Settings = request.app.state.settings
        return CursorCodec(settings.secret_key.get_secret_value(), purpose=purpose)

    return dependency
