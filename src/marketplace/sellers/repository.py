"""SQL for sellers and their members."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import User
from marketplace.db.queries import LIKE_ESCAPE, SortKey, escape_like, keyset_page
from marketplace.db.session import rows_affected
from marketplace.sellers.models import (
    MemberRole,
    Seller,
    SellerInvitation,
    SellerMember,
    SellerStatus,
)


async def get_seller(
    session: AsyncSession, seller_id: uuid.UUID, *, for_update: bool = False
) -> Seller | None:
    query = select(Seller).where(Seller.id == seller_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def get_seller_by_slug(session: AsyncSession, slug: str) -> Seller | None:
    return (await session.execute(select(Seller).where(Seller.slug == slug))).scalar_one_or_none()


async def slugs_like(session: AsyncSession, base: str) -> set[str]:
    result = await session.execute(
        select(Seller.slug).where(
            or_(Seller.slug == base, Seller.slug.like(f"{escape_like(base)}-%", escape=LIKE_ESCAPE))
        )
    )
    return set(result.scalars())


async def list_sellers(
    session: AsyncSession,
    *,
    statuses: tuple[SellerStatus, ...] | None,
    region_code: str | None,
    name_contains: str | None,
    after: tuple[str, uuid.UUID] | None,
    limit: int,
) -> list[Seller]:
    """Sellers ordered by (name, id), keyset-paginated."""
    query = select(Seller)
    if statuses:
        query = query.where(Seller.status.in_(statuses))
    if region_code:
        query = query.where(Seller.region_code == region_code)
    if name_contains:
        pattern = f"%{escape_like(name_contains)}%"
        query = query.where(Seller.name.ilike(pattern, escape=LIKE_ESCAPE))
    keys = [SortKey(Seller.name, descending=False), SortKey(Seller.id, descending=False)]
    query = keyset_page(query, keys, list(after) if after else None, limit)
    return list((await session.execute(query)).scalars())


async def get_member_role(
    session: AsyncSession, seller_id: uuid.UUID, user_id: uuid.UUID
) -> MemberRole | None:
    result = await session.execute(
        select(SellerMember.role).where(
            SellerMember.seller_id == seller_id, SellerMember.user_id == user_id
        )
    )
    return result.scalar_one_or_none()


async def list_members(
    session: AsyncSession, seller_id: uuid.UUID
) -> list[tuple[SellerMember, User]]:
    result = await session.execute(
        select(SellerMember, User)
        .join(User, User.id == SellerMember.user_id)
        .where(SellerMember.seller_id == seller_id)
        .order_by(SellerMember.created_at, SellerMember.id)
    )
    return [(member, user) for member, user in result.all()]


async def count_owners(session: AsyncSession, seller_id: uuid.UUID) -> int:
    result = await session.execute(
        select(func.count())
        .select_from(SellerMember)
        .where(SellerMember.seller_id == seller_id, SellerMember.role == MemberRole.OWNER)
    )
    return int(result.scalar_one())


async def delete_member(session: AsyncSession, seller_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    result = await session.execute(
        delete(SellerMember).where(
            SellerMember.seller_id == seller_id, SellerMember.user_id == user_id
        )
    )
    return rows_affected(result) == 1


async def list_memberships_of_user(
    session: AsyncSession, user_id: uuid.UUID
) -> list[tuple[Seller, MemberRole]]:
    result = await session.execute(
        select(Seller, SellerMember.role)
        .join(SellerMember, SellerMember.seller_id == Seller.id)
        .where(SellerMember.user_id == user_id)
        .order_by(Seller.name, Seller.id)
    )
    return [(seller, role) for seller, role in result.all()]


async def is_member_email(
    session: AsyncSession, seller_id: uuid.UUID, email_normalized: str
) -> bool:
    result = await session.execute(
        select(SellerMember.id)
        .join(User, User.id == SellerMember.user_id)
        .where(SellerMember.seller_id == seller_id, User.email_normalized == email_normalized)
    )
    return result.first() is not None


async def get_open_invitation(
    session: AsyncSession, token_hash: str, now: datetime
) -> SellerInvitation | None:
    result = await session.execute(
        select(SellerInvitation).where(
            SellerInvitation.token_hash == token_hash,
            SellerInvitation.accepted_at.is_(None),
            SellerInvitation.expires_at > now,
        )
    )
    return result.scalar_one_or_none()


async def mark_invitation_accepted(
    session: AsyncSession, invitation_id: uuid.UUID, now: datetime
) -> bool:
    """True for the one request that accepts it; False for a replay racing it."""
    result = await session.execute(
        update(SellerInvitation)
        .where(SellerInvitation.id == invitation_id, SellerInvitation.accepted_at.is_(None))
        .values(accepted_at=now)
        .execution_options(synchronize_session=False)
    )
    return rows_affected(result) == 1
