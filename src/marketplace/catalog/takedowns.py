"""What admins decide about listings (approve, remove) and what sellers and the public may
ask of them (another review, a report). Every decision closes the listing's queue items."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import User
from marketplace.audit import service as audit_service
from marketplace.catalog import repository
from marketplace.catalog.exceptions import NothingToApprove, NotRemoved
from marketplace.catalog.listings import ProductAccess, resolve_product_access
from marketplace.catalog.models import Product, ProductStatus
from marketplace.catalog.review_rules import CONTENT_FIELDS
from marketplace.catalog.schemas import ProductModeration
from marketplace.db.base import utcnow
from marketplace.moderation import service as moderation_service
from marketplace.moderation.models import ItemKind, ItemStatus, ModerationItem
from marketplace.moderation.schemas import ReportCreate, ReportRead, ReviewRequest
from marketplace.moderation.screening import Flag
from marketplace.sellers import service as sellers_service


def _snapshot(product: Product) -> dict[str, Any]:
    return {
        "status": product.status.value,
        "title": product.title,
        "description": product.description,
        "takedown_reason": product.takedown_reason,
    }


async def approve_product(session: AsyncSession, admin: User, product_id: str) -> ProductAccess:
    """Make what waits public: a listing in review or taken down is published, a held edit and
    new photos are applied, an admin's archive is lifted (the seller may publish again)."""
    access = await resolve_product_access(session, admin, product_id, allow_slug=False)
    product = access.product
    if product.status is ProductStatus.DRAFT:
        raise NothingToApprove()
    before = _snapshot(product)
    items = await moderation_service.resolve(
        session, admin.id, ItemStatus.APPROVED, product_id=product.id
    )
    _apply_held_edits(product, items)
    await repository.approve_images(session, product.id)
    if product.status in (ProductStatus.IN_REVIEW, ProductStatus.REMOVED):
        product.status = ProductStatus.PUBLISHED
        product.published_at = product.published_at or utcnow()
    product.taken_down_at = None
    product.takedown_reason = None
    product.updated_at = utcnow()
    await session.flush()
    await _audit(session, admin, "product.approve", product, before)
    return access


def _apply_held_edits(product: Product, items: list[ModerationItem]) -> None:
    for item in items:
        if item.kind is ItemKind.EDIT and item.proposed:
            for field in CONTENT_FIELDS:
                if field in item.proposed:
                    setattr(product, field, item.proposed[field])


async def remove_product(
    session: AsyncSession, admin: User, product_id: str, reason: str
) -> ProductAccess:
    """Take a listing down with a reason the seller's members are e-mailed; held edits are
    dropped. Only an admin's approval brings it back."""
    access = await resolve_product_access(session, admin, product_id, allow_slug=False)
    product = access.product
    before = _snapshot(product)
    await moderation_service.resolve(session, admin.id, ItemStatus.REJECTED, product_id=product.id)
    product.status = ProductStatus.REMOVED
    product.taken_down_at = utcnow()
    product.takedown_reason = reason
    product.updated_at = utcnow()
    await session.flush()
    await _audit(session, admin, "product.remove", product, before, reason=reason)
    await _email_removal(session, access, reason)
    return access


async def _email_removal(session: AsyncSession, access: ProductAccess, reason: str) -> None:
    context = {
        "title": access.product.title,
        "seller_name": access.seller.name,
        "reason": reason,
        "product_id": str(access.product.id),
    }
    await sellers_service.email_members(session, access.seller, "product_removed", context)


async def request_review(
    session: AsyncSession, access: ProductAccess, data: ReviewRequest
) -> ModerationItem:
    """A member asks an admin to look at a taken-down listing again (one open request)."""
    product = access.product
    if product.taken_down_at is None and product.status is not ProductStatus.REMOVED:
        raise NotRemoved()
    for item in await moderation_service.open_items(session, product_id=product.id):
        if item.kind is ItemKind.APPEAL:
            return item
    reason = Flag(code="review_requested", detail=product.takedown_reason or "")
    return await moderation_service.flag(
        session, ItemKind.APPEAL, [reason], product_id=product.id, note=data.note or None
    )


async def report_product(
    session: AsyncSession, product_id: str, data: ReportCreate, address: str
) -> ReportRead:
    """Anyone may report a listing the public can see; it joins the queue (it stays public
    until an admin decides)."""
    access = await resolve_product_access(session, None, product_id, allow_slug=False)
    item = await moderation_service.flag(
        session,
        ItemKind.REPORT,
        [Flag(code=f"report_{data.reason.value}", detail=data.detail)],
        product_id=access.product.id,
        note=data.detail or None,
        reporter_address=address,
    )
    return ReportRead(
        id=item.id,
        product_id=access.product.id,
        reason=data.reason,
        status=item.status,
        created_at=item.created_at,
    )


async def product_moderation(
    session: AsyncSession, access: ProductAccess
) -> ProductModeration | None:
    """For members and admins: the held edit, why the listing waits, why it was taken down."""
    if access.role is None and not access.is_admin:
        return None
    items = await moderation_service.open_items(session, product_id=access.product.id)
    pending: dict[str, Any] | None = None
    for item in items:
        if item.kind is ItemKind.EDIT and item.proposed:
            pending = {**(pending or {}), **item.proposed}
    return ProductModeration(
        pending_changes=pending,
        reasons=[reason for item in items for reason in item.reasons],
        takedown_reason=access.product.takedown_reason,
    )


async def _audit(
    session: AsyncSession,
    admin: User,
    action: str,
    product: Product,
    before: dict[str, Any],
    *,
    reason: str | None = None,
) -> None:
    await audit_service.record_admin_action(
        session,
        actor_id=admin.id,
        action=action,
        target_type="product",
        target_id=product.id,
        before=before,
        after=_snapshot(product),
        reason=reason,
    )


async def reject_item(session: AsyncSession, admin: User, item: ModerationItem) -> None:
    """An admin turns down one item about a listing: a held edit is dropped, a report or an
    appeal dismissed, and a flagged listing goes back to draft (re-screened when published)."""
    if item.kind is not ItemKind.LISTING or item.product_id is None:
        return
    product = await repository.get_product(session, item.product_id, for_update=True)
    if product is not None and product.status is ProductStatus.IN_REVIEW:
        before = _snapshot(product)
        product.status = ProductStatus.DRAFT
        product.updated_at = utcnow()
        await session.flush()
        await _audit(session, admin, "product.reject", product, before, reason=item.note)
