"""When a listing's content may go public: screening, ``MARKETPLACE_LISTING_REVIEW`` and
featured products decide whether a publish or an edit shows at once or waits for an admin.
The product row always holds what the public sees; held edits wait in the review queue."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.catalog import repository
from marketplace.catalog.exceptions import HalalDeclarationMissing
from marketplace.catalog.models import Product, ProductStatus
from marketplace.config import ListingReview
from marketplace.core.errors import InvalidInput
from marketplace.core.i18n import gettext
from marketplace.moderation import service as moderation_service
from marketplace.moderation.models import ItemKind
from marketplace.moderation.screening import Flag, screen_listing

# The fields whose edits the public sees only once they are fit for it.
CONTENT_FIELDS = ("title", "description")


def screen_product(product: Product, content: dict[str, Any] | None = None) -> list[Flag]:
    values = {"title": product.title, "description": product.description, **(content or {})}
    return screen_listing(
        values["title"],
        values["description"],
        bpom_number=product.bpom_number,
        non_halal=product.non_halal,
    )


async def is_featured(session: AsyncSession, product_id: uuid.UUID) -> bool:
    # Imported here: the featured domain builds on the catalog, not the other way round.
    from marketplace.featured import service as featured_service  # noqa: PLC0415

    return await featured_service.is_featured(session, product_id)


async def edits_wait_for_admin(
    session: AsyncSession, product: Product, review: ListingReview
) -> bool:
    """A public listing's edits wait in ``pre`` mode and, always, while it is featured (the
    government site shows the version an admin approved)."""
    if product.status is not ProductStatus.PUBLISHED:
        return False
    return review is ListingReview.PRE or await is_featured(session, product.id)


async def apply_or_hold_content(
    session: AsyncSession, product: Product, content: dict[str, Any], review: ListingReview
) -> bool:
    """Apply a member's title/description edit, or hold it for an admin; True when held."""
    changed = {field: value for field, value in content.items() if getattr(product, field) != value}
    if not changed:
        return False
    if product.status is not ProductStatus.PUBLISHED:
        for field, value in changed.items():
            setattr(product, field, value)
        return False
    flags = screen_product(product, changed)
    if not flags and not await edits_wait_for_admin(session, product, review):
        for field, value in changed.items():
            setattr(product, field, value)
        return False
    current = {field: getattr(product, field) for field in CONTENT_FIELDS}
    await moderation_service.hold_changes(
        session,
        ItemKind.EDIT,
        current,
        changed,
        flags or [Flag(code="edit_of_reviewed_listing", detail=", ".join(sorted(changed)))],
        product_id=product.id,
    )
    return True


async def publication_status(
    session: AsyncSession, product: Product, review: ListingReview
) -> ProductStatus:
    """Published at once in ``post`` mode when screening finds nothing; otherwise in review,
    with the reasons queued."""
    flags = screen_product(product)
    if not flags and review is ListingReview.POST:
        return ProductStatus.PUBLISHED
    reasons = flags or [Flag(code="pre_review", detail="MARKETPLACE_LISTING_REVIEW=pre")]
    waiting = await moderation_service.held_changes(
        session, ItemKind.LISTING, product_id=product.id
    )
    if waiting is None:
        await moderation_service.flag(session, ItemKind.LISTING, reasons, product_id=product.id)
    return ProductStatus.IN_REVIEW


async def photo_needs_approval(
    session: AsyncSession, product: Product, review: ListingReview
) -> bool:
    """A photo added to a listing whose edits wait for an admin waits too."""
    if not await edits_wait_for_admin(session, product, review):
        return False
    current = {"photos": "approved"}
    await moderation_service.hold_changes(
        session,
        ItemKind.EDIT,
        current,
        {"photos": "new photo waiting"},
        [Flag(code="new_photo", detail="photo")],
        product_id=product.id,
    )
    return True


async def halal_required(session: AsyncSession, category_id: uuid.UUID) -> bool:
    """Food and beverage categories (or anything under them) need a halal declaration."""
    return await repository.category_requires_halal(session, category_id)


def check_halal_pair(halal_certificate: str | None, non_halal: bool) -> None:
    if halal_certificate and non_halal:
        message = gettext(
            "A product cannot both carry a halal certificate and be declared non-halal."
        )
        raise InvalidInput.for_field(
            ["body", "attributes", "non_halal"], message, "halal_contradiction"
        )


async def require_halal_declaration(
    session: AsyncSession, product: Product, *, on_create: bool
) -> None:
    """A halal certificate number or an explicit non-halal declaration, where the law wants it:
    422 on the field when creating, 409 when publishing an older listing without one."""
    check_halal_pair(product.halal_certificate, product.non_halal)
    if product.halal_certificate or product.non_halal:
        return
    if not await halal_required(session, product.category_id):
        return
    if on_create:
        message = gettext(
            "Food and beverages need a halal certificate number or an "
            "explicit non-halal declaration (non_halal), as halal "
            "certification is mandatory since 17 October 2026."
        )
        raise InvalidInput.for_field(
            ["body", "attributes", "halal_certificate"], message, "halal_declaration_missing"
        )
    raise HalalDeclarationMissing()
