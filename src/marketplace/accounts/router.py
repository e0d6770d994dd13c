"""/auth and /me."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Response, status

from marketplace.accounts import service
from marketplace.accounts.dependencies import CurrentUser
from marketplace.accounts.schemas import MeRead, RefreshRequest, TokenPair, UserCreate, UserRead
from marketplace.core.dependencies import AppSettings, ClientAddress, Hashing, Limiter
from marketplace.core.errors import problem_responses
from marketplace.db.session import DbSession
from marketplace.sellers import service as sellers_service

router = APIRouter(tags=["accounts"])

# RFC 6749 section 5.1: responses carrying tokens must not be stored by any cache.
NO_STORE = {"Cache-Control": "no-store"}


@router.post(
    "/auth/register",
    status_code=status.HTTP_201_CREATED,
    response_model=UserRead,
    responses=problem_responses(409, 422),
)
async def register(body: UserCreate, session: DbSession, hashing: Hashing) -> UserRead:
    user = await service.register_user(session, hashing, body)
    return UserRead.model_validate(user)


@router.post("/auth/token", response_model=TokenPair, responses=problem_responses(401, 422, 429))
async def issue_token(
    username: Annotated[str, Form(min_length=1, max_length=254, description="Email")],
    password: Annotated[str, Form(min_length=1, max_length=128)],
    session: DbSession,
    settings: AppSettings,
    hashing: Hashing,
    limiter: Limiter,
    client_address: ClientAddress,
    response: Response,
) -> TokenPair:
    """OAuth2 password flow: form fields ``username`` (the email) and ``password``."""
    response.headers.update(NO_STORE)
    context = service.AuthContext(settings=settings, hashing=hashing, limiter=limiter)
    return await service.sign_in(session, context, username, password, client_address)


@router.post("/auth/refresh", response_model=TokenPair, responses=problem_responses(401, 422))
async def refresh_token(
    body: RefreshRequest, session: DbSession, settings: AppSettings, response: Response
) -> TokenPair:
    response.headers.update(NO_STORE)
    return await service.rotate_refresh_token(session, settings, body.refresh_token)


@router.get("/me", response_model=MeRead, responses=problem_responses(401))
async def read_me(user: CurrentUser, session: DbSession) -> MeRead:
    memberships = await sellers_service.list_memberships_of_user(session, user.id)
    return MeRead.model_validate(
        {**UserRead.model_validate(user).model_dump(), "sellers": memberships}
    )
