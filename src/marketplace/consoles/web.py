"""What both consoles share: who is signed in (or a redirect to ``/masuk``), CSRF-checked forms,
problems shown in the page instead of problem JSON, flash messages after a redirect, a confirm
step for destructive actions, and one way to render and answer a page.

A handler takes ``console: Console`` (signed in) or ``ConsoleVisitor`` (maybe not), renders with
``console.render("seller/home.html", ...)`` and answers a successful form with
``console.redirect(url, success=N_("English text"))``. A form that fails re-renders itself through
``console.form_failed(...)``, which raises: the request's transaction then rolls back, so a
refused form changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from markupsafe import Markup
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response
from starlette.types import Receive, Scope, Send

from marketplace.accounts.models import User
from marketplace.catalog.dependencies import Storage
from marketplace.config import Settings
from marketplace.consoles import labels
from marketplace.core.dependencies import AppSettings
from marketplace.core.errors import AppError
from marketplace.core.formatting import format_rupiah, format_wib
from marketplace.core.i18n import Language, current_language, gettext_in, language_scope
from marketplace.core.pagination import CursorCodec
from marketplace.core.problem_texts import PROBLEM_TITLES
from marketplace.core.templating import environment, templates_dir
from marketplace.core.web_session import (
    CSRF_FIELD,
    SignedCookie,
    WebSession,
    require_csrf,
)
from marketplace.media.storage import MediaStorage
from marketplace.storefront.dependencies import Visitor, get_visitor
from marketplace.storefront.rendering import hash_source, origin_of

FLASH_COOKIE = SignedCookie("mp_flash", "console-flash", 300)
SIGN_IN_PATH = "/masuk"


def _asset(name: str) -> str:
    return (templates_dir() / "console" / name).read_text(encoding="utf-8")


# Read and hashed once: every page inlines these exact bytes, allowed by hash in the CSP.
STYLES = Markup(_asset("console.css"))
UPLOAD_SCRIPT = Markup(_asset("upload.js"))
STYLES_SOURCE = hash_source(STYLES)
UPLOAD_SCRIPT_SOURCE = hash_source(UPLOAD_SCRIPT)


def icon(name: str, css_class: str = "ic") -> Markup:
    """One of the symbols of ``console/_icons.html``, beside its words (hidden from readers)."""
    return Markup(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="#i-{}"/></svg>'
    ).format(css_class, name)


class SignInRequired(Exception):
    """Nobody is signed in: the console answers with a redirect to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class PageAnswer(Exception):
    """A finished response raised out of a handler (a form shown again with its problem), so
    the request's transaction rolls back before the page is sent."""

    def __init__(self, response: Response) -> None:
        super().__init__("page answer")
        self.response = response


@dataclass(frozen=True)
class Flash:
    kind: str  # "success" or "error"
    text: str


