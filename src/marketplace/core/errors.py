"""Errors as RFC 9457 problem details: one exception base and one renderer for everything."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from marketplace.core.i18n import gettext
from marketplace.core.logging import current_request_id
from marketplace.core.problem_texts import PROBLEM_DETAILS, PROBLEM_TITLES
from marketplace.core.validation_messages import translated_errors

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "/problems/"

logger = logging.getLogger("marketplace.errors")


class AppError(Exception):
    """Base of every error the API reports on purpose. Subclasses fix status and problem slug."""

    status_code: ClassVar[int] = 500
    problem: ClassVar[str] = "internal-error"
    # Commit the request's transaction before answering (e.g. revoking a stolen token family).
    keep_changes: ClassVar[bool] = False

    def __init__(
        self,
        detail: str | None = None,
        *,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
        errors: Sequence[Mapping[str, Any]] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        self.params = dict(params or {})
        self.detail = detail
        self.headers = dict(headers or {})
        self.errors = list(errors) if errors is not None else None
        self.extra = dict(extra or {})
        super().__init__(detail or self.problem)

    def render_detail(self) -> str | None:
        if self.detail is not None:
            return self.detail
        detail = PROBLEM_DETAILS.get(self.problem)
        return gettext(detail, **self.params) if detail is not None else None

    def render_title(self) -> str:
        return gettext(problem_title(self.problem, self.status_code), **self.params)


class BadRequest(AppError):
    status_code = 400
    problem = "bad-request"


class Unauthorized(AppError):
    status_code = 401
    problem = "unauthorized"

    def __init__(self, detail: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail, **kwargs)


class Forbidden(AppError):
    status_code = 403
    problem = "forbidden"


class NotFound(AppError):
    status_code = 404
    problem = "not-found"


class Conflict(AppError):
    status_code = 409
    problem = "conflict"


class PayloadTooLarge(AppError):
    status_code = 413
    problem = "payload-too-large"


class UnsupportedMediaType(AppError):
    status_code = 415
    problem = "unsupported-media-type"


class InvalidInput(AppError):
    """A 422 for rules Pydantic cannot see (unknown region, weak password, ...)."""

    status_code = 422
    problem = "validation-error"

    @classmethod
    def for_field(
        cls, location: Sequence[str | int], message: str, error_type: str
    ) -> InvalidInput:
        return cls(errors=[{"loc": list(location), "msg": message, "type": error_type}])


class TooManyRequests(AppError):
    status_code = 429
    problem = "too-many-requests"

    def __init__(self, retry_after_seconds: int) -> None:
        retry_after = max(1, retry_after_seconds)
        super().__init__(
            params={"retry_after": retry_after}, headers={"Retry-After": str(retry_after)}
        )


_GENERIC_TITLE_BY_STATUS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-error",
    429: "too-many-requests",
}


def problem_title(slug: str, status: int) -> str:
    """The title msgid of problem ``slug``, else the generic one of its ``status``."""
    generic = _GENERIC_TITLE_BY_STATUS.get(status, "internal-error")
    return PROBLEM_TITLES.get(slug) or PROBLEM_TITLES[generic]


def problem_response(
    status: int,
    problem: str,
    title: str,
    detail: str | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    errors: Sequence[Mapping[str, Any]] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_PREFIX + problem,
        "title": title,
        "status": status,
        "detail": detail if detail is not None else title,
    }
    request_id = current_request_id.get()
    if request_id:
        body["request_id"] = request_id
    if errors is not None:
        body["errors"] = [_jsonable_error(error) for error in errors]
    if extra:
        body.update(extra)
    return Response(
        content=orjson.dumps(body),
        status_code=status,
        media_type=PROBLEM_CONTENT_TYPE,
        headers=dict(headers or {}),
    )


def _jsonable_error(error: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "loc": [part if isinstance(part, int) else str(part) for part in error.get("loc", ())],
        "msg": str(error.get("msg", "")),
        "type": str(error.get("type", "value_error")),
    }


async def _handle_app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    return problem_response(
        exc.status_code,
        exc.problem,
        exc.render_title(),
        exc.render_detail(),
        headers=exc.headers,
        errors=exc.errors,
        extra=exc.extra,
    )


async def _handle_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return problem_response(
        422,
        "validation-error",
        gettext("Invalid data"),
        gettext("Check the fields listed in 'errors'."),
        errors=translated_errors(list(exc.errors())),
    )


async def _handle_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    slug = _GENERIC_TITLE_BY_STATUS.get(exc.status_code, "bad-request")
    if exc.status_code >= 500:
        slug = "internal-error"
    detail = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else None
    if exc.status_code == 404:
        detail = gettext("The requested resource does not exist.")
    return problem_response(
        exc.status_code,
        slug,
        gettext(PROBLEM_TITLES[slug]),
        detail,
        headers=getattr(exc, "headers", None),
    )


async def _handle_unexpected_error(request: Request, exc: Exception) -> Response:
    return unexpected_error_response(request.method, request.url.path)


def unexpected_error_response(method: str, path: str) -> Response:
    """Log the exception being handled, with its traceback; answer a 500 that reveals none of it."""
    request_id = current_request_id.get() or "-"
    logger.exception("unhandled error on %s %s", method, path)
    return problem_response(
        500,
        "internal-error",
        gettext("Internal server error"),
        gettext(
            "An unexpected error occurred. Quote request id %(request_id)s when contacting us.",
            request_id=request_id,
        ),
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _handle_app_error)
    app.add_exception_handler(RequestValidationError, _handle_validation_error)
    app.add_exception_handler(StarletteHTTPException, _handle_http_exception)
    app.add_exception_handler(Exception, _handle_unexpected_error)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries so each route documents the problems it can answer."""
    return {
        status: {
            "description": gettext(problem_title("", status)),
            "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }


class ServiceBusy(AppError):
    """503 with ``Retry-After``: a bounded resource (password hashing) is saturated."""

    status_code = 503
    problem = "service-busy"

    def __init__(self, retry_after_seconds: int) -> None:
        retry_after = max(1, retry_after_seconds)
        super().__init__(
            params={"retry_after": retry_after}, headers={"Retry-After": str(retry_after)}
        )
