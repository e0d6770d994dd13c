"""Every problem the API can answer, found from the ``AppError`` subclasses and the generic
statuses, with its texts in both languages: the pages at each problem ``type`` read this."""

from __future__ import annotations

import string
from dataclasses import dataclass

from marketplace.core.errors import _GENERIC_TITLE_BY_STATUS, AppError
from marketplace.core.i18n import MESSAGES, Language, translate_to

# Problems answered outside an AppError subclass (handlers, health checks).
_EXTRA_PROBLEMS = {"internal-error": 500, "not-ready": 503, "method-not-allowed": 405}


@dataclass(frozen=True)
class ProblemText:
    slug: str
    status: int
    title: str
    explanation: str


def problem_statuses() -> dict[str, int]:
    """slug -> HTTP status, for every problem known once the routers are imported."""
    found = {slug: status for status, slug in _GENERIC_TITLE_BY_STATUS.items()}
    found.update(_EXTRA_PROBLEMS)
    pending: list[type[AppError]] = [AppError]
    while pending:
        error = pending.pop()
        pending.extend(error.__subclasses__())
        found.setdefault(error.problem, error.status_code)
    return found


def describe(slug: str, status: int, language: Language) -> ProblemText:
    title_key = slug if slug in MESSAGES else _GENERIC_TITLE_BY_STATUS.get(status, "internal-error")
    title = _without_placeholders(MESSAGES[title_key][language is Language.ENGLISH])
    status_key = f"problem-page.status.{status // 100}xx"
    explanation = translate_to(language, status_key)
    detail_key = f"{slug}.detail"
    if detail_key in MESSAGES:
        detail = _without_placeholders(MESSAGES[detail_key][language is Language.ENGLISH])
        explanation = f"{detail} {explanation}"
    return ProblemText(slug, status, title, explanation)


def _without_placeholders(template: str) -> str:
    """A message template shown without its request's values: ``{seconds}`` becomes ``…``."""
    parts = string.Formatter().parse(template)
    return "".join(literal + ("…" if field is not None else "") for literal, field, _, _ in parts)
