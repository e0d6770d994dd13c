"""ASGI middleware: request ids, language negotiation, a cap on request bodies."""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from marketplace.core.errors import problem_response, unexpected_error_response
from marketplace.core.i18n import current_language, gettext, negotiate_language
from marketplace.core.logging import current_request_id

REQUEST_ID_HEADER = b"x-request-id"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
access_logger = logging.getLogger("marketplace.access")
_VARY_LANGUAGE = (b"vary", b"Accept-Language")


class RequestContextMiddleware:
    """Gives each request an id (echoed in ``X-Request-ID``) and a language for its texts."""

    def __init__(self, app: ASGIApp, *, access_log: bool = False) -> None:
        self.app = app
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        request_id = _request_id_from(headers.get(REQUEST_ID_HEADER))
        id_token = current_request_id.set(request_id)
        language = negotiate_language(headers.get(b"accept-language", b"").decode("latin-1"))
        language_token = current_language.set(language)
        started = time.perf_counter()
        status_holder: list[int] = []

        async def send_with_request_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder.append(message["status"])
                existing = list(message.get("headers", []))
                added = [(REQUEST_ID_HEADER, request_id.encode())]
                # A page rendered in a language its query chose (lang=en) says so itself.
                if not any(name.lower() == b"content-language" for name, _ in existing):
                    # it came from Accept-Language: a shared cache must key the answer by it
                    # (a second Vary field line adds to any other, RFC 9110 5.3)
                    added += [(b"content-language", language.value.encode()), _VARY_LANGUAGE]
                message["headers"] = [*existing, *added]
            await send(message)

        try:
            await self.app(scope, receive, send_with_request_id)
        except Exception:
            # Starlette's 500 handler runs outside this middleware, after the request id and
            # language are reset; answer here so the 500 names the id it was logged under.
            if status_holder:
                raise
            response = unexpected_error_response(scope["method"], scope["path"])
            await response(scope, receive, send_with_request_id)
        finally:
            if self.access_log:
                access_logger.info(
                    "%s %s",
                    scope["method"],
                    scope["path"],
                    extra={
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status_holder[0] if status_holder else 500,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    },
                )
            current_request_id.reset(id_token)
            current_language.reset(language_token)


def _request_id_from(raw: bytes | None) -> str:
    if raw:
        candidate = raw.decode("latin-1")
        if _VALID_REQUEST_ID.match(candidate):
            return candidate
    return uuid.uuid4().hex


class BodySizeLimitMiddleware:
    """Answers 413 before a handler reads a body larger than ``max_bytes``."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge()
            return message

        await self.app(scope, counting_receive, send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            413,
            "payload-too-large",
            gettext("Payload too large"),
            gettext("Request body exceeds %(max_bytes)s bytes.", max_bytes=self.max_bytes),
        )
        await response(scope, receive, send)


class _BodyTooLarge(StarletteHTTPException):
    """An HTTPException so FastAPI's body parsing re-raises it instead of answering 400."""

    def __init__(self) -> None:
        super().__init__(status_code=413)


class PersonalResponseMiddleware:
    """``Cache-Control: no-store`` on answers that belong to one caller: any request that
    carried a bearer token or an order token, and every order or account address (a shared
    cache or a browser's back button must never show one person's order to another)."""

    PERSONAL_PREFIXES = ("/api/v1/me", "/api/v1/orders", "/api/v1/auth/")

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._is_personal(scope):
            await self.app(scope, receive, send)
            return

        async def send_no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() != b"cache-control"
                ]
                message["headers"] = [*headers, (b"cache-control", b"no-store")]
            await send(message)

        await self.app(scope, receive, send_no_store)

    def _is_personal(self, scope: Scope) -> bool:
        if str(scope["path"]).startswith(self.PERSONAL_PREFIXES):
            return True
        names = {name.lower() for name, _ in scope["headers"]}
        return b"authorization" in names or b"x-order-token" in names
