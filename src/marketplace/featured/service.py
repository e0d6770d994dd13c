"""Rules of the featured list: admins curate entries; the public sees the entries whose window
holds now and whose product is published by a verified seller, by position."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import User
from marketplace.audit import service as audit_service
from marketplace.catalog import service as catalog_service
from marketplace.catalog.browsing import category_with_descendants, summary_from_row
from marketplace.catalog.exceptions import ProductNotFound
from marketplace.catalog.listings import resolve_product_access
from marketplace.catalog.models import ProductStatus
from marketplace.catalog.schemas import ProductSummary
from marketplace.config import Settings
from marketplace.core.errors import InvalidInput
from marketplace.core.formatting import format_wib
from marketplace.core.i18n import N_, current_language, gettext
from marketplace.core.pagination import CursorCodec, split_page
from marketplace.core.schemas import Page
from marketplace.db.base import parse_id, utcnow
from marketplace.featured import repository
from marketplace.featured.exceptions import FeaturedEntryNotFound, ProductAlreadyFeatured
from marketplace.featured.links import product_link
from marketplace.featured.models import FeaturedEntry
from marketplace.featured.repository import CardFilters
from marketplace.featured.schemas import (
    FeaturedEntryCreate,
    FeaturedEntryRead,
    FeaturedEntryUpdate,
    FeaturedProduct,
    FeaturedProductRef,
    FeaturedSellerRef,
    FeaturedState,
    HiddenReason,
)
from marketplace.media.storage import MediaStorage
from marketplace.sellers.models import SellerStatus

POSITION_STEP = 10
_HIDDEN_BY_PRODUCT = {
    ProductStatus.DRAFT: HiddenReason.PRODUCT_DRAFT,
    ProductStatus.ARCHIVED: HiddenReason.PRODUCT_ARCHIVED,
    ProductStatus.IN_REVIEW: HiddenReason.PRODUCT_IN_REVIEW,
    ProductStatus.REMOVED: HiddenReason.PRODUCT_REMOVED,
}
_HIDDEN_BY_SELLER = {
    SellerStatus.PENDING: HiddenReason.SELLER_PENDING,
    SellerStatus.REJECTED: HiddenReason.SELLER_REJECTED,
    SellerStatus.SUSPENDED: HiddenReason.SELLER_SUSPENDED,
}


# --- curation (admins) -------------------------------------------------------------------


async def create_entry(
    session: AsyncSession, admin: User, data: FeaturedEntryCreate
) -> FeaturedEntryRead:
    """Feature a product (any status: an entry for a draft waits, hidden, until it is
    published). An unknown product is a 422 on ``product_id``; a featured one a 409."""
    await _require_product(session, admin, data.product_id)
    starts_at, ends_at = _utc(data.starts_at), _utc(data.ends_at)
    _check_window(starts_at, ends_at)
    position = data.position
    if position is None:
        last = await repository.last_position(session)
        position = POSITION_STEP if last is None else last + POSITION_STEP
    entry = FeaturedEntry(
        product_id=data.product_id,
        position=position,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=admin.id,
    )
    try:
        async with session.begin_nested():
            session.add(entry)
            await session.flush()
    except IntegrityError as error:  # the unique product_id: featured already
        raise ProductAlreadyFeatured() from error
    await _audit(session, admin, "featured.create", entry, after=_snapshot(entry))
    return await _read(session, entry.id)


async def update_entry(
    session: AsyncSession, admin: User, entry_id: str, data: FeaturedEntryUpdate
) -> FeaturedEntryRead:
    """Move an entry or change its window; only the fields sent change."""
    entry = await _require_entry(session, entry_id)
    before = _snapshot(entry)
    sent = data.model_fields_set
    if "position" in sent and data.position is not None:
        entry.position = data.position
    if "starts_at" in sent:
        entry.starts_at = _utc(data.starts_at)
    if "ends_at" in sent:
        entry.ends_at = _utc(data.ends_at)
    _check_window(entry.starts_at, entry.ends_at)
    await session.flush()
    after = _snapshot(entry)
    if after != before:
        await _audit(session, admin, "featured.update", entry, before=before, after=after)
    return await _read(session, entry.id)


async def delete_entry(session: AsyncSession, admin: User, entry_id: str) -> None:
    entry = await _require_entry(session, entry_id)
    before = _snapshot(entry)
    await session.delete(entry)
    await session.flush()
    await _audit(session, admin, "featured.delete", entry, before=before)


async def list_entries(
    session: AsyncSession, codec: CursorCodec, *, limit: int, cursor: str | None
) -> Page[FeaturedEntryRead]:
    """Every entry, whatever its state, by position."""
    after = codec.decode_as(cursor, parse_position_and_id) if cursor else None
    rows = await repository.list_entries(session, after=after, limit=limit + 1)
    now = utcnow()
    page, next_cursor = split_page(rows, limit, codec, _entry_cursor)
    return Page(items=[_entry_read(row, now) for row in page], next_cursor=next_cursor)


def _entry_cursor(row: RowMapping) -> list[Any]:
    entry: FeaturedEntry = row["FeaturedEntry"]
    return [entry.position, str(entry.id)]


async def _require_product(session: AsyncSession, admin: User, product_id: uuid.UUID) -> None:
    try:
        await resolve_product_access(session, admin, str(product_id), allow_slug=False)
    except ProductNotFound as error:
        message = gettext("Product '%(product_id)s' is unknown.", product_id=product_id)
        raise InvalidInput.for_field(["body", "product_id"], message, "unknown_product") from error


async def _require_entry(session: AsyncSession, entry_id: str) -> FeaturedEntry:
    parsed = parse_id(entry_id)
    entry = await repository.get_entry(session, parsed, for_update=True) if parsed else None
    if entry is None:
        raise FeaturedEntryNotFound()
    return entry


def _check_window(starts_at: datetime | None, ends_at: datetime | None) -> None:
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        message = gettext("ends_at must be after starts_at.")
        raise InvalidInput.for_field(["body", "ends_at"], message, "window_inverted")


def _utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC) if moment is not None else None


def _snapshot(entry: FeaturedEntry) -> dict[str, Any]:
    return {
        "product_id": str(entry.product_id),
        "position": entry.position,
        "starts_at": entry.starts_at.isoformat() if entry.starts_at else None,
        "ends_at": entry.ends_at.isoformat() if entry.ends_at else None,
    }


async def _audit(
    session: AsyncSession,
    admin: User,
    action: str,
    entry: FeaturedEntry,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    await audit_service.record_admin_action(
        session,
        actor_id=admin.id,
        action=action,
        target_type="featured_entry",
        target_id=entry.id,
        before=before,
        after=after,
    )


async def _read(session: AsyncSession, entry_id: uuid.UUID) -> FeaturedEntryRead:
    row = await repository.get_entry_row(session, entry_id)
    if row is None:  # pragma: no cover - written in this transaction a moment ago
        raise FeaturedEntryNotFound()
    return _entry_read(row, utcnow())


def parse_position_and_id(values: list[Any]) -> tuple[int, uuid.UUID]:
    position, entry_id = values
    if not isinstance(position, int):
        raise TypeError("position expected")
    return position, uuid.UUID(entry_id)


async def is_featured(session: AsyncSession, product_id: uuid.UUID) -> bool:
    """Featured now or later: its public version is the one an admin approved."""
    return await repository.product_is_featured(session, product_id, utcnow())


# --- states ------------------------------------------------------------------------------


def entry_state(
    entry: FeaturedEntry, product: ProductStatus, seller: SellerStatus, now: datetime
) -> tuple[FeaturedState, HiddenReason | None]:
    """Expired first (it will never show again), then hidden (with why: it would not show even
    inside its window), then scheduled, else active."""
    if entry.ends_at is not None and entry.ends_at <= now:
        return FeaturedState.EXPIRED, None
    reason = _HIDDEN_BY_PRODUCT.get(product) or _HIDDEN_BY_SELLER.get(seller)
    if reason is not None:
        return FeaturedState.HIDDEN, reason
    if entry.starts_at is not None and entry.starts_at > now:
        return FeaturedState.SCHEDULED, None
    return FeaturedState.ACTIVE, None


_HIDDEN_REASONS = {
    HiddenReason.PRODUCT_ARCHIVED: N_("the product is archived"),
    HiddenReason.PRODUCT_DRAFT: N_("the product is a draft"),
    HiddenReason.PRODUCT_IN_REVIEW: N_("the product waits for an admin's review"),
    HiddenReason.PRODUCT_REMOVED: N_("an admin took the product down"),
    HiddenReason.SELLER_PENDING: N_("the seller is not verified yet"),
    HiddenReason.SELLER_REJECTED: N_("the seller was rejected"),
    HiddenReason.SELLER_SUSPENDED: N_("the seller is suspended"),
}


def _state_text(entry: FeaturedEntry, state: FeaturedState, reason: HiddenReason | None) -> str:
    """The state in the request's language, times in WIB."""
    language = current_language.get()
    if state is FeaturedState.HIDDEN and reason is not None:
        return gettext("Hidden: %(reason)s", reason=gettext(_HIDDEN_REASONS[reason]))
    if state is FeaturedState.SCHEDULED and entry.starts_at is not None:
        return gettext(
            "Scheduled from %(starts_at)s", starts_at=format_wib(entry.starts_at, language)
        )
    if state is FeaturedState.EXPIRED and entry.ends_at is not None:
        return gettext("Ended %(ends_at)s", ends_at=format_wib(entry.ends_at, language))
    if entry.ends_at is not None:
        return gettext("Showing until %(ends_at)s", ends_at=format_wib(entry.ends_at, language))
    return gettext("Showing now")


