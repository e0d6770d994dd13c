"""Signing in and out of the human pages: the accounts service checks the password (with its
rate limits); the cookie session (core/web_session.py) remembers who signed in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Response
from fastapi.responses import RedirectResponse

from marketplace.accounts import service as accounts_service
from marketplace.accounts.service import AuthContext
from marketplace.catalog.dependencies import Storage
from marketplace.core.dependencies import AppSettings, ClientAddress, Hashing, Limiter
from marketplace.core.errors import AppError
from marketplace.core.security import read_access_token
from marketplace.core.web_session import CSRF_FIELD, require_csrf
from marketplace.db.session import DbSession, RequestTransactions
from marketplace.storefront import rendering
from marketplace.storefront.dependencies import CurrentVisitor, PageLanguage
from marketplace.storefront.rendering import PageContext

router = APIRouter(tags=["storefront"], include_in_schema=False)
CsrfField = Annotated[str, Form(alias=CSRF_FIELD, max_length=200)]


def safe_next(raw: str | None) -> str:
    """Only a path on this site (``/checkout``), never ``//elsewhere``, a full URL, or
    ``/\\elsewhere`` (browsers read a backslash as a slash) or a control character."""
    if (
        raw
        and raw.startswith("/")
        and not raw.startswith("//")
        and "\\" not in raw
        and raw.isprintable()
    ):
        return raw
    return "/"


@router.get("/masuk", response_class=Response)
async def sign_in_page(
    storage: Storage,
    settings: AppSettings,
    language: PageLanguage,
    visitor: CurrentVisitor,
    next_page: Annotated[str | None, Query(alias="next", max_length=500)] = None,
) -> Response:
    page = PageContext(settings, language, "/masuk")
    html = rendering.render(
        "sign_in.html",
        page,
        user=visitor.user,
        next_page=safe_next(next_page),
        csrf=visitor.web_session.csrf_token,
        error=None,
        email="",
        noindex=True,
    )
    return visitor.finish(rendering.private_response(settings, storage, html, language), settings)


@router.post("/masuk", response_class=Response)
async def sign_in(
    transactions: RequestTransactions,
    storage: Storage,
    settings: AppSettings,
    hashing: Hashing,
    limiter: Limiter,
    address: ClientAddress,
    language: PageLanguage,
    visitor: CurrentVisitor,
    csrf_token: CsrfField = "",
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next_page: Annotated[str, Form(alias="next", max_length=500)] = "/",
) -> Response:
    require_csrf(visitor.web_session, csrf_token)
    context = AuthContext(settings=settings, hashing=hashing, limiter=limiter)
    try:
        # the password is checked outside any write transaction (hashing is slow)
        tokens = await accounts_service.sign_in(transactions, context, email, password, address)
    except AppError as error:  # wrong password, or too many tries (429 with its wait)
        page = PageContext(settings, language, "/masuk")
        html = rendering.render(
            "sign_in.html",
            page,
            user=None,
            next_page=safe_next(next_page),
            csrf=visitor.web_session.csrf_token,
            error=error.render_detail() or error.render_title(),
            email=email,
            noindex=True,
        )
        response = rendering.private_response(
            settings, storage, html, language, status_code=error.status_code
        )
        return visitor.finish(response, settings)
    claims = read_access_token(tokens.access_token, settings)
    if claims is not None:  # the cookie follows this sign-in: when it ends, so does the cookie
        visitor.web_session.sign_in(claims.user_id, claims.sign_in_id)
    return visitor.finish(RedirectResponse(safe_next(next_page), status_code=303), settings)


@router.post("/keluar", response_class=Response)
async def sign_out(
    session: DbSession, settings: AppSettings, visitor: CurrentVisitor, csrf_token: CsrfField = ""
) -> Response:
    require_csrf(visitor.web_session, csrf_token)
    if visitor.user is not None and visitor.web_session.sign_in_id is not None:
        await accounts_service.end_sign_in(session, visitor.user, visitor.web_session.sign_in_id)
    visitor.web_session.sign_out()
    return visitor.finish(RedirectResponse("/", status_code=303), settings)