@dataclass
class Console:
    """One request to a console page: the language, the cookie session and who it signs in."""

    request: Request
    settings: Settings
    storage: MediaStorage
    language: Language
    visitor: Visitor
    flash: Flash | None = None
    _clear_flash: bool = field(default=False, repr=False)

    @property
    def user(self) -> User:
        assert self.visitor.user is not None, "use ConsoleVisitor for pages open to anyone"
        return self.visitor.user

    @property
    def web_session(self) -> WebSession:
        return self.visitor.web_session

    @property
    def home(self) -> str:
        """The front page of the console this request is in."""
        if not self.request.url.path.startswith("/admin"):
            return "/penjual/"
        user = self.visitor.user
        # for anyone but an admin the admin home would only answer 403 again: the shop instead
        return "/admin/" if user is not None and user.is_admin else "/"

    def text(self, message: str, **params: object) -> str:
        """``message`` (an English msgid) in the page's language, placeholders filled."""
        return gettext_in(self.language, message, **params)

    def url(self, path: str, **params: object) -> str:
        """An address on this site in the page's language (``lang=en`` carried along)."""
        values = {k: str(v) for k, v in params.items() if v is not None and v != ""}
        if self.language is Language.ENGLISH:
            values["lang"] = "en"
        if not values:
            return path
        return f"{path}{'&' if '?' in path else '?'}{urlencode(values)}"

    def form_language(self) -> str | None:
        """The ``lang`` a GET form carries so its answer keeps this page's language."""
        return "en" if self.language is Language.ENGLISH else None

    def other_language_code(self) -> str:
        return "id" if self.language is Language.ENGLISH else "en"

    def other_language_name(self) -> str:
        """The switch's label, in the language it leads to."""
        return "Bahasa Indonesia" if self.language is Language.ENGLISH else "English"

    def other_language(self) -> str:
        values = {k: v for k, v in self.request.query_params.items() if k != "lang"}
        if self.language is Language.INDONESIAN:
            values["lang"] = "en"
        return f"{self.request.url.path}?{urlencode(values)}" if values else self.request.url.path

    def codec(self, purpose: str) -> CursorCodec:
        """Cursors signed like the API's for the same list (``purpose``)."""
        return CursorCodec(self.settings.secret_key.get_secret_value(), purpose=purpose)

    def money(self, amount: int) -> str:
        return format_rupiah(amount)

    def when(self, moment: Any) -> str:
        return format_wib(moment, self.language) if moment is not None else "-"

    def render(
        self, template: str, *, status_code: int = 200, upload_script: bool = False, **context: Any
    ) -> Response:
        """The page ``templates/console/<template>``, private to this visitor."""
        with language_scope(self.language):
            html = (
                environment()
                .get_template(f"console/{template}")
                .render(
                    url=self.url,
                    money=self.money,
                    when=self.when,
                    console=self,
                    lang=self.language.value,
                    csrf=self.web_session.csrf_token,
                    styles=STYLES,
                    upload_script=UPLOAD_SCRIPT if upload_script else None,
                    flash=self.flash,
                    labels=labels,
                    icon=icon,
                    **context,
                )
            )
        response = Response(html, status_code=status_code, media_type="text/html")
        response.headers.update(self._headers(upload_script))
        if self._clear_flash:
            FLASH_COOKIE.clear(response, self.settings)
        return self.visitor.finish(response, self.settings)

    def redirect(
        self, path: str, *, success: str | None = None, error: str | None = None, **params: object
    ) -> Response:
        """303 to ``path`` (in this language), with a message to show there: ``success`` and
        ``error`` are msgids (marked ``N_``), translated now with ``params``."""
        response = RedirectResponse(self.url(path), status_code=303)
        if success or error:
            kind, message = ("success", success) if success else ("error", error)
            assert message is not None
            FLASH_COOKIE.write(response, self.settings, [kind, self.text(message, **params)])
        return self.visitor.finish(response, self.settings)

    def form_failed(
        self, template: str, problem: AppError | ValidationError, **context: Any
    ) -> PageAnswer:
        """The form page again, with the problem in words, the fields' own errors and the
        values typed; raise the result so the transaction rolls back."""
        message, field_errors = describe_problem(problem, self.language)
        status = problem.status_code if isinstance(problem, AppError) else 422
        context.setdefault("values", {})
        response = self.render(
            template,
            status_code=status,
            error=message,
            field_errors=field_errors,
            **context,
        )
        return PageAnswer(response)

    def _headers(self, upload_script: bool) -> dict[str, str]:
        media = origin_of(self.storage.public_url("products/probe.webp"))
        scripts = f"script-src {UPLOAD_SCRIPT_SOURCE}" if upload_script else "script-src 'none'"
        policy = "; ".join(
            [
                "default-src 'none'",
                f"img-src 'self' {media}",
                f"style-src {STYLES_SOURCE}",
                scripts,
                "connect-src 'self'",
                "form-action 'self'",
                "base-uri 'none'",
                "frame-ancestors 'none'",
            ]
        )
        return {
            "Content-Security-Policy": policy,
            "Cache-Control": "private, no-store",
            "Referrer-Policy": "same-origin",
            "X-Content-Type-Options": "nosniff",
            "Content-Language": self.language.value,
        }


def describe_problem(
    problem: AppError | ValidationError | RequestValidationError, language: Language
) -> tuple[str, dict[str, str]]:
    """A sentence for the page and ``{field: message}`` for the form, from an AppError (its
    translated detail) or a validation failure (one line per field, in words)."""
    token = current_language.set(language)
    try:
        if isinstance(problem, AppError):
            text = problem.render_detail() or problem.render_title()
            fields = {
                _field_name(e.get("loc", ())): str(e.get("msg", "")) for e in problem.errors or []
            }
            return text, fields
        fields = {_field_name(e["loc"]): _validation_text(e, language) for e in problem.errors()}
        return gettext_in(language, "Some fields are not right yet."), fields
    finally:
        current_language.reset(token)


