"""Bahasa Indonesia first, English second: language choice and gettext catalogs.

Message ids are the English texts; ``src/marketplace/locale/id/LC_MESSAGES/messages.po`` holds
their Indonesian, compiled to ``messages.mo`` by the build (``make translations-compile``).
Placeholders are ``%(name)s`` in Python and in templates (Jinja's newstyle gettext).
"""

from __future__ import annotations

import gettext as gettext_module
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "messages"


class Language(StrEnum):
    INDONESIAN = "id"
    ENGLISH = "en"


DEFAULT_LANGUAGE = Language.INDONESIAN
current_language: ContextVar[Language] = ContextVar("current_language", default=DEFAULT_LANGUAGE)


def negotiate_language(accept_language: str | None) -> Language:
    """Pick ``en`` or ``id`` from an Accept-Language header; Indonesian unless English wins."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    best_language, best_quality = DEFAULT_LANGUAGE, -1.0
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().lower().split("-")[0]
        if primary in ("id", "in", "en") and quality > best_quality:
            best_language = Language.ENGLISH if primary == "en" else Language.INDONESIAN
            best_quality = quality
    return best_language


class TranslationsNotCompiled(RuntimeError):
    """The Indonesian catalog has no compiled ``.mo`` beside its ``.po``."""


@cache
def catalog(language: Language) -> gettext_module.NullTranslations:
    """The compiled catalog of ``language``; English is the message ids themselves."""
    if language is Language.ENGLISH:
        return gettext_module.NullTranslations()
    folder = LOCALE_DIR / language.value / "LC_MESSAGES"
    compiled, source = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    fix = "run `make translations-compile` (pybabel compile, as `make test` and `make run` do)"
    if not compiled.exists():
        raise TranslationsNotCompiled(f"{compiled} is missing: {fix}")
    if source.exists() and source.stat().st_mtime > compiled.stat().st_mtime:
        raise TranslationsNotCompiled(f"{compiled} is older than {source.name}: {fix}")
    with compiled.open("rb") as file:
        return gettext_module.GNUTranslations(file)


def gettext(message: str, **params: object) -> str:
    """``message`` (English) in the current language, ``%(name)s`` filled from ``params``."""
    return gettext_in(current_language.get(), message, **params)


def gettext_in(language: Language, message: str, **params: object) -> str:
    """``message`` in ``language`` (e-mails go out in the recipient's language)."""
    return catalog(language).gettext(message) % params


def ngettext(singular: str, plural: str, count: int, **params: object) -> str:
    """Singular or plural by ``count``, which fills ``%(num)s`` like Jinja's ``ngettext``."""
    text = catalog(current_language.get()).ngettext(singular, plural, count)
    return text % {"num": count, **params}


_ = gettext


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark for extraction only"
    """Mark ``message`` for extraction; translate it later, where it is shown."""
    return message


def template_gettext(message: str) -> str:
    """Jinja's gettext callable: the lookup only (newstyle gettext fills the placeholders)."""
    return catalog(current_language.get()).gettext(message)


def template_ngettext(singular: str, plural: str, count: int) -> str:
    return catalog(current_language.get()).ngettext(singular, plural, count)


@contextmanager
def language_scope(language: Language) -> Iterator[None]:
    """Run a block (rendering an e-mail, a page) in ``language``, then restore the previous."""
    token = current_language.set(language)
    try:
        yield
    finally:
        current_language.reset(token)
