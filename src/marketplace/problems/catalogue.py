"""Every problem the API can answer, found from the ``AppError`` subclasses and the generic
statuses, with its texts in both languages: the pages at each problem ``type`` read this."""

from __future__ import annotations

import re
from dataclasses import dataclass

from marketplace.core.errors import _GENERIC_TITLE_BY_STATUS, AppError, problem_title
from marketplace.core.i18n import N_, Language, catalog, gettext_in
from marketplace.core.problem_texts import PROBLEM_DETAILS

_WHAT_TO_DO_BY_STATUS_CLASS = {
    4: N_(
        "This request was not carried out and nothing changed. Correct it as described above "
        "(and in the 'errors' field, when present), then send it again."
    ),
    5: N_(
        "The server could not complete this request. Try again later; if it keeps happening, "
        "quote the answer's 'request_id' when contacting us."
    ),
}
_PLACEHOLDER = re.compile(r"%\(\w+\)s")

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
    title = _without_placeholders(catalog(language).gettext(problem_title(slug, status)))
    explanation = gettext_in(language, _WHAT_TO_DO_BY_STATUS_CLASS[status // 100])
    detail = PROBLEM_DETAILS.get(slug)
    if detail is not None:
        text = _without_placeholders(catalog(language).gettext(detail))
        explanation = f"{text} {explanation}"
    return ProblemText(slug, status, title, explanation)


def _without_placeholders(text: str) -> str:
    """A message shown without its request's values: ``%(seconds)s`` becomes ``…``."""
    return _PLACEHOLDER.sub("…", text)
