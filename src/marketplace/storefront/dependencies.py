"""What storefront pages read from the request: the language (``?lang=en``), the visitor's
cookie session with the user it names, and the cart."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from starlette.responses import Response

from marketplace.accounts import service as accounts_service
from marketplace.accounts.models import User
from marketplace.config import Settings
from marketplace.core.dependencies import AppSettings
from marketplace.core.i18n import Language, current_language
from marketplace.core.security import AccessClaims
from marketplace.core.web_session import WebSession, read_web_session, save_web_session
from marketplace.db.session import transaction_of
from marketplace.storefront.cart import Cart, read_cart, save_cart


async def page_language(
    lang: Annotated[str | None, Query(max_length=5, description="`id` (default) or `en`")] = None,
) -> Language:
    """English only when asked for; anything else reads as Indonesian (never a 422 page)."""
    language = Language.ENGLISH if lang == Language.ENGLISH.value else Language.INDONESIAN
    current_language.set(language)
    return language


PageLanguage = Annotated[Language, Depends(page_language)]


@dataclass
class Visitor:
    """One visitor of the human pages: their cookie session, who is signed in, their cart."""

    web_session: WebSession
    user: User | None
    cart: Cart
    cart_changed: bool = False

    def finish(self, response: Response, settings: Settings) -> Response:
        """Write back whatever cookie changed."""
        save_web_session(response, settings, self.web_session)
        if self.cart_changed:
            save_cart(response, settings, self.cart)
        return response


async def get_visitor(request: Request, settings: AppSettings) -> Visitor:
    web_session = read_web_session(request, settings)
    user = None
    if web_session.user_id is not None:
        user = await _signed_in_user(request, web_session)
        if user is None:  # the sign-in ended (logout, new password) or the account closed
            web_session.sign_out()
    return Visitor(web_session=web_session, user=user, cart=read_cart(request, settings))


async def _signed_in_user(request: Request, web_session: WebSession) -> User | None:
    if web_session.user_id is None or web_session.sign_in_id is None:
        return None
    claims = AccessClaims(user_id=web_session.user_id, sign_in_id=web_session.sign_in_id)
    # A read of its own: the request's write transaction (if any) must not be held open
    # across slow work such as checking a password on the sign-in page.
    async with transaction_of(request, write=False) as session:
        return await accounts_service.get_signed_in_user(session, claims)


CurrentVisitor = Annotated[Visitor, Depends(get_visitor)]
