"""Which seller a seller-console page is about, and the signed-in person's role there.

Only members reach a seller's pages: anyone else (an admin too: admins have ``/admin/``) gets the
"not found" page, so a seller's existence never leaks; owner-only pages answer 403."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path

from marketplace.consoles.web import CheckedForm, Console, SignedIn
from marketplace.core.errors import Forbidden
from marketplace.core.i18n import gettext
from marketplace.db.base import parse_id
from marketplace.db.session import DbSession
from marketplace.sellers import service as sellers_service
from marketplace.sellers.exceptions import SellerNotFound
from marketplace.sellers.models import MemberRole, Seller

SELLER_HOME = "/penjual/"


@dataclass
class SellerDesk:
    """A console request about one seller the signed-in person belongs to."""

    console: Console
    seller: Seller
    role: MemberRole

    @property
    def is_owner(self) -> bool:
        return self.role is MemberRole.OWNER

    def require_owner(self) -> None:
        if not self.is_owner:
            raise Forbidden(gettext("Only the shop's owner may do this."))

    def path(self, tail: str = "") -> str:
        return f"{SELLER_HOME}{self.seller.id}/{tail}"


async def _desk(console: Console, session: DbSession, seller_id: str) -> SellerDesk:
    parsed = parse_id(seller_id)
    if parsed is None:
        raise SellerNotFound()
    role = await sellers_service.get_member_role(session, parsed, console.user.id)
    seller = await sellers_service.get_seller(session, parsed) if role is not None else None
    if seller is None or role is None:
        raise SellerNotFound()
    return SellerDesk(console=console, seller=seller, role=role)


async def seller_desk(
    console: SignedIn, session: DbSession, seller_id: Annotated[str, Path(max_length=64)]
) -> SellerDesk:
    return await _desk(console, session, seller_id)


async def seller_form_desk(
    console: CheckedForm, session: DbSession, seller_id: Annotated[str, Path(max_length=64)]
) -> SellerDesk:
    return await _desk(console, session, seller_id)


Desk = Annotated[SellerDesk, Depends(seller_desk)]
FormDesk = Annotated[SellerDesk, Depends(seller_form_desk)]
