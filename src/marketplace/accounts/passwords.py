"""What makes a password acceptable: length, and not being one everybody else uses."""

from __future__ import annotations

from functools import lru_cache

from marketplace.core.errors import InvalidInput
from marketplace.core.i18n import gettext

MIN_PASSWORD_LENGTH = 10

# Local favourites that the English-language lists miss.
_INDONESIAN_COMMON = (
    "bismillah",
    "indonesia",
    "sayangku",
    "cintaku",
    "rahasia",
    "katasandi",
    "merdeka",
    "bangkabelitung",
    "pangkalpinang",
    "belitung",
    "babel",
    "password",
    "qwertyuiop",
    "asdfghjkl",
)


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    # Imported on first use: the list costs ~13 MB per worker that most requests never need.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # noqa: PLC0415

    words = set(FREQUENCY_LISTS["passwords"])
    for base in _INDONESIAN_COMMON:
        words.add(base)
        words.update(f"{base}{suffix}" for suffix in ("1", "12", "123", "1234", "12345", "!"))
    return frozenset(words)


def _is_common(password: str) -> bool:
    lowered = password.lower()
    if lowered in _common_passwords():
        return True
    stripped = lowered.rstrip("0123456789!@#$.")
    if stripped and stripped in _common_passwords() and len(stripped) >= 6:
        return True
    return len(set(lowered)) <= 2 or lowered in "0123456789012345678901234567890"


def check_password_policy(password: str, *, field: str = "password") -> None:
    """Raise a 422 naming the password field when it is too short or too common."""
    if len(password) < MIN_PASSWORD_LENGTH:
        _refuse(
            gettext(
                "The password needs at least %(min_length)s characters.",
                min_length=MIN_PASSWORD_LENGTH,
            ),
            "password_too_short",
            field,
        )
    if _is_common(password):
        _refuse(
            gettext("This password is too common and easy to guess."), "password_too_common", field
        )


def _refuse(message: str, error_type: str, field: str) -> None:
    error = InvalidInput.for_field(["body", field], message, error_type)
    error.detail = message
    raise error
