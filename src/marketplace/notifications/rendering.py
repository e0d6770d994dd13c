"""Turning an e-mail's template, language and parameters into its subject and bodies, and the
parameters into text an outbox row can keep until the sender renders them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

import orjson

from marketplace.core.i18n import Language, language_scope
from marketplace.core.templating import environment

# A moment or a day must come back as one (templates format them), so they are tagged.
_DATETIME_TAG = "$datetime"
_DATE_TAG = "$date"


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def render_email(template: str, language: Language, context: Mapping[str, Any]) -> RenderedEmail:
    """``templates/email/<template>.txt`` and ``.html`` in the recipient's ``language`` (not
    the request's); the first text line is the subject."""
    env = environment()
    values = {**context, "lang": language.value}
    with language_scope(language):
        text = env.get_template(f"email/{template}.txt").render(values)
        html = env.get_template(f"email/{template}.html").render(values)
    subject, _, body = text.partition("\n")
    return RenderedEmail(subject=subject.strip(), text=body.lstrip("\n"), html=html)


def encode_parameters(context: Mapping[str, Any]) -> str:
    """JSON of a template's parameters; a value JSON cannot carry back is a TypeError here, in
    the transaction that queues the e-mail, not later in the sender."""
    return orjson.dumps(_plain(dict(context))).decode()


def decode_parameters(text: str) -> dict[str, Any]:
    parameters = _restored(orjson.loads(text))
    if not isinstance(parameters, dict):
        raise ValueError("e-mail parameters are not a JSON object")
    return parameters


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        value = value.value
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return {_DATETIME_TAG if isinstance(value, datetime) else _DATE_TAG: value.isoformat()}
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    raise TypeError(f"an e-mail parameter cannot be {type(value).__name__}")


def _restored(value: Any) -> Any:
    if isinstance(value, dict):
        if value.keys() == {_DATETIME_TAG}:
            return datetime.fromisoformat(value[_DATETIME_TAG])
        if value.keys() == {_DATE_TAG}:
            return date.fromisoformat(value[_DATE_TAG])
        return {key: _restored(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_restored(item) for item in value]
    return value
