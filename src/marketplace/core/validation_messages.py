"""Pydantic's validation messages in the request's language, chosen by the error's ``type``
and filled from its ``ctx`` (``string_too_long`` -> "Paling banyak 120 karakter")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marketplace.core.i18n import N_, gettext

_WHOLE_NUMBER = N_("Enter a whole number")
_NUMBER = N_("Enter a number")
_DATE = N_("Enter a valid date (YYYY-MM-DD)")
_DATETIME = N_("Enter a valid date and time")
_URL = N_("Enter a valid URL")
_UUID = N_("Enter a valid ID (UUID)")
_CHOICE = N_("Choose one of: %(expected)s")
_OBJECT = N_("Enter an object")

# pydantic-core error type -> msgid; placeholders are names from the error's ctx
MESSAGE_BY_TYPE: dict[str, str] = {
    "missing": N_("Required"),
    "extra_forbidden": N_("This field is not allowed"),
    "string_type": N_("Enter text"),
    "string_too_short": N_("At least %(min_length)s characters"),
    "string_too_long": N_("At most %(max_length)s characters"),
    "string_pattern_mismatch": N_("Does not have the expected format"),
    "too_short": N_("At least %(min_length)s items"),
    "too_long": N_("At most %(max_length)s items"),
    "int_type": _WHOLE_NUMBER,
    "int_parsing": _WHOLE_NUMBER,
    "int_from_float": _WHOLE_NUMBER,
    "int_parsing_size": N_("The number is too large"),
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "finite_number": N_("Enter a finite number"),
    "greater_than": N_("Must be greater than %(gt)s"),
    "greater_than_equal": N_("Must be at least %(ge)s"),
    "less_than": N_("Must be less than %(lt)s"),
    "less_than_equal": N_("Must be at most %(le)s"),
    "multiple_of": N_("Must be a multiple of %(multiple_of)s"),
    "bool_type": N_("Enter true or false"),
    "bool_parsing": N_("Enter true or false"),
    "enum": _CHOICE,
    "literal_error": _CHOICE,
    "uuid_type": _UUID,
    "uuid_parsing": _UUID,
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "datetime_type": _DATETIME,
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "timezone_aware": N_("Give a time zone (for example +07:00)"),
    "url_type": _URL,
    "url_parsing": _URL,
    "url_scheme": N_("The URL must start with %(expected_schemes)s"),
    "url_too_long": N_("At most %(max_length)s characters"),
    "list_type": N_("Enter a list"),
    "dict_type": _OBJECT,
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "json_invalid": N_("Invalid JSON: %(error)s"),
    "json_type": N_("Enter JSON text"),
    "bytes_type": N_("Enter a file"),
    "is_instance_of": N_("Enter a file"),
    "union_tag_invalid": _CHOICE,
}


def validation_message(error: Mapping[str, Any]) -> str:
    """The error's message in the current language; pydantic's own text when its type has none
    here. A ``value_error`` carries our validators' message, translated where it was raised."""
    error_type = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if error_type in ("value_error", "assertion_error") and "error" in context:
        return str(context["error"])
    template = MESSAGE_BY_TYPE.get(error_type)
    if template is None:
        return str(error.get("msg", ""))
    shown = {name: _shown(value) for name, value in context.items()}
    if template is _CHOICE and isinstance(shown.get("expected"), str):
        shown["expected"] = _choices(str(shown["expected"]))
    try:
        return gettext(template, **shown)
    except (KeyError, TypeError, ValueError):  # a ctx without the names this message shows
        return str(error.get("msg", ""))


def translated_errors(errors: list[Any]) -> list[dict[str, Any]]:
    """Pydantic's ``errors()`` with each ``msg`` in the current language."""
    return [{**error, "msg": validation_message(error)} for error in errors]


def _choices(expected: str) -> str:
    """Pydantic's ``'a', 'b' or 'c'`` with its last "or" in the request's language."""
    head, found, last = expected.rpartition(" or ")
    if not found:
        return expected
    return gettext("%(choices)s or %(last)s", choices=head, last=last)


def _shown(value: object) -> object:
    return value if isinstance(value, int | float | str) else str(value)