def _entry_read(row: RowMapping, now: datetime) -> FeaturedEntryRead:
    entry: FeaturedEntry = row["FeaturedEntry"]
    state, reason = entry_state(entry, row["product_status"], row["seller_status"], now)
    return FeaturedEntryRead(
        id=entry.id,
        product_id=entry.product_id,
        position=entry.position,
        starts_at=entry.starts_at,
        ends_at=entry.ends_at,
        state=state,
        hidden_reason=reason,
        state_text=_state_text(entry, state, reason),
        product=FeaturedProductRef(
            id=entry.product_id,
            slug=row["product_slug"],
            title=row["product_title"],
            status=row["product_status"],
        ),
        seller=FeaturedSellerRef(
            id=row["seller_id"],
            slug=row["seller_slug"],
            name=row["seller_name"],
            status=row["seller_status"],
        ),
        created_by=entry.created_by,
        created_at=entry.created_at,
        updated_at=entry.updated_at,
    )


# --- what the public sees ----------------------------------------------------------------


@dataclass(frozen=True)
class FeaturedQuery:
    region: str | None = None
    category: str | None = None
    limit: int = 20
    cursor: str | None = None


@dataclass(frozen=True)
class Thumbnail:
    url: str
    width: int
    height: int


@dataclass(frozen=True)
class ProductCard:
    """What a featured card or a product embed shows."""

    product: ProductSummary
    link: str
    thumbnail: Thumbnail | None
    region_name: str
    non_halal: bool = False


