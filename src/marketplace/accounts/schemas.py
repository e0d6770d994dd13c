"""Request and response bodies of the accounts API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import EmailStr, Field, StringConstraints

from marketplace.core.i18n import Language
from marketplace.core.schemas import IndonesianPhone, ReadSchema, Schema, ShortText

# Long enough for any passphrase; short enough that hashing it cannot be used to burn CPU.
Password = Annotated[str, StringConstraints(max_length=128)]


class UserCreate(Schema):
    email: Annotated[EmailStr, Field(max_length=254)]
    password: Password
    full_name: ShortText
    phone: IndonesianPhone | None = None
    language: Language = Language.INDONESIAN


class UserRead(ReadSchema):
    id: uuid.UUID
    email: str
    full_name: str
    phone: str | None
    language: Language
    is_admin: bool
    email_verified: bool
    created_at: datetime


class MembershipRead(ReadSchema):
    id: uuid.UUID
    slug: str
    name: str
    role: str


class MeRead(UserRead):
    sellers: list[MembershipRead]


class RefreshRequest(Schema):
    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class TokenPair(ReadSchema):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    refresh_token: str


# Our opaque tokens are 43 characters; the cap keeps junk out of the index lookups.
OpaqueToken = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class LogoutRequest(Schema):
    refresh_token: OpaqueToken


class PasswordResetRequest(Schema):
    email: Annotated[EmailStr, Field(max_length=254)]


class PasswordResetConfirm(Schema):
    token: OpaqueToken
    password: Password


class VerifyEmailRequest(Schema):
    token: OpaqueToken


class PasswordChange(Schema):
    current_password: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    new_password: Password
