"""Who is calling: ``CurrentUser``, ``OptionalUser``, ``AdminUser``, ``CurrentSignIn``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from marketplace.accounts import service
from marketplace.accounts.models import User
from marketplace.core.dependencies import AppSettings
from marketplace.core.errors import Forbidden, Unauthorized
from marketplace.core.openapi import SIGN_IN_REQUIRED
from marketplace.core.security import read_access_token
from marketplace.db.session import DbSession, transaction_of

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
BearerToken = Annotated[str | None, Depends(oauth2_scheme)]


async def get_optional_user(
    session: DbSession, settings: AppSettings, token: BearerToken
) -> User | None:
    """None for an anonymous caller; 401 for a token that is present but not valid, or whose
    sign-in has ended (logout, password reset or change, a reused refresh token)."""
    if token is None:
        return None
    claims = read_access_token(token, settings)
    user = await service.get_signed_in_user(session, claims) if claims else None
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


@dataclass(frozen=True, slots=True)
class SignedIn:
    user: User
    sign_in_id: uuid.UUID


async def get_current_sign_in(
    request: Request, settings: AppSettings, token: BearerToken
) -> SignedIn:
    """The caller and their sign-in, read in a short transaction of its own: for handlers
    that hash a password and must not hold the request's write transaction meanwhile."""
    claims = read_access_token(token, settings) if token else None
    if claims is None:
        raise Unauthorized()
    async with transaction_of(request, write=False) as session:
        user = await service.get_signed_in_user(session, claims)
    if user is None:
        raise Unauthorized()
    return SignedIn(user=user, sign_in_id=claims.sign_in_id)


OptionalUser = Annotated[User | None, Depends(get_optional_user)]
CurrentUser = Annotated[User, Depends(get_current_user)]
AdminUser = Annotated[User, Depends(get_admin_user)]
CurrentSignIn = Annotated[SignedIn, Depends(get_current_sign_in)]
