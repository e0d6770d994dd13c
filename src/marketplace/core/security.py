"""Password hashing (argon2id), signed access tokens (JWT, core/signed_tokens.py) and opaque
random tokens."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import secrets
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool

from marketplace.config import Settings
from marketplace.core import signed_tokens
from marketplace.core.errors import ServiceBusy

if TYPE_CHECKING:
    from argon2 import PasswordHasher

ACCESS_TOKEN_AUDIENCE = "marketplace-api"


# How long a caller turned away from a saturated hasher is told to wait.
HASHING_RETRY_AFTER_SECONDS = 2


class PasswordHashing:
    """argon2id, run in a worker thread so a login never stalls the event loop.

    At most ``concurrency`` hashes run at once per process (each takes ``memory_kib`` of RAM
    and a core); ``queue`` more callers may wait, and anyone beyond gets a 503 at once, so a
    registration flood cannot eat the threads and memory every other request needs."""

    def __init__(
        self, *, time_cost: int, memory_kib: int, concurrency: int = 2, queue: int = 8
    ) -> None:
        self._time_cost = time_cost
        self._memory_kib = memory_kib
        self._slots = asyncio.Semaphore(concurrency)
        self._capacity = concurrency + queue
        self._admitted = 0

    @cached_property
    def _hasher(self) -> PasswordHasher:
        """Made on first use: a worker that only serves the catalog never loads argon2."""
        from argon2 import PasswordHasher, Type  # noqa: PLC0415

        return PasswordHasher(time_cost=self._time_cost, memory_cost=self._memory_kib, type=Type.ID)

    @cached_property
    def _dummy_hash(self) -> str:
        """Verified against when there is no account, so a miss costs what a hit costs.
        Made on first use: hashing at start-up slowed every worker and command by a hash."""
        return self._hasher.hash(secrets.token_urlsafe(16))

    @classmethod
    def from_settings(cls, settings: Settings) -> PasswordHashing:
        return cls(
            time_cost=settings.password_hash_time_cost,
            memory_kib=settings.password_hash_memory_kib,
            concurrency=settings.password_hash_concurrency,
            queue=settings.password_hash_queue,
        )

    @property
    def saturated(self) -> bool:
        """Every slot and queue place is taken: the next caller would get a 503."""
        return self._admitted >= self._capacity

    @contextlib.asynccontextmanager
    async def _slot(self) -> AsyncIterator[None]:
        if self._admitted >= self._capacity:
            raise ServiceBusy(HASHING_RETRY_AFTER_SECONDS)
        self._admitted += 1
        try:
            async with self._slots:
                yield
        finally:
            self._admitted -= 1

    async def hash(self, password: str) -> str:
        async with self._slot():
            return await run_in_threadpool(self._hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """True when ``password`` matches; spends the same effort when there is no account."""
        async with self._slot():
            return await run_in_threadpool(self._verify_blocking, password_hash, password)

    def _verify_blocking(self, password_hash: str | None, password: str) -> bool:
        from argon2.exceptions import (  # noqa: PLC0415 (see _hasher)
            InvalidHashError,
            VerificationError,
            VerifyMismatchError,
        )

        try:
            return self._hasher.verify(password_hash or self._dummy_hash, password) and (
                password_hash is not None
            )
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)


@dataclass(frozen=True, slots=True)
class AccessToken:
    token: str
    expires_in: int


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: uuid.UUID
    sign_in_id: uuid.UUID


def issue_access_token(
    user_id: uuid.UUID, sign_in_id: uuid.UUID, settings: Settings
) -> AccessToken:
    now = datetime.now(UTC)
    ttl = settings.access_token_ttl_seconds
    claims = {
        "sub": str(user_id),
        "sid": str(sign_in_id),
        "aud": ACCESS_TOKEN_AUDIENCE,
        "iat": now,
        "exp": now + timedelta(seconds=ttl),
        "jti": secrets.token_hex(8),
    }
    token = signed_tokens.encode(claims, settings.secret_key.get_secret_value())
    return AccessToken(token=token, expires_in=ttl)


def read_access_token(token: str, settings: Settings) -> AccessClaims | None:
    """The user and sign-in inside a valid, unexpired token of ours; None for anything else."""
    try:
        claims = signed_tokens.decode(
            token,
            settings.secret_key.get_secret_value(),
            audience=ACCESS_TOKEN_AUDIENCE,
            required=("exp", "sub", "aud", "sid"),
        )
        return AccessClaims(uuid.UUID(str(claims["sub"])), uuid.UUID(str(claims["sid"])))
    except ValueError:  # InvalidToken, or a subject or sign-in that is not a UUID
        return None


def new_opaque_token() -> str:
    return secrets.token_urlsafe(32)


def hash_opaque_token(token: str) -> str:
    """Tokens we hand out once are stored only as this digest (they carry 256 random bits)."""
    return hashlib.sha256(token.encode()).hexdigest()
