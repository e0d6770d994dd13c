"""gettext: every template in both languages, validation messages by Accept-Language, and the
catalog check that CI runs (.ci/translations)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.pofile import read_po
from httpx import AsyncClient
from jinja2 import ChainableUndefined
from markupsafe import escape

from marketplace.consoles import labels as console_labels
from marketplace.core.i18n import (
    Language,
    catalog,
    gettext,
    language_scope,
    template_gettext,
    template_ngettext,
)
from marketplace.core.templating import PROJECT_ROOT, environment, templates_dir
from marketplace.notifications.service import render_email
from marketplace.storefront import labels

TEMPLATES = sorted(
    path.relative_to(templates_dir()).as_posix()
    for path in templates_dir().rglob("*")
    if path.suffix in (".html", ".txt")
)
with (PROJECT_ROOT / "src/marketplace/locale/id/LC_MESSAGES/messages.po").open("rb") as po:
    INDONESIAN_CATALOG = read_po(po, locale="id")
JINJA_OPTIONS = {
    "extensions": "jinja2.ext.i18n",
    "newstyle_gettext": "true",
    "trim_blocks": "true",
    "lstrip_blocks": "true",
}


class Anything(ChainableUndefined):
    """Any missing value: empty text, callable, iterable as nothing, so every template renders
    without its real data (the texts under test do not depend on it)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Anything:
        return self

    def __mod__(self, other: Any) -> str:
        return ""

    def _same(self, other: Any) -> Anything:
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = _same

    def _never(self, other: Any) -> bool:
        return False

    __lt__ = __le__ = __gt__ = __ge__ = _never  # type: ignore[assignment]


def _render(template: str, language: Language) -> tuple[str, list[str]]:
    """The template rendered in ``language`` and the msgids it looked up, in order."""
    looked_up: list[str] = []

    def recording_gettext(message: str) -> str:
        looked_up.append(message)
        return template_gettext(message)

    def recording_ngettext(singular: str, plural: str, count: int) -> str:
        looked_up.append(singular)
        return template_ngettext(singular, plural, count)

    env = environment().overlay(undefined=Anything, cache_size=0)
    # an overlay shares its parent's dicts: copy before changing, or every later render changes
    env.globals, env.filters = dict(env.globals), dict(env.filters)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        recording_gettext, recording_ngettext, newstyle=True
    )
    env.filters["rupiah"] = lambda *args, **kwargs: "Rp 1"
    env.filters["wib"] = lambda *args, **kwargs: "1 Des 2026 10.00 WIB"
    with language_scope(language):
        shown_labels = console_labels if template.startswith("console/") else labels
        html = env.get_template(template).render(labels=shown_labels, lang=language.value)
    return html, [message for message in looked_up if isinstance(message, str)]


def _static_msgids(template: str) -> list[str]:
    found = extract_from_file(
        "jinja2", templates_dir() / template, keywords=DEFAULT_KEYWORDS, options=JINJA_OPTIONS
    )
    return [message for _, message, _, _ in found if isinstance(message, str)]


def _shown(text: str, rendered: str) -> bool:
    return any(
        re.search(rf"(?<!\w){re.escape(form)}(?!\w)", rendered)
        for form in (text, str(escape(text)))
    )


@pytest.mark.parametrize("template", TEMPLATES)
def test_template_renders_each_text_in_both_languages(template: str) -> None:
    english, shown_in_english = _render(template, Language.ENGLISH)
    indonesian, shown_in_indonesian = _render(template, Language.INDONESIAN)

    assert shown_in_english == shown_in_indonesian
    for msgid in [*_static_msgids(template), *shown_in_english]:
        entry = INDONESIAN_CATALOG.get(msgid)
        assert entry is not None, f"{template}: {msgid!r} is not in the catalog"
        assert entry.string, f"{template}: {msgid!r} has no Indonesian"
    for msgid in shown_in_english:
        translated = catalog(Language.INDONESIAN).gettext(msgid)
        if "%(" in msgid:
            continue  # shown with its values filled in
        assert _shown(msgid, english), f"{template}: {msgid!r} not shown in English"
        assert _shown(translated, indonesian), f"{template}: {msgid!r} not shown in Indonesian"
        if translated != msgid:
            assert not _shown(msgid, indonesian), f"{template}: {msgid!r} left in English"


