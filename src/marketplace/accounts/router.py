"""/auth and /me."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Response, status

from marketplace.accounts import credentials, service
from marketplace.accounts.dependencies import CurrentSignIn, CurrentUser
from marketplace.accounts.schemas import (
    LogoutRequest,
    MeRead,
    PasswordChange,
    PasswordResetConfirm,
    PasswordResetRequest,
    RefreshRequest,
    TokenPair,
    UserCreate,
    UserRead,
    VerifyEmailRequest,
)
from marketplace.core.dependencies import AppSettings, ClientAddress, Hashing, Limiter
from marketplace.core.errors import problem_responses
from marketplace.db.session import DbSession, RequestTransactions
from marketplace.sellers import service as sellers_service

router = APIRouter(tags=["accounts"])

# RFC 6749 section 5.1: responses carrying tokens must not be stored by any cache.
NO_STORE = {"Cache-Control": "no-store"}


@router.post(
    "/auth/register",
    status_code=status.HTTP_201_CREATED,
    response_model=UserRead,
    responses=problem_responses(409, 422, 429, 503),
)
async def register(
    body: UserCreate,
    transactions: RequestTransactions,
    settings: AppSettings,
    hashing: Hashing,
    limiter: Limiter,
    client_address: ClientAddress,
) -> UserRead:
    """Creates the account and e-mails a code to confirm the address (``/auth/verify-email``)."""
    context = service.AuthContext(settings=settings, hashing=hashing, limiter=limiter)
    user = await service.register(transactions, context, body, client_address)
    return UserRead.model_validate(user)


@router.post(
    "/auth/token", response_model=TokenPair, responses=problem_responses(401, 422, 429, 503)
)
async def issue_token(
    username: Annotated[str, Form(min_length=1, max_length=254, description="Email")],
    password: Annotated[str, Form(min_length=1, max_length=128)],
    transactions: RequestTransactions,
    settings: AppSettings,
    hashing: Hashing,
    limiter: Limiter,
    client_address: ClientAddress,
    response: Response,
) -> TokenPair:
    """OAuth2 password flow: form fields ``username`` (the email) and ``password``."""
    response.headers.update(NO_STORE)
    context = service.AuthContext(settings=settings, hashing=hashing, limiter=limiter)
    return await service.sign_in(transactions, context, username, password, client_address)


@router.post("/auth/refresh", response_model=TokenPair, responses=problem_responses(401, 422))
async def refresh_token(
    body: RefreshRequest, session: DbSession, settings: AppSettings, response: Response
) -> TokenPair:
    response.headers.update(NO_STORE)
    return await service.rotate_refresh_token(session, settings, body.refresh_token)


@router.post(
    "/auth/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 422),
)
async def logout(body: LogoutRequest, user: CurrentUser, session: DbSession) -> None:
    """Ends the sign-in of ``refresh_token``: its refresh and access tokens stop working."""
    await service.sign_out(session, user, body.refresh_token)


@router.post(
    "/auth/password-reset",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(422, 429),
)
async def request_password_reset(
    body: PasswordResetRequest,
    session: DbSession,
    settings: AppSettings,
    hashing: Hashing,
    limiter: Limiter,
    client_address: ClientAddress,
) -> Response:
    """Answers 202 whether or not the account exists; e-mails a single-use code (30 min)."""
    context = service.AuthContext(settings=settings, hashing=hashing, limiter=limiter)
    await credentials.request_password_reset(session, context, body.email, client_address)
    return Response(status_code=status.HTTP_202_ACCEPTED)


@router.post(
    "/auth/password-reset/confirm",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(422, 503),
)
async def confirm_password_reset(
    body: PasswordResetConfirm,
    transactions: RequestTransactions,
    settings: AppSettings,
    hashing: Hashing,
    limiter: Limiter,
) -> None:
    """Sets the new password; every sign-in of the account ends."""
    context = service.AuthContext(settings=settings, hashing=hashing, limiter=limiter)
    await credentials.reset_password(transactions, context, body.token, body.password)


@router.post(
    "/auth/verify-email", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(422)
)
async def verify_email(body: VerifyEmailRequest, session: DbSession) -> None:
    await credentials.verify_email(session, body.token)


@router.get("/me", response_model=MeRead, responses=problem_responses(401))
async def read_me(user: CurrentUser, session: DbSession, response: Response) -> MeRead:
    response.headers.update(NO_STORE)
    memberships = await sellers_service.list_memberships_of_user(session, user.id)
    return MeRead.model_validate(
        {**UserRead.model_validate(user).model_dump(), "sellers": memberships}
    )


@router.post(
    "/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 422, 429, 503),
)
async def change_password(
    body: PasswordChange,
    signed_in: CurrentSignIn,
    transactions: RequestTransactions,
    settings: AppSettings,
    hashing: Hashing,
    limiter: Limiter,
    client_address: ClientAddress,
) -> None:
    """Every other sign-in of the account ends; this one goes on."""
    context = service.AuthContext(settings=settings, hashing=hashing, limiter=limiter)
    await credentials.change_password(
        transactions,
        context,
        signed_in.user,
        signed_in.sign_in_id,
        (body.current_password, body.new_password),
        client_address,
    )


@router.post(
    "/me/verification-email",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(401, 429),
)
async def resend_verification_email(
    user: CurrentUser,
    session: DbSession,
    settings: AppSettings,
    hashing: Hashing,
    limiter: Limiter,
) -> Response:
    """E-mails a new confirmation code (earlier codes stop working); nothing once confirmed."""
    context = service.AuthContext(settings=settings, hashing=hashing, limiter=limiter)
    await credentials.resend_verification(session, context, user)
    return Response(status_code=status.HTTP_202_ACCEPTED)
