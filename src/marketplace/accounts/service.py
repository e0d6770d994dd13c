"""Registration, sign-in with rate limits, sign-ins and refresh-token rotation, admins.

Password hashing never runs inside a database transaction: a slow argon2 hash while holding
a write lock (SQLite) or a pooled connection (PostgreSQL) made a registration flood stall
every other request. Flows that hash take ``Transactions`` and open short ones around it."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts import emails, repository
from marketplace.accounts.exceptions import (
    EmailTaken,
    InvalidCredentials,
    InvalidRefreshToken,
    RefreshTokenReused,
)
from marketplace.accounts.models import RefreshToken, SignIn, User
from marketplace.accounts.passwords import check_password_policy
from marketplace.accounts.schemas import TokenPair, UserCreate
from marketplace.config import Settings
from marketplace.core.errors import ServiceBusy, TooManyRequests
from marketplace.core.rate_limit import RateLimiter
from marketplace.core.security import (
    AccessClaims,
    PasswordHashing,
    hash_opaque_token,
    issue_access_token,
    new_opaque_token,
)
from marketplace.db.base import new_id, utcnow
from marketplace.db.session import Transactions


@dataclass(frozen=True, slots=True)
class AuthContext:
    """What sign-in needs besides the database: settings, the hasher and the rate limiter."""

    settings: Settings
    hashing: PasswordHashing
    limiter: RateLimiter


def normalize_email(email: str) -> str:
    return email.strip().lower()


async def register(
    transactions: Transactions, context: AuthContext, data: UserCreate, client_address: str
) -> User:
    """Rate limited per address; the password is hashed before the write transaction opens."""
    wait = await context.limiter.take(
        context.settings.registrations_per_address, "register-address", client_address
    )
    if wait:
        raise TooManyRequests(wait)
    check_password_policy(data.password)
    password_hash = await context.hashing.hash(data.password)
    async with transactions(write=True) as session:
        user = await create_user(session, data, password_hash)
        await emails.send_verification(session, context.settings, user)
    return user


async def create_user(session: AsyncSession, data: UserCreate, password_hash: str) -> User:
    email_normalized = normalize_email(data.email)
    if await repository.get_user_by_email(session, email_normalized) is not None:
        raise EmailTaken()
    user = User(
        email=data.email,
        email_normalized=email_normalized,
        password_hash=password_hash,
        full_name=data.full_name,
        phone=data.phone,
        language=data.language,
    )
    session.add(user)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as error:  # a concurrent registration of the same address won
        raise EmailTaken() from error
    return user


async def register_user(session: AsyncSession, hashing: PasswordHashing, data: UserCreate) -> User:
    """For the command line and the demo, where nothing else waits on the transaction."""
    check_password_policy(data.password)
    return await create_user(session, data, await hashing.hash(data.password))


async def get_active_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    user = await repository.get_user(session, user_id)
    return user if user is not None and user.is_active else None


async def get_signed_in_user(session: AsyncSession, claims: AccessClaims) -> User | None:
    """The user of an access token, while its sign-in has not ended."""
    return await repository.get_signed_in_user(session, claims.user_id, claims.sign_in_id)


async def find_user_by_email(session: AsyncSession, email: str) -> User | None:
    return await repository.get_user_by_email(session, normalize_email(email))


@asynccontextmanager
async def counted_attempt(
    context: AuthContext, email_normalized: str, client_address: str
) -> AsyncIterator[None]:
    """Count a password attempt on the account *before* checking it (per account from this
    address, and per account from everywhere under a much higher ceiling); a success, or a
    check that never ran, gives the attempt back."""
    settings, limiter = context.settings, context.limiter
    limits: tuple[tuple[str, tuple[str, ...]], ...] = (
        (settings.login_attempts_per_account, ("login", email_normalized, client_address)),
        (settings.login_attempts_per_account_total, ("login-account", email_normalized)),
    )
    taken: list[tuple[str, tuple[str, ...]]] = []
    for limit, key in limits:
        wait = await limiter.take(limit, *key)
        if wait:
            await _give_back(limiter, taken)
            raise TooManyRequests(wait)
        taken.append((limit, key))
    try:
        yield
    except InvalidCredentials:
        raise  # a wrong guess stays counted
    except BaseException:
        await _give_back(limiter, taken)
        raise
    # The owner, from this address: earlier failures here are forgiven.
    await limiter.forget(*taken[0])
    await _give_back(limiter, taken[1:])


async def _give_back(limiter: RateLimiter, taken: list[tuple[str, tuple[str, ...]]]) -> None:
    for limit, key in taken:
        await limiter.give_back(limit, *key)


async def sign_in(
    transactions: Transactions,
    context: AuthContext,
    email: str,
    password: str,
    client_address: str,
) -> TokenPair:
    """Check the password and open a new sign-in with its first refresh token."""
    email_normalized = normalize_email(email)
    async with counted_attempt(context, email_normalized, client_address):
        async with transactions(write=False) as session:
            user = await repository.get_user_by_email(session, email_normalized)
        password_hash = user.password_hash if user is not None and user.is_active else None
        if user is None or not await context.hashing.verify(password_hash, password):
            raise InvalidCredentials()
    new_hash = None
    if context.hashing.needs_rehash(user.password_hash):
        try:
            new_hash = await context.hashing.hash(password)
        except ServiceBusy:
            new_hash = None  # rehash another time; the sign-in itself succeeded
    async with transactions(write=True) as session:
        if new_hash is not None:
            stored = await repository.get_user(session, user.id)
            if stored is not None:
                stored.password_hash = new_hash
        return await open_sign_in(session, context.settings, user.id)


async def open_sign_in(session: AsyncSession, settings: Settings, user_id: uuid.UUID) -> TokenPair:
    sign_in_record = SignIn(id=new_id(), user_id=user_id)
    session.add(sign_in_record)
    await session.flush()
    return await _issue_token_pair(session, settings, user_id, sign_in_id=sign_in_record.id)


async def rotate_refresh_token(session: AsyncSession, settings: Settings, token: str) -> TokenPair:
    """Spend ``token`` and hand out the next link of its family.

    A token presented a second time means it leaked: the whole sign-in ends (and stays ended,
    see ``RefreshTokenReused.keep_changes``) so neither holder can go on, with access tokens
    issued to it included.
    """
    stored = await repository.get_refresh_token(session, hash_opaque_token(token))
    now = utcnow()
    if stored is None or stored.expires_at <= now:
        raise InvalidRefreshToken()
    if not await repository.mark_refresh_token_used(session, stored.id, now):
        await repository.end_sign_ins(session, stored.user_id, now, only=stored.family_id)
        raise RefreshTokenReused()
    user = await get_active_user(session, stored.user_id)
    if user is None or not await repository.sign_in_is_live(session, stored.family_id):
        raise InvalidRefreshToken()
    return await _issue_token_pair(session, settings, user.id, sign_in_id=stored.family_id)


async def sign_out(session: AsyncSession, user: User, refresh_token: str) -> None:
    """End the sign-in of ``refresh_token`` when it is the caller's; nothing otherwise."""
    stored = await repository.get_refresh_token(session, hash_opaque_token(refresh_token))
    if stored is not None and stored.user_id == user.id:
        await repository.end_sign_ins(session, user.id, utcnow(), only=stored.family_id)


