"""SQL for users, sign-ins, refresh tokens and e-mailed tokens."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import (
    AccountToken,
    AccountTokenPurpose,
    RefreshToken,
    SignIn,
    User,
)
from marketplace.db.session import rows_affected


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def get_user_by_email(session: AsyncSession, email_normalized: str) -> User | None:
    result = await session.execute(select(User).where(User.email_normalized == email_normalized))
    return result.scalar_one_or_none()


async def get_refresh_token(session: AsyncSession, token_hash: str) -> RefreshToken | None:
    result = await session.execute(
        select(RefreshToken).where(RefreshToken.token_hash == token_hash)
    )
    return result.scalar_one_or_none()


async def mark_refresh_token_used(
    session: AsyncSession, token_id: uuid.UUID, now: datetime
) -> bool:
    """Spend a token exactly once: True for the one caller that wins, False for any replay."""
    result = await session.execute(
        update(RefreshToken)
        .where(
            RefreshToken.id == token_id,
            RefreshToken.used_at.is_(None),
            RefreshToken.revoked_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return rows_affected(result) == 1


async def revoke_refresh_family(session: AsyncSession, family_id: uuid.UUID, now: datetime) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )


async def get_signed_in_user(
    session: AsyncSession, user_id: uuid.UUID, sign_in_id: uuid.UUID
) -> User | None:
    """The active user of a sign-in that has not ended (one query per authenticated request)."""
    result = await session.execute(
        select(User)
        .join(SignIn, SignIn.user_id == User.id)
        .where(
            User.id == user_id,
            User.is_active.is_(True),
            SignIn.id == sign_in_id,
            SignIn.revoked_at.is_(None),
        )
    )
    return result.scalar_one_or_none()


async def sign_in_is_live(session: AsyncSession, sign_in_id: uuid.UUID) -> bool:
    result = await session.execute(
        select(SignIn.id).where(SignIn.id == sign_in_id, SignIn.revoked_at.is_(None))
    )
    return result.scalar_one_or_none() is not None


async def end_sign_ins(
    session: AsyncSession,
    user_id: uuid.UUID,
    now: datetime,
    *,
    only: uuid.UUID | None = None,
    keep: uuid.UUID | None = None,
) -> None:
    """End the user's sign-ins (just ``only``, or all but ``keep``) and their refresh tokens."""
    sign_ins = update(SignIn).where(SignIn.user_id == user_id, SignIn.revoked_at.is_(None))
    tokens = update(RefreshToken).where(
        RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None)
    )
    if only is not None:
        sign_ins = sign_ins.where(SignIn.id == only)
        tokens = tokens.where(RefreshToken.family_id == only)
    if keep is not None:
        sign_ins = sign_ins.where(SignIn.id != keep)
        tokens = tokens.where(RefreshToken.family_id != keep)
    options = {"synchronize_session": False}
    await session.execute(sign_ins.values(revoked_at=now).execution_options(**options))
    await session.execute(tokens.values(revoked_at=now).execution_options(**options))


async def spend_account_token(
    session: AsyncSession, token_hash: str, purpose: AccountTokenPurpose, now: datetime
) -> uuid.UUID | None:
    """Use a single-use token exactly once: the user id for the one caller that wins."""
    result = await session.execute(
        select(AccountToken.id, AccountToken.user_id).where(
            AccountToken.token_hash == token_hash,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
            AccountToken.expires_at > now,
        )
    )
    row = result.one_or_none()
    if row is None:
        return None
    spent = await session.execute(
        update(AccountToken)
        .where(AccountToken.id == row.id, AccountToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return row.user_id if rows_affected(spent) == 1 else None


async def retire_account_tokens(
    session: AsyncSession, user_id: uuid.UUID, purpose: AccountTokenPurpose, now: datetime
) -> None:
    """Earlier unused tokens of ``purpose`` stop working (only the newest e-mail counts)."""
    await session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user_id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
