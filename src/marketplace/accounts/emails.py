"""The e-mails an account receives: a code to confirm its address, a code to reset its
password. Each code is a single-use token of which only the digest is stored."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts import repository
from marketplace.accounts.models import AccountToken, AccountTokenPurpose, User
from marketplace.config import Settings
from marketplace.core.security import hash_opaque_token, new_opaque_token
from marketplace.db.base import utcnow
from marketplace.notifications import service as notifications


async def _new_token(
    session: AsyncSession, user: User, purpose: AccountTokenPurpose, lifetime: timedelta
) -> str:
    now = utcnow()
    await repository.retire_account_tokens(session, user.id, purpose, now)
    token = new_opaque_token()
    session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=hash_opaque_token(token),
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    await session.flush()
    return token


async def send_verification(session: AsyncSession, settings: Settings, user: User) -> None:
    hours = settings.email_verification_hours
    token = await _new_token(
        session, user, AccountTokenPurpose.EMAIL_VERIFICATION, timedelta(hours=hours)
    )
    context = {"full_name": user.full_name, "token": token, "hours": hours}
    await notifications.queue_email(session, [user.email], "verify_email", user.language, context)


async def send_password_reset(session: AsyncSession, settings: Settings, user: User) -> None:
    minutes = settings.password_reset_minutes
    token = await _new_token(
        session, user, AccountTokenPurpose.PASSWORD_RESET, timedelta(minutes=minutes)
    )
    context = {"token": token, "minutes": minutes}
    await notifications.queue_email(session, [user.email], "password_reset", user.language, context)
