"""Who may open the admin console: admins only. Someone not signed in is sent to sign in (the
console layer's ``SignedIn``); a signed-in person who is not an admin gets the 403 page. Forms
are CSRF-checked by ``CheckedForm`` before anything else runs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.consoles.web import CheckedForm, Console, ConsoleRoute, SignedIn
from marketplace.core.errors import AppError, Forbidden, InvalidInput
from marketplace.core.i18n import gettext
from marketplace.db.session import Transactions


def admin_router() -> APIRouter:
    """A router of console pages under ``/admin`` (problems shown as pages, never JSON)."""
    return APIRouter(prefix="/admin", route_class=ConsoleRoute, include_in_schema=False)


def _require_admin(console: Console) -> Console:
    if not console.user.is_admin:
        raise Forbidden(gettext("This page is for admins only. Your account has no admin access."))
    return console


async def admin_page(console: SignedIn) -> Console:
    return _require_admin(console)


async def admin_form(console: CheckedForm) -> Console:
    return _require_admin(console)


Admin = Annotated[Console, Depends(admin_page)]
AdminForm = Annotated[Console, Depends(admin_form)]


@asynccontextmanager
async def shown_in_page(
    console: Console,
    transactions: Transactions,
    template: str,
    context: Callable[[AsyncSession], Any],
    **extra: Any,
) -> AsyncIterator[AsyncSession]:
    """Run a change in a write transaction of its own; if it is refused (a problem, or a
    validation error), it rolls back and the page is shown again with the problem in words,
    its data (``await context(session)``) read afresh in a read transaction."""
    try:
        async with transactions(write=True) as writing:
            yield writing
    except (AppError, ValidationError) as problem:
        async with transactions(write=False) as reading:
            data = await context(reading)
        raise console.form_failed(template, problem, **data, **extra) from problem


def page_problem(field: str, message: str) -> InvalidInput:
    """A refused form field, its message the sentence the page shows."""
    return InvalidInput(message, errors=[{"loc": ["body", field], "msg": message, "type": "x"}])


def form_values(form: Any, *names: str) -> dict[str, str]:
    """The fields a failed form shows again."""
    return {name: str(form.get(name, "")) for name in names}


__all__ = [
    "Admin",
    "AdminForm",
    "admin_router",
    "form_values",
    "page_problem",
    "shown_in_page",
]
