"""Jinja2 templates (``templates/``), autoescaped, with the money and time filters and gettext
(``{{ _("Hello %(name)s", name=user.name) }}``) in the current language: render inside
``language_scope(...)`` to choose another (an e-mail in its recipient's language)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from marketplace.core.formatting import format_rupiah, format_wib
from marketplace.core.i18n import Language, current_language, template_gettext, template_ngettext

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def templates_dir() -> Path:
    """The checkout's templates (editable installs), else ./templates (the Docker image)."""
    for candidate in (PROJECT_ROOT / "templates", Path.cwd() / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("templates/ not found beside the project or in the working directory")


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Templates load once per process, like the code: no check of each file's time on every
    render (``auto_reload``, a stat per template and include); a changed template shows after
    a restart."""
    env = Environment(
        loader=FileSystemLoader(templates_dir()),
        auto_reload=False,
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        enable_async=False,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        template_gettext, template_ngettext, newstyle=True
    )
    env.filters["rupiah"] = format_rupiah
    env.filters["wib"] = _wib
    return env


def _wib(moment: datetime, language: Language | str | None = None) -> str:
    """``|wib`` in the language being rendered (``|wib("en")`` still picks one)."""
    return format_wib(moment, Language(language) if language else current_language.get())