async def end_sign_in(session: AsyncSession, user: User, sign_in_id: uuid.UUID) -> None:
    """End one of the caller's sign-ins (a web page's sign-out): its tokens stop working."""
    await repository.end_sign_ins(session, user.id, utcnow(), only=sign_in_id)


async def _issue_token_pair(
    session: AsyncSession, settings: Settings, user_id: uuid.UUID, *, sign_in_id: uuid.UUID
) -> TokenPair:
    refresh_token = new_opaque_token()
    session.add(
        RefreshToken(
            user_id=user_id,
            family_id=sign_in_id,
            token_hash=hash_opaque_token(refresh_token),
            expires_at=utcnow() + timedelta(days=settings.refresh_token_ttl_days),
        )
    )
    await session.flush()
    access = issue_access_token(user_id, sign_in_id, settings)
    return TokenPair(
        access_token=access.token, expires_in=access.expires_in, refresh_token=refresh_token
    )


async def create_or_promote_admin(
    session: AsyncSession, hashing: PasswordHashing, email: str, password: str, full_name: str
) -> tuple[User, bool]:
    """Make ``email`` an admin, registering it first if needed. Returns (user, created).
    An address given on the operator's command line counts as verified."""
    check_password_policy(password)
    existing = await find_user_by_email(session, email)
    if existing is not None:
        existing.is_admin = True
        existing.password_hash = await hashing.hash(password)
        existing.email_verified_at = existing.email_verified_at or utcnow()
        await session.flush()
        return existing, False
    user = await register_user(
        session, hashing, UserCreate(email=email, password=password, full_name=full_name)
    )
    user.is_admin = True
    user.email_verified_at = utcnow()
    await session.flush()
    return user, True