def test_no_template_branches_on_the_language() -> None:
    for template in TEMPLATES:
        source = (templates_dir() / template).read_text()
        assert 'lang == "en"' not in source, template


def test_email_is_rendered_in_the_recipients_language_whatever_the_request() -> None:
    # Given a request in English
    with language_scope(Language.ENGLISH):
        # When an e-mail goes to an Indonesian recipient
        email = render_email(
            "password_reset", Language.INDONESIAN, {"token": "123456", "minutes": 30}
        )
        # Then it is Indonesian, and the request's language is back afterwards
        assert email.subject == "Atur ulang kata sandi Anda"
        assert "dalam 30 menit" in email.text
        assert "Atur ulang kata sandi Anda</h1>" in email.html
        assert gettext("Reset your password") == "Reset your password"


async def test_missing_field_is_reported_in_indonesian_by_default(client: AsyncClient) -> None:
    response = await client.post("/api/v1/auth/register", json={"email": "a@example.com"})

    assert response.status_code == 422
    body = response.json()
    assert body["title"] == "Data tidak valid"
    by_field = {tuple(error["loc"]): error for error in body["errors"]}
    assert by_field[("body", "password")] == {
        "loc": ["body", "password"],
        "msg": "Wajib diisi",
        "type": "missing",
    }


async def test_too_long_field_is_reported_in_english_when_asked(client: AsyncClient) -> None:
    payload = {"email": "a@example.com", "password": "x" * 129, "full_name": "A"}

    response = await client.post(
        "/api/v1/auth/register", json=payload, headers={"Accept-Language": "en-GB,en;q=0.9"}
    )

    assert response.status_code == 422
    body = response.json()
    assert body["title"] == "Invalid data"
    assert body["errors"] == [
        {"loc": ["body", "password"], "msg": "At most 128 characters", "type": "string_too_long"}
    ]


async def test_too_long_field_is_reported_in_indonesian(client: AsyncClient) -> None:
    payload = {"email": "a@example.com", "password": "x" * 129, "full_name": "A"}

    response = await client.post("/api/v1/auth/register", json=payload)

    assert response.json()["errors"][0]["msg"] == "Paling banyak 128 karakter"


def _checkout_copy(tmp_path: Path) -> Path:
    root = tmp_path / "checkout"
    shutil.copytree(
        PROJECT_ROOT / "src",
        root / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.egg-info"),
    )
    shutil.copytree(PROJECT_ROOT / "templates", root / "templates")
    shutil.copy(PROJECT_ROOT / "babel.cfg", root / "babel.cfg")
    return root


def _check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(PROJECT_ROOT / ".ci" / "translations"), "--root", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_catalog_check_passes_on_this_checkout(tmp_path: Path) -> None:
    result = _check(_checkout_copy(tmp_path))

    assert result.returncode == 0, result.stderr


def test_catalog_check_fails_on_an_untranslated_and_a_missing_text(tmp_path: Path) -> None:
    # Given a copy whose catalog lost one translation and whose template gained a new text
    root = _checkout_copy(tmp_path)
    po = root / "src/marketplace/locale/id/LC_MESSAGES/messages.po"
    po.write_text(
        po.read_text().replace('msgid "Cart"\nmsgstr "Keranjang"', 'msgid "Cart"\nmsgstr ""')
    )
    with (root / "templates/storefront/cart.html").open("a") as template:
        template.write('{{ _("A text nobody translated yet") }}\n')

    # When the check runs
    result = _check(root)

    # Then it fails and names both, with where the new one is used
    assert result.returncode == 1
    assert "untranslated" in result.stderr
    assert "'Cart'" in result.stderr
    assert "missing      templates/storefront/cart.html:" in result.stderr
    assert "'A text nobody translated yet'" in result.stderr
