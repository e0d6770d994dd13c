"""Errors of the accounts domain."""

from __future__ import annotations

from marketplace.core.errors import Conflict, Unauthorized


class EmailTaken(Conflict):
    problem = "email-taken"


class InvalidCredentials(Unauthorized):
    problem = "invalid-credentials"


class InvalidRefreshToken(Unauthorized):
    problem = "invalid-refresh-token"


class RefreshTokenReused(InvalidRefreshToken):
    """A spent token came back: the family is revoked, and that revocation must be committed."""

    keep_changes = True
