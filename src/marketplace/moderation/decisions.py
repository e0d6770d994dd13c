"""An admin's decision on one queue item, carried out by the domain the item is about."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import User
from marketplace.catalog import takedowns
from marketplace.db.base import utcnow
from marketplace.moderation import service as moderation_service
from marketplace.moderation.exceptions import ItemAlreadyResolved
from marketplace.moderation.models import ItemKind, ItemStatus, ModerationItem
from marketplace.moderation.schemas import ItemDecision, ModerationItemRead
from marketplace.reviews import service as reviews_service
from marketplace.sellers import service as sellers_service


async def decide(
    session: AsyncSession, admin: User, item_id: str, decision: ItemDecision
) -> ModerationItemRead:
    """``approve``: what the item holds back goes public (a listing and all its items, a
    seller's name, a review). ``reject``: the item closes and what it held back is dropped
    (a flagged listing goes back to draft for its seller to fix; a flagged review is hidden)."""
    item = await moderation_service.require_item(session, item_id)
    if item.status is not ItemStatus.OPEN:
        raise ItemAlreadyResolved()
    approve = decision.action == "approve"
    if item.product_id is not None and approve:
        await takedowns.approve_product(session, admin, str(item.product_id))
    elif item.product_id is not None:
        await takedowns.reject_item(session, admin, item)
    elif item.kind is ItemKind.SELLER_PROFILE:
        await sellers_service.apply_profile_decision(session, admin, item, approve=approve)
    elif item.kind is ItemKind.REVIEW and item.review_id is not None:
        await reviews_service.apply_review_decision(
            session, admin, item.review_id, approve=approve, note=decision.note
        )
    _close(item, admin, ItemStatus.APPROVED if approve else ItemStatus.REJECTED, decision.note)
    await session.flush()
    return moderation_service.item_read(item)


def _close(item: ModerationItem, admin: User, status: ItemStatus, note: str | None) -> None:
    if item.status is ItemStatus.OPEN:
        item.status = status
        item.resolved_by = admin.id
        item.resolved_at = utcnow()
    if note:
        item.note = note
    item.updated_at = utcnow()