async def list_featured(
    session: AsyncSession, storage: MediaStorage, codec: CursorCodec, query: FeaturedQuery
) -> Page[FeaturedProduct]:
    after = codec.decode_as(query.cursor, parse_position_and_id) if query.cursor else None
    rows = await _active_rows(session, query, utcnow(), after, query.limit + 1)
    page, next_cursor = split_page(
        rows, query.limit, codec, lambda row: [row["position"], str(row["entry_id"])]
    )
    items = [
        FeaturedProduct(**summary_from_row(row, storage).model_dump(), position=row["position"])
        for row in page
    ]
    return Page(items=items, next_cursor=next_cursor)


async def featured_cards(
    session: AsyncSession,
    storage: MediaStorage,
    settings: Settings,
    query: FeaturedQuery,
    now: datetime,
) -> list[ProductCard]:
    rows = await _active_rows(session, query, now, None, query.limit)
    return [_card(row, storage, settings) for row in rows]


async def product_card(
    session: AsyncSession, storage: MediaStorage, settings: Settings, id_or_slug: str
) -> ProductCard | None:
    """Any product the public may see, featured or not; None for the rest."""
    if "\x00" in id_or_slug:  # PostgreSQL text cannot hold NUL
        return None
    product_id = parse_id(id_or_slug)
    row = await repository.get_public_card(session, product_id, None if product_id else id_or_slug)
    return _card(row, storage, settings) if row is not None else None


async def featured_version(session: AsyncSession, now: datetime) -> str:
    """Changes with anything a featured page shows: the catalog (products, prices, stock,
    sellers), the entries, and ``now`` crossing an entry's start or end."""
    catalog = await catalog_service.catalog_version(session)
    return f"{catalog}#{await repository.featured_version(session, now)}"


async def _active_rows(
    session: AsyncSession,
    query: FeaturedQuery,
    now: datetime,
    after: tuple[int, uuid.UUID] | None,
    limit: int,
) -> list[RowMapping]:
    if query.region is not None and "\x00" in query.region:
        return []  # PostgreSQL text cannot hold NUL, so no region has one
    filters = CardFilters(
        region_code=query.region,
        category_ids=await category_with_descendants(session, query.category)
        if query.category
        else None,
    )
    return await repository.list_active_cards(
        session, now=now, filters=filters, after=after, limit=limit
    )


def _card(row: RowMapping, storage: MediaStorage, settings: Settings) -> ProductCard:
    thumbnail = None
    if row["thumbnail_key"]:
        thumbnail = Thumbnail(
            url=storage.public_url(row["thumbnail_key"]),
            width=row["thumbnail_width"],
            height=row["thumbnail_height"],
        )
    return ProductCard(
        product=summary_from_row(row, storage),
        link=product_link(settings, row["slug"], row["id"]),
        thumbnail=thumbnail,
        region_name=row["region_name"],
        non_halal=bool(row["non_halal"]),
    )
