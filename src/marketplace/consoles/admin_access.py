"""Who may open the admin console and how its pages answer: admins only (a visitor who is not
signed in is sent to sign in, anyone else gets a 403 page), every change posted with the
session's CSRF token, each result shown in the page in words (never a problem JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.responses import Response

from marketplace.accounts.models import User
from marketplace.config import Settings
from marketplace.consoles import admin_rendering
from marketplace.core.dependencies import AppSettings
from marketplace.core.errors import AppError, InvalidInput
from marketplace.core.i18n import MESSAGES, Language, translate, translate_to
from marketplace.core.web_session import require_csrf
from marketplace.storefront.dependencies import CurrentVisitor, PageLanguage, Visitor


class ConsoleAnswer(Exception):  # noqa: N818 - an answer, not a failure
    """Stops a console request with a ready response (sign in first, or not allowed)."""

    def __init__(self, response: Response) -> None:
        super().__init__("console answer")
        self.response = response


async def answer_console(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ConsoleAnswer)
    return exc.response


@dataclass
class AdminConsole:
    """One admin's request to the console: who, in which language, and how to answer."""

    settings: Settings
    language: Language
    visitor: Visitor
    admin: User
    path: str
    query: dict[str, str] = field(default_factory=dict)

    @property
    def csrf(self) -> str:
        return self.visitor.web_session.csrf_token

    def t(self, key: str, **params: object) -> str:
        return translate_to(self.language, key, **params)

    def url(self, path: str, **params: object) -> str:
        values = {k: str(v) for k, v in params.items() if v is not None and v != ""}
        if self.language is Language.ENGLISH:
            values["lang"] = "en"
        return f"{path}?{urlencode(values)}" if values else path

    @property
    def done_message(self) -> str | None:
        """The success line after a change (``?done=`` names one of our messages)."""
        key = f"admin.done.{self.query.get('done', '')}"
        if key not in MESSAGES:
            return None
        return self.t(key, name=self.query.get("name", "")[:200])

    def other_language(self) -> str:
        values = dict(self.query)
        if self.language is Language.INDONESIAN:
            values["lang"] = "en"
        return f"{self.path}?{urlencode(values)}" if values else self.path

    def check_csrf(self, submitted: str | None) -> None:
        require_csrf(self.visitor.web_session, submitted)

    def render(self, template: str, *, status_code: int = 200, **context: Any) -> Response:
        html = admin_rendering.render_page(self, template, **context)
        return self.visitor.finish(
            admin_rendering.page_response(self.settings, html, self.language, status_code),
            self.settings,
        )

    def done(self, path: str, message: str, **params: object) -> Response:
        """After a change: back to a page that says what happened (post/redirect/get)."""
        target = self.url(path, done=message, **params)
        return self.visitor.finish(RedirectResponse(target, status_code=303), self.settings)


def error_text(error: AppError | ValidationError, language: Language) -> str:
    """What went wrong, in words: the problem's detail, or what is wrong with which field."""
    if isinstance(error, AppError):
        if error.errors:
            return str(error.errors[0].get("msg", "")) or error.render_title()
        return error.render_detail() or error.render_title()
    first = error.errors()[0]
    names = [str(part) for part in first.get("loc", ()) if part != "body"]
    field_key = f"admin.field.{names[0]}" if names else ""
    field = translate_to(language, field_key) if field_key in MESSAGES else ", ".join(names)
    problem_key = f"admin.invalid.{first.get('type', '')}"
    if problem_key not in MESSAGES:
        problem_key = "admin.invalid.other"
    return translate_to(language, problem_key, field=field or "-", **first.get("ctx", {}))


def require_confirmation(confirm: str) -> None:
    """A change that cannot be undone needs its "I am sure" box ticked (no JavaScript)."""
    if confirm != "yes":
        raise InvalidInput.for_field(
            ("body", "confirm"), translate("admin.confirm-needed"), "confirmation"
        )


async def admin_console(
    request: Request, settings: AppSettings, language: PageLanguage, visitor: CurrentVisitor
) -> AdminConsole:
    if visitor.user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        sign_in = f"/masuk?next={quote(target, safe='')}"
        if language is Language.ENGLISH:
            sign_in += "&lang=en"
        redirect = RedirectResponse(sign_in, status_code=303)
        raise ConsoleAnswer(visitor.finish(redirect, settings))
    console = AdminConsole(
        settings,
        language,
        visitor,
        visitor.user,
        request.url.path,
        {k: v for k, v in request.query_params.items() if k != "lang"},
    )
    if not visitor.user.is_admin:
        raise ConsoleAnswer(console.render("denied.html", status_code=403))
    return console


Console = Annotated[AdminConsole, Depends(admin_console)]
