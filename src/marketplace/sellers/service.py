"""Rules for sellers: who may see and change them, membership, verification by admins."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.exceptions import EmailNotVerified
from marketplace.accounts.models import User
from marketplace.accounts.schemas import MembershipRead
from marketplace.audit import service as audit_service
from marketplace.catalog import service as catalog_service
from marketplace.core.errors import Forbidden, NotFound
from marketplace.core.i18n import Language
from marketplace.core.pagination import CursorCodec, parse_text_and_id, split_page
from marketplace.core.schemas import Page, set_fields
from marketplace.core.slugs import next_free_slug, slugify
from marketplace.db.base import parse_id, utcnow
from marketplace.moderation import service as moderation_service
from marketplace.moderation.models import ItemKind, ModerationItem
from marketplace.moderation.screening import Flag, imitates_government
from marketplace.notifications import service as notifications_service
from marketplace.sellers import repository
from marketplace.sellers.exceptions import (
    LastOwner,
    SellerNotFound,
    SellerStatusConflict,
)
from marketplace.sellers.models import MemberRole, Seller, SellerMember, SellerStatus
from marketplace.sellers.schemas import (
    MemberRead,
    SellerCreate,
    SellerRead,
    SellerUpdate,
)

# Which statuses an admin may move a seller to, from which.
ALLOWED_STATUS_CHANGES: dict[SellerStatus, frozenset[SellerStatus]] = {
    SellerStatus.VERIFIED: frozenset(
        {SellerStatus.PENDING, SellerStatus.REJECTED, SellerStatus.SUSPENDED}
    ),
    SellerStatus.REJECTED: frozenset({SellerStatus.PENDING}),
    # Only a seller that is selling can be suspended; a pending one is rejected instead.
    SellerStatus.SUSPENDED: frozenset({SellerStatus.VERIFIED}),
}
_SLUG_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class SellerAccess:
    """A seller as one caller sees it: their role there, and whether they are an admin."""

    seller: Seller
    role: MemberRole | None
    is_admin: bool

    @property
    def sees_private_fields(self) -> bool:
        return self.role is not None or self.is_admin

    def require(self, *roles: MemberRole, admin: bool = False) -> Seller:
        """The seller, when the caller holds one of ``roles`` (or is an admin and ``admin``)."""
        if (admin and self.is_admin) or self.role in roles:
            return self.seller
        raise Forbidden()


async def resolve_access(
    session: AsyncSession, viewer: User | None, id_or_slug: str, *, allow_slug: bool = True
) -> SellerAccess:
    """The seller ``id_or_slug`` as ``viewer`` may see it; 404 when it is hidden from them."""
    if "\x00" in id_or_slug:
        raise SellerNotFound()
    seller_id = parse_id(id_or_slug)
    seller = None
    if seller_id is not None:
        seller = await repository.get_seller(session, seller_id)
    elif allow_slug:
        seller = await repository.get_seller_by_slug(session, id_or_slug)
    if seller is None:
        raise SellerNotFound()
    role = await repository.get_member_role(session, seller.id, viewer.id) if viewer else None
    is_admin = bool(viewer and viewer.is_admin)
    if seller.status is not SellerStatus.VERIFIED and role is None and not is_admin:
        raise SellerNotFound()
    return SellerAccess(seller=seller, role=role, is_admin=is_admin)


async def get_seller(session: AsyncSession, seller_id: uuid.UUID) -> Seller | None:
    return await repository.get_seller(session, seller_id)


async def get_seller_by_slug(session: AsyncSession, slug: str) -> Seller | None:
    return await repository.get_seller_by_slug(session, slug)


async def get_member_role(
    session: AsyncSession, seller_id: uuid.UUID, user_id: uuid.UUID
) -> MemberRole | None:
    return await repository.get_member_role(session, seller_id, user_id)


async def create_seller(session: AsyncSession, owner: User, data: SellerCreate) -> Seller:
    if not owner.email_verified:
        raise EmailNotVerified()
    await catalog_service.require_region(session, data.region_code)
    for _ in range(_SLUG_ATTEMPTS):
        base = slugify(data.name, fallback="penjual")
        slug = next_free_slug(base, await repository.slugs_like(session, base))
        seller = Seller(
            slug=slug,
            name=data.name,
            kind=data.kind,
            region_code=data.region_code,
            description=data.description,
            whatsapp=data.whatsapp,
            address=data.address,
            status=SellerStatus.PENDING,
        )
        try:
            async with session.begin_nested():
                session.add(seller)
                await session.flush()
        except IntegrityError:  # another request took the slug between our read and insert
            continue
        session.add(SellerMember(seller_id=seller.id, user_id=owner.id, role=MemberRole.OWNER))
        await session.flush()
        await _flag_government_name(session, seller, seller.name)
        return seller
    raise RuntimeError("could not find a free slug")  # pragma: no cover


async def update_seller(
    session: AsyncSession, access: SellerAccess, actor: User, data: SellerUpdate
) -> Seller:
    seller = access.seller
    changes = set_fields(data, not_null=("name", "kind", "region_code"))
    if changes.get("region_code"):
        await catalog_service.require_region(session, changes["region_code"])
    by_admin = access.is_admin and access.role is None
    if "name" in changes and changes["name"] != seller.name and not by_admin:
        await _name_change(session, seller, changes.pop("name"))
    before = _snapshot(seller, changes)
    for field, value in changes.items():
        setattr(seller, field, value)
    await session.flush()
    if "region_code" in changes and before["region_code"] != seller.region_code:
        await catalog_service.move_seller_products(session, seller.id, seller.region_code)
    if access.is_admin and access.role is None:
        await audit_service.record_admin_action(
            session,
            actor_id=actor.id,
            action="seller.update",
            target_type="seller",
            target_id=seller.id,
            before=before,
            after=_snapshot(seller, changes),
        )
    return seller


async def _name_change(session: AsyncSession, seller: Seller, name: str) -> None:
    """A member renames the seller. A verified seller's public name is what an admin checked:
    the new one waits for an admin (the old one stays public meanwhile). Any seller's name that
    reads like a government body ("Dinas", "Pemprov", "Resmi") is queued for an admin."""
    flags = imitates_government(name)
    if seller.status is SellerStatus.VERIFIED:
        reasons = flags or [Flag(code="verified_seller_renamed", detail=name)]
        await moderation_service.hold_changes(
            session,
            ItemKind.SELLER_PROFILE,
            {"name": seller.name},
            {"name": name},
            reasons,
            seller_id=seller.id,
        )
        return
    seller.name = name
    await _flag_government_name(session, seller, name)


async def _flag_government_name(session: AsyncSession, seller: Seller, name: str) -> None:
    flags = imitates_government(name)
    if flags:
        await moderation_service.flag(
            session, ItemKind.SELLER_PROFILE, flags, seller_id=seller.id, note=name
        )


async def pending_name(session: AsyncSession, seller_id: uuid.UUID) -> str | None:
    item = await moderation_service.held_changes(
        session, ItemKind.SELLER_PROFILE, seller_id=seller_id
    )
    name = (item.proposed or {}).get("name") if item else None
    return str(name) if name else None


async def apply_profile_decision(
    session: AsyncSession, admin: User, item: ModerationItem, *, approve: bool
) -> None:
    """An admin's decision on a held name: approved, it becomes the public name."""
    if item.seller_id is None:
        return
    seller = await repository.get_seller(session, item.seller_id, for_update=True)
    name = (item.proposed or {}).get("name")
    if seller is None or not approve or not name or name == seller.name:
        return
    before = {"name": seller.name}
    seller.name = str(name)
    seller.updated_at = utcnow()
    await session.flush()
    await audit_service.record_admin_action(
        session,
        actor_id=admin.id,
        action="seller.approve_name",
        target_type="seller",
        target_id=seller.id,
        before=before,
        after={"name": seller.name},
    )


