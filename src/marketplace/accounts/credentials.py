"""Self-service on an account's credentials: confirm the e-mail address, reset a forgotten
password, change a known one. Every change of password ends the other sign-ins at once."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts import emails, repository
from marketplace.accounts.exceptions import (
    InvalidAccountToken,
    InvalidCredentials,
    WrongCurrentPassword,
)
from marketplace.accounts.models import AccountTokenPurpose, User
from marketplace.accounts.passwords import check_password_policy
from marketplace.accounts.service import AuthContext, counted_attempt, normalize_email
from marketplace.core.errors import TooManyRequests
from marketplace.core.security import hash_opaque_token
from marketplace.db.base import utcnow
from marketplace.db.session import Transactions


async def verify_email(session: AsyncSession, token: str) -> None:
    now = utcnow()
    user_id = await repository.spend_account_token(
        session, hash_opaque_token(token), AccountTokenPurpose.EMAIL_VERIFICATION, now
    )
    user = await repository.get_user(session, user_id) if user_id else None
    if user is None:
        raise InvalidAccountToken()
    user.email_verified_at = user.email_verified_at or now
    await session.flush()


async def resend_verification(session: AsyncSession, context: AuthContext, user: User) -> None:
    """A new code (the earlier ones stop working), at most a few per hour."""
    if user.email_verified:
        return
    wait = await context.limiter.take(
        context.settings.account_emails_per_account, "verify-email", str(user.id)
    )
    if wait:
        raise TooManyRequests(wait)
    await emails.send_verification(session, context.settings, user)


async def request_password_reset(
    session: AsyncSession, context: AuthContext, email: str, client_address: str
) -> None:
    """Answered the same whether or not the account exists; an address that asks too often
    gets 429, and an account is mailed at most a few codes per hour (quietly)."""
    settings, limiter = context.settings, context.limiter
    wait = await limiter.take(settings.password_resets_per_address, "reset", client_address)
    if wait:
        raise TooManyRequests(wait)
    user = await repository.get_user_by_email(session, normalize_email(email))
    if user is None or not user.is_active:
        return
    if await limiter.take(settings.account_emails_per_account, "reset-account", str(user.id)):
        return
    await emails.send_password_reset(session, settings, user)


async def reset_password(
    transactions: Transactions, context: AuthContext, token: str, new_password: str
) -> None:
    check_password_policy(new_password)
    password_hash = await context.hashing.hash(new_password)
    async with transactions(write=True) as session:
        now = utcnow()
        user_id = await repository.spend_account_token(
            session, hash_opaque_token(token), AccountTokenPurpose.PASSWORD_RESET, now
        )
        user = await repository.get_user(session, user_id) if user_id else None
        if user is None or not user.is_active:
            raise InvalidAccountToken()
        user.password_hash = password_hash
        # The code arrived in the mailbox: that proves the address as well as a verification.
        user.email_verified_at = user.email_verified_at or now
        await repository.end_sign_ins(session, user.id, now)
        await session.flush()


async def change_password(
    transactions: Transactions,
    context: AuthContext,
    user: User,
    sign_in_id: uuid.UUID,
    passwords: tuple[str, str],
    client_address: str,
) -> None:
    """``passwords`` is (current, new). Wrong guesses of the current one count like failed
    sign-ins (a stolen access token must not become a way to guess the password)."""
    current, new = passwords
    try:
        async with counted_attempt(context, user.email_normalized, client_address):
            if not await context.hashing.verify(user.password_hash, current):
                raise InvalidCredentials()
    except InvalidCredentials as error:
        raise WrongCurrentPassword() from error
    check_password_policy(new, field="new_password")
    password_hash = await context.hashing.hash(new)
    async with transactions(write=True) as session:
        stored = await repository.get_user(session, user.id)
        if stored is None:
            raise InvalidCredentials()
        stored.password_hash = password_hash
        await repository.end_sign_ins(session, user.id, utcnow(), keep=sign_in_id)
        await session.flush()
