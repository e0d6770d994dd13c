"""How a route gets at a seller: as the caller may see it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from marketplace.accounts.dependencies import OptionalUser
from marketplace.db.session import DbSession
from marketplace.sellers import service
from marketplace.sellers.service import SellerAccess


async def get_seller_access(
    session: DbSession,
    viewer: OptionalUser,
    seller_id: Annotated[str, Path(max_length=100)],
) -> SellerAccess:
    return await service.resolve_access(session, viewer, seller_id, allow_slug=False)


async def get_seller_access_by_id_or_slug(
    session: DbSession,
    viewer: OptionalUser,
    id_or_slug: Annotated[str, Path(max_length=100)],
) -> SellerAccess:
    return await service.resolve_access(session, viewer, id_or_slug)


SellerById = Annotated[SellerAccess, Depends(get_seller_access)]
SellerByIdOrSlug = Annotated[SellerAccess, Depends(get_seller_access_by_id_or_slug)]
