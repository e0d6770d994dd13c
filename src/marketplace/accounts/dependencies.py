"""Who is calling: ``CurrentUser``, ``OptionalUser``, ``AdminUser``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

from marketplace.accounts import service
from marketplace.accounts.models import User
from marketplace.core.dependencies import AppSettings
from marketplace.core.errors import Forbidden, Unauthorized
from marketplace.core.openapi import SIGN_IN_REQUIRED
from marketplace.core.security import read_access_token
from marketplace.db.session import DbSession

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def get_optional_user(
    session: DbSession,
    settings: AppSettings,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> User | None:
    """None for an anonymous caller; 401 for a token that is present but not valid."""
    if token is None:
        return None
    user_id = read_access_token(token, settings)
    if user_id is None:
        raise Unauthorized()
    user = await service.get_active_user(session, user_id)
    if user is None:
        raise Unauthorized()
    return user


async def get_current_user(user: Annotated[User | None, Depends(get_optional_user)]) -> User:
    if user is None:
        raise Unauthorized()
    return user


SIGN_IN_REQUIRED.add(get_current_user)


async def get_admin_user(user: Annotated[User, Depends(get_current_user)]) -> User:
    if not user.is_admin:
        raise Forbidden()
    return user


OptionalUser = Annotated[User | None, Depends(get_optional_user)]
CurrentUser = Annotated[User, Depends(get_current_user)]
AdminUser = Annotated[User, Depends(get_admin_user)]