def _field_name(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form")]
    return ".".join(parts) or "form"


def _validation_text(error: Mapping[str, Any], language: Language) -> str:
    message = labels.INVALID_VALUE.get(str(error.get("type", "")))
    if message is not None:
        return gettext_in(language, message, **(error.get("ctx") or {}))
    return gettext_in(language, labels.INVALID_OTHER)


def confirmation_needed(
    console: Console, form: Mapping[str, Any], question: str, *, back: str, **params: object
) -> Response | None:
    """The confirm page for a destructive form (it posts the same fields again with
    ``confirmed=1``), or None once the person has confirmed. Works without JavaScript.
    ``question`` is a msgid (marked ``N_``), its placeholders filled from ``params``."""
    if form.get("confirmed") == "1":
        return None
    fields = [(k, str(v)) for k, v in form.items() if k not in ("confirmed", CSRF_FIELD)]
    return console.render(
        "confirm.html",
        question=console.text(question, **params),
        action=console.url(console.request.url.path),
        fields=fields,
        back=back,
    )


async def console_visitor(
    request: Request, settings: AppSettings, storage: Storage, lang: str | None = None
) -> Console:
    """Anyone on a console page (the language from ``?lang=en``; Indonesian otherwise)."""
    language = Language.ENGLISH if lang == Language.ENGLISH else Language.INDONESIAN
    current_language.set(language)
    visitor = await get_visitor(request, settings)
    console = Console(request, settings, storage, language, visitor)
    stored = FLASH_COOKIE.read(request, settings)
    if isinstance(stored, list) and len(stored) == 2 and all(isinstance(s, str) for s in stored):
        console.flash = Flash(kind=stored[0], text=stored[1])
        console._clear_flash = True
    elif request.cookies.get(FLASH_COOKIE.name):
        console._clear_flash = True
    return console


async def signed_in_console(console: Annotated[Console, Depends(console_visitor)]) -> Console:
    """The console for a signed-in person; anyone else is sent to sign in and back."""
    if console.visitor.user is None:
        request = console.request
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(here if request.method == "GET" else request.url.path)
    return console


async def checked_form(
    console: Annotated[Console, Depends(signed_in_console)],
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=200)] = "",
) -> Console:
    """A signed-in console whose form carried this session's CSRF token (403 page otherwise)."""
    require_csrf(console.web_session, csrf_token)
    return console


ConsoleVisitor = Annotated[Console, Depends(console_visitor)]
SignedIn = Annotated[Console, Depends(signed_in_console)]
CheckedForm = Annotated[Console, Depends(checked_form)]


def sign_in_redirect(next_path: str, language: Language) -> Response:
    query = f"next={quote(next_path, safe='/')}"
    if language is Language.ENGLISH:
        query += "&lang=en"
    return RedirectResponse(f"{SIGN_IN_PATH}?{query}", status_code=303)


class ConsoleRoute(APIRoute):
    """Console routes answer people, not programs: a problem becomes a page in words (with the
    problem's status), never problem JSON, and "not signed in" becomes the sign-in page.

    The route's exception handlers are swapped for the console's ones rather than catching
    inside the handler, so each exception still passes through the request's dependencies
    first: the transaction rolls back before the page is sent."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        handlers, status_handlers = scope.get("starlette.exception_handlers", ({}, {}))
        scope["starlette.exception_handlers"] = (
            {**handlers, **_CONSOLE_HANDLERS},
            status_handlers,
        )
        await super().handle(scope, receive, send)


async def _page_answer(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageAnswer)
    return exc.response


async def _sign_in_answer(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    return sign_in_redirect(exc.next_path, current_language.get())


async def _problem_answer(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError | RequestValidationError)
    return await problem_page(request, exc)


_CONSOLE_HANDLERS: dict[Any, Callable[[Request, Exception], Coroutine[Any, Any, Response]]] = {
    PageAnswer: _page_answer,
    SignInRequired: _sign_in_answer,
    AppError: _problem_answer,
    RequestValidationError: _problem_answer,
}


async def problem_page(request: Request, problem: AppError | RequestValidationError) -> Response:
    """The problem as a console page: 404 says "not found", 403 names the missing right, a
    refused form token asks to reload; the status is the problem's."""
    app_state = request.app.state
    console = await console_visitor(
        request, app_state.settings, app_state.gateways.media, request.query_params.get("lang")
    )
    message, _ = describe_problem(problem, console.language)
    status = problem.status_code if isinstance(problem, AppError) else 422
    if isinstance(problem, AppError) and problem.problem in PROBLEM_TITLES:
        # the problem's own name
        title = console.text(PROBLEM_TITLES[problem.problem], **problem.params)
    else:
        title = console.text(labels.PROBLEM_TITLE_BY_STATUS.get(status, labels.OTHER_PROBLEM_TITLE))
    return console.render("problem.html", status_code=status, title=title, message=message)
