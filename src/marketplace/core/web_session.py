"""Cookie sessions for human pages (the storefront now, the seller and admin consoles later).

One signed cookie holds who is signed in and the session's CSRF token. It is ``HttpOnly``,
``SameSite=Lax`` and ``Secure`` when ``PUBLIC_URL`` is https. Forms that change something carry
the CSRF token in a hidden field (``csrf_token``) and are checked with ``require_csrf``; forms on
pages cached for everyone (which cannot carry a per-visitor token) are checked with
``require_same_origin`` instead (the browser's ``Origin``/``Sec-Fetch-Site`` headers).
Other signed cookies (the cart) are made with ``SignedCookie``."""

from __future__ import annotations

import hmac
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from marketplace.config import Settings
from marketplace.core.errors import AppError

SESSION_COOKIE = "mp_session"
CSRF_FIELD = "csrf_token"
_SESSION_PURPOSE = "web-session"


class CsrfCheckFailed(AppError):
    """A form came without this session's token, or from another site."""

    status_code = 403
    problem = "csrf-failed"


@dataclass(frozen=True)
class SignedCookie:
    """A cookie whose value is signed (not encrypted) JSON, expiring after ``max_age`` s."""

    name: str
    purpose: str
    max_age: int

    def _serializer(self, settings: Settings) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(settings.secret_key.get_secret_value(), salt=self.purpose)

    def read(self, request: Request, settings: Settings) -> Any | None:
        """The value, or None when the cookie is missing, forged or too old."""
        raw = request.cookies.get(self.name)
        if not raw or len(raw) > 4000:
            return None
        try:
            return self._serializer(settings).loads(raw, max_age=self.max_age)
        except BadSignature:
            return None

    def write(self, response: Response, settings: Settings, value: Any) -> None:
        response.set_cookie(
            self.name,
            self._serializer(settings).dumps(value),
            max_age=self.max_age,
            path="/",
            httponly=True,
            samesite="lax",
            secure=settings.public_url.startswith("https://"),
        )

    def clear(self, response: Response, settings: Settings) -> None:
        response.delete_cookie(
            self.name,
            path="/",
            httponly=True,
            samesite="lax",
            secure=settings.public_url.startswith("https://"),
        )


def session_cookie(settings: Settings) -> SignedCookie:
    return SignedCookie(SESSION_COOKIE, _SESSION_PURPOSE, settings.web_session_days * 86400)


@dataclass
class WebSession:
    """What the session cookie says; ``changed`` when it must be written back."""

    csrf_token: str
    user_id: uuid.UUID | None = None
    signed_in_at: int | None = None
    # The account's sign-in this cookie belongs to: when it ends (logout anywhere, a password
    # change or reset, a reused refresh token) the cookie stops signing anyone in.
    sign_in_id: uuid.UUID | None = None
    changed: bool = field(default=False, compare=False)

    def sign_in(self, user_id: uuid.UUID, sign_in_id: uuid.UUID) -> None:
        """A new token on every sign-in, so a token seen before it is worth nothing after."""
        self.user_id, self.signed_in_at = user_id, int(time.time())
        self.sign_in_id = sign_in_id
        self.csrf_token, self.changed = secrets.token_urlsafe(32), True

    def sign_out(self) -> None:
        self.user_id, self.signed_in_at, self.sign_in_id = None, None, None
        self.csrf_token, self.changed = secrets.token_urlsafe(32), True

    def as_cookie(self) -> dict[str, Any]:
        return {
            "c": self.csrf_token,
            "u": str(self.user_id) if self.user_id else None,
            "t": self.signed_in_at,
            "s": str(self.sign_in_id) if self.sign_in_id else None,
        }


def read_web_session(request: Request, settings: Settings) -> WebSession:
    """The visitor's session, or a fresh one (to be written) when there is none."""
    value = session_cookie(settings).read(request, settings)
    if isinstance(value, dict) and isinstance(value.get("c"), str):
        user_id = _uuid_or_none(value.get("u"))
        signed_in_at = value.get("t") if isinstance(value.get("t"), int) else None
        return WebSession(
            csrf_token=value["c"],
            user_id=user_id,
            signed_in_at=signed_in_at,
            sign_in_id=_uuid_or_none(value.get("s")),
        )
    return WebSession(csrf_token=secrets.token_urlsafe(32), changed=True)


def save_web_session(response: Response, settings: Settings, web_session: WebSession) -> None:
    if web_session.changed:
        session_cookie(settings).write(response, settings, web_session.as_cookie())


def require_csrf(web_session: WebSession, submitted: str | None) -> None:
    """403 unless the form carried this session's token."""
    if not submitted or not hmac.compare_digest(submitted, web_session.csrf_token):
        raise CsrfCheckFailed()


def require_same_origin(request: Request, settings: Settings) -> None:
    """403 for a form posted from another site: the browser says where it came from."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        if fetch_site in ("same-origin", "none"):
            return
        raise CsrfCheckFailed()
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin is None:
        raise CsrfCheckFailed()
    own = urlsplit(settings.public_url)
    seen = urlsplit(origin)
    if (seen.scheme, seen.netloc.lower()) != (own.scheme, own.netloc.lower()):
        raise CsrfCheckFailed()


def _uuid_or_none(value: object) -> uuid.UUID | None:
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