def _snapshot(seller: Seller, fields: dict[str, Any]) -> dict[str, Any]:
    return {field: _jsonable(getattr(seller, field)) for field in fields}


def _jsonable(value: object) -> object:
    return value if value is None or isinstance(value, (str, int, bool)) else str(value)


async def change_status(
    session: AsyncSession,
    admin: User,
    seller_id: str,
    target: SellerStatus,
    reason: str | None,
) -> Seller:
    """Verify, reject or suspend; the change and its audit entry commit together."""
    parsed = parse_id(seller_id)
    seller = await repository.get_seller(session, parsed, for_update=True) if parsed else None
    if seller is None:
        raise SellerNotFound()
    current = seller.status
    if current not in ALLOWED_STATUS_CHANGES[target]:
        raise SellerStatusConflict(params={"current": current.value, "target": target.value})
    seller.status = target
    seller.status_reason = reason
    await session.flush()
    await audit_service.record_admin_action(
        session,
        actor_id=admin.id,
        action=f"seller.{_ACTION_NAMES[target]}",
        target_type="seller",
        target_id=seller.id,
        before={"status": current.value},
        after={"status": target.value},
        reason=reason,
    )
    return seller


_ACTION_NAMES = {
    SellerStatus.VERIFIED: "verify",
    SellerStatus.REJECTED: "reject",
    SellerStatus.SUSPENDED: "suspend",
}


