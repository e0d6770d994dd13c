"""Errors of the accounts domain."""

from __future__ import annotations

from marketplace.core.errors import Conflict, Forbidden, InvalidInput, Unauthorized
from marketplace.core.i18n import gettext


class EmailTaken(Conflict):
    problem = "email-taken"


class InvalidCredentials(Unauthorized):
    problem = "invalid-credentials"


class InvalidRefreshToken(Unauthorized):
    problem = "invalid-refresh-token"


class RefreshTokenReused(InvalidRefreshToken):
    """A spent token came back: the family is revoked, and that revocation must be committed."""

    keep_changes = True


class InvalidAccountToken(InvalidInput):
    """A verification or reset code that is unknown, used, or expired (all look the same)."""

    problem = "invalid-account-token"

    def __init__(self) -> None:
        message = gettext("This code is unknown, already used, or expired.")
        super().__init__(
            message, errors=[{"loc": ["body", "token"], "msg": message, "type": "invalid_token"}]
        )


class WrongCurrentPassword(InvalidInput):
    problem = "wrong-current-password"

    def __init__(self) -> None:
        message = gettext("The current password does not match.")
        super().__init__(
            message,
            errors=[
                {"loc": ["body", "current_password"], "msg": message, "type": "wrong_password"}
            ],
        )


class EmailNotVerified(Forbidden):
    """Creating a seller, joining a team and cash on delivery need a confirmed address."""

    problem = "email-not-verified"
