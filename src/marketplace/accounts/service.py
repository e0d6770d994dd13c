"""Registration, sign-in with rate limits, refresh-token rotation, admins."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts import repository
from marketplace.accounts.exceptions import (
    EmailTaken,
    InvalidCredentials,
    InvalidRefreshToken,
    RefreshTokenReused,
)
from marketplace.accounts.models import RefreshToken, User
from marketplace.accounts.passwords import check_password_policy
from marketplace.accounts.schemas import TokenPair, UserCreate
from marketplace.config import Settings
from marketplace.core.errors import TooManyRequests
from marketplace.core.rate_limit import RateLimiter
from marketplace.core.security import (
    PasswordHashing,
    hash_opaque_token,
    issue_access_token,
    new_opaque_token,
)
from marketplace.db.base import new_id, utcnow


@dataclass(frozen=True, slots=True)
class AuthContext:
    """What sign-in needs besides the database: settings, the hasher and the rate limiter."""

    settings: Settings
    hashing: PasswordHashing
    limiter: RateLimiter


def normalize_email(email: str) -> str:
    return email.strip().lower()


async def register_user(session: AsyncSession, hashing: PasswordHashing, data: UserCreate) -> User:
    check_password_policy(data.password)
    email_normalized = normalize_email(data.email)
    if await repository.get_user_by_email(session, email_normalized) is not None:
        raise EmailTaken()
    user = User(
        email=data.email,
        email_normalized=email_normalized,
        password_hash=await hashing.hash(data.password),
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


async def get_active_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    user = await repository.get_user(session, user_id)
    return user if user is not None and user.is_active else None


async def find_user_by_email(session: AsyncSession, email: str) -> User | None:
    return await repository.get_user_by_email(session, normalize_email(email))


async def sign_in(
    session: AsyncSession, context: AuthContext, email: str, password: str, client_address: str
) -> TokenPair:
    """Check the password and open a new refresh-token family; rate limited per account and IP."""
    settings, limiter = context.settings, context.limiter
    email_normalized = normalize_email(email)
    account_key = ("login-account", email_normalized)
    address_key = ("login-address", client_address)
    wait = max(
        await limiter.retry_after(settings.login_attempts_per_account, *account_key),
        await limiter.retry_after(settings.login_attempts_per_address, *address_key),
    )
    if wait:
        raise TooManyRequests(wait)
    user = await repository.get_user_by_email(session, email_normalized)
    password_hash = user.password_hash if user is not None and user.is_active else None
    if user is None or not await context.hashing.verify(password_hash, password):
        await limiter.hit(settings.login_attempts_per_account, *account_key)
        await limiter.hit(settings.login_attempts_per_address, *address_key)
        raise InvalidCredentials()
    await limiter.clear(settings.login_attempts_per_account, *account_key)
    if context.hashing.needs_rehash(user.password_hash):
        user.password_hash = await context.hashing.hash(password)
    return await _issue_token_pair(session, settings, user.id, family_id=new_id())


async def rotate_refresh_token(session: AsyncSession, settings: Settings, token: str) -> TokenPair:
    """Spend ``token`` and hand out the next link of its family.

    A token presented a second time means it leaked: the whole family is revoked (and stays
    revoked, see ``RefreshTokenReused.keep_changes``) so neither holder can go on.
    """
    stored = await repository.get_refresh_token(session, hash_opaque_token(token))
    now = utcnow()
    if stored is None or stored.expires_at <= now:
        raise InvalidRefreshToken()
    if not await repository.mark_refresh_token_used(session, stored.id, now):
        await repository.revoke_refresh_family(session, stored.family_id, now)
        raise RefreshTokenReused()
    user = await get_active_user(session, stored.user_id)
    if user is None:
        raise InvalidRefreshToken()
    return await _issue_token_pair(session, settings, user.id, family_id=stored.family_id)


async def _issue_token_pair(
    session: AsyncSession, settings: Settings, user_id: uuid.UUID, *, family_id: uuid.UUID
) -> TokenPair:
    refresh_token = new_opaque_token()
    session.add(
        RefreshToken(
            user_id=user_id,
            family_id=family_id,
            token_hash=hash_opaque_token(refresh_token),
            expires_at=utcnow() + timedelta(days=settings.refresh_token_ttl_days),
        )
    )
    await session.flush()
    access = issue_access_token(user_id, settings)
    return TokenPair(
        access_token=access.token, expires_in=access.expires_in, refresh_token=refresh_token
    )


async def create_or_promote_admin(
    session: AsyncSession, hashing: PasswordHashing, email: str, password: str, full_name: str
) -> tuple[User, bool]:
    """Make ``email`` an admin, registering it first if needed. Returns (user, created)."""
    check_password_policy(password)
    existing = await find_user_by_email(session, email)
    if existing is not None:
        existing.is_admin = True
        existing.password_hash = await hashing.hash(password)
        await session.flush()
        return existing, False
    user = await register_user(
        session, hashing, UserCreate(email=email, password=password, full_name=full_name)
    )
    user.is_admin = True
    await session.flush()
    return user, True