async def list_sellers(
    session: AsyncSession,
    codec: CursorCodec,
    *,
    statuses: tuple[SellerStatus, ...] | None,
    region_code: str | None,
    query: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[Seller], str | None]:
    after = codec.decode_as(cursor, parse_text_and_id) if cursor else None
    query = query.replace("\x00", " ").strip() or None if query else None
    region_code = region_code.replace("\x00", "") if region_code else None
    sellers = await repository.list_sellers(
        session,
        statuses=statuses,
        region_code=region_code,
        name_contains=query,
        after=after,
        limit=limit + 1,
    )
    page, next_cursor = split_page(sellers, limit, codec, lambda s: [s.name, str(s.id)])
    return list(page), next_cursor


async def list_public_sellers(
    session: AsyncSession,
    codec: CursorCodec,
    *,
    region_code: str | None,
    query: str | None,
    limit: int,
    cursor: str | None,
) -> Page[SellerRead]:
    sellers, next_cursor = await list_sellers(
        session,
        codec,
        statuses=(SellerStatus.VERIFIED,),
        region_code=region_code,
        query=query,
        limit=limit,
        cursor=cursor,
    )
    return Page(items=[SellerRead.model_validate(s) for s in sellers], next_cursor=next_cursor)


async def list_members(session: AsyncSession, seller: Seller) -> list[MemberRead]:
    rows = await repository.list_members(session, seller.id)
    return [_member_read(member, user) for member, user in rows]


async def remove_member(session: AsyncSession, seller: Seller, user_id: str) -> None:
    parsed = parse_id(user_id)
    role = await repository.get_member_role(session, seller.id, parsed) if parsed else None
    if parsed is None or role is None:
        raise NotFound()
    if role is MemberRole.OWNER and await repository.count_owners(session, seller.id) <= 1:
        raise LastOwner()
    await repository.delete_member(session, seller.id, parsed)


def _member_read(member: SellerMember, user: User) -> MemberRead:
    return MemberRead(
        user_id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=member.role,
        language=user.language,
        created_at=member.created_at,
    )


async def email_members(
    session: AsyncSession, seller: Seller, template: str, context: dict[str, Any]
) -> None:
    """Queue ``template`` to every member of ``seller``, rendered once per language."""
    by_language: dict[Language, list[str]] = {}
    for member in await list_members(session, seller):
        by_language.setdefault(member.language, []).append(member.email)
    for language, emails in by_language.items():
        await notifications_service.queue_email(session, emails, template, language, context)


async def list_memberships_of_user(
    session: AsyncSession, user_id: uuid.UUID
) -> list[MembershipRead]:
    rows = await repository.list_memberships_of_user(session, user_id)
    return [
        MembershipRead(id=seller.id, slug=seller.slug, name=seller.name, role=role.value)
        for seller, role in rows
    ]
