"""Rules of reviews: only a buyer of a delivered seller-order reviews each of its products,
once; text is screened like listings; the seller replies once; admins hide with a reason. The
product's rating moves in the same transaction as the review, by one conditional UPDATE."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import User
from marketplace.audit import service as audit_service
from marketplace.catalog import service as catalog_service
from marketplace.catalog.exceptions import MediaStorageUnavailable
from marketplace.config import Settings
from marketplace.core.errors import Forbidden
from marketplace.core.pagination import CursorCodec, parse_time_and_id, split_page, time_and_id
from marketplace.core.schemas import Page
from marketplace.db.base import parse_id
from marketplace.db.session import after_rollback
from marketplace.media.images import process_image_async
from marketplace.media.storage import MediaStorage, StorageError, new_image_keys
from marketplace.moderation import service as moderation_service
from marketplace.moderation.models import ItemKind
from marketplace.moderation.screening import screen_words
from marketplace.orders import service as orders_service
from marketplace.reviews import repository
from marketplace.reviews.exceptions import (
    AlreadyReplied,
    ReviewExists,
    ReviewNotAllowed,
    ReviewNotFound,
    TooManyReviewPhotos,
)
from marketplace.reviews.models import Review, ReviewPhoto, ReviewStatus
from marketplace.reviews.schemas import (
    ReplyRead,
    ReviewCreate,
    ReviewPhotoRead,
    ReviewRead,
)
from marketplace.sellers import service as sellers_service

MAX_PHOTOS = 3
WEBP = "image/webp"


async def create_review(
    session: AsyncSession,
    viewer: User | None,
    order_token: str | None,
    product_id: uuid.UUID,
    data: ReviewCreate,
) -> Review:
    """403 unless the caller bought the product in that seller-order and it was delivered;
    409 when that seller-order's product was reviewed already."""
    part = await orders_service.delivered_part_for_buyer(
        session, viewer, data.seller_order_id, order_token
    )
    if part is None or product_id not in part.product_ids:
        raise ReviewNotAllowed()
    flags = screen_words(data.text)
    review = Review(
        product_id=product_id,
        seller_order_id=part.seller_order_id,
        seller_id=part.seller_id,
        author_user_id=viewer.id if viewer else part.buyer_user_id,
        author_name=_first_name(part.buyer_name),
        rating=data.rating,
        text=data.text,
        status=ReviewStatus.IN_REVIEW if flags else ReviewStatus.VISIBLE,
    )
    try:
        async with session.begin_nested():
            session.add(review)
            await session.flush()
    except IntegrityError as error:
        raise ReviewExists() from error
    if flags:
        await moderation_service.flag(session, ItemKind.REVIEW, flags, review_id=review.id)
    else:
        await catalog_service.add_rating(session, product_id, review.rating, 1)
    return review


def _first_name(full_name: str) -> str:
    """Reviews show the buyer's first name only."""
    return (full_name.split() or ["Pembeli"])[0][:120]


async def add_photo(
    session: AsyncSession,
    storage: MediaStorage,
    settings: Settings,
    viewer: User | None,
    order_token: str | None,
    review_id: str,
    raw: bytes,
) -> ReviewPhotoRead:
    """Up to three photos by the review's author, through the same pipeline as listings'."""
    review = await _review_of_author(session, viewer, order_token, review_id)
    if await repository.count_photos(session, review.id) >= MAX_PHOTOS:
        raise TooManyReviewPhotos(params={"limit": MAX_PHOTOS})
    processed = await process_image_async(
        raw, max_bytes=settings.max_upload_bytes, max_pixels=settings.max_image_pixels
    )
    await repository.get_review(session, review.id, for_update=True)  # uploads queue here
    count = await repository.count_photos(session, review.id)
    if count >= MAX_PHOTOS:
        raise TooManyReviewPhotos(params={"limit": MAX_PHOTOS})
    image_key, thumbnail_key = new_image_keys(review.product_id)

    async def remove_objects() -> None:
        for key in (image_key, thumbnail_key):
            try:
                await storage.delete(key)
            except StorageError:  # pragma: no cover - best effort after a failed request
                pass

    after_rollback(session, remove_objects)
    try:
        await storage.put(image_key, processed.data, WEBP)
        await storage.put(thumbnail_key, processed.thumbnail, WEBP)
    except StorageError as error:
        raise MediaStorageUnavailable() from error
    photo = ReviewPhoto(
        review_id=review.id,
        position=count,
        storage_key=image_key,
        thumbnail_key=thumbnail_key,
        width=processed.width,
        height=processed.height,
    )
    session.add(photo)
    await session.flush()
    return _photo_read(photo, storage)


async def _review_of_author(
    session: AsyncSession, viewer: User | None, order_token: str | None, review_id: str
) -> Review:
    parsed = parse_id(review_id)
    review = await repository.get_review(session, parsed) if parsed else None
    if review is None:
        raise ReviewNotFound()
    part = await orders_service.delivered_part_for_buyer(
        session, viewer, review.seller_order_id, order_token
    )
    if part is None:
        raise ReviewNotFound()
    return review


async def reply(session: AsyncSession, viewer: User, review_id: str, text: str) -> Review:
    """The seller's one public reply (owner or staff); 409 on a second."""
    parsed = parse_id(review_id)
    review = await repository.get_review(session, parsed) if parsed else None
    if review is None or review.status is not ReviewStatus.VISIBLE:
        raise ReviewNotFound()
    role = await sellers_service.get_member_role(session, review.seller_id, viewer.id)
    if role is None:
        raise Forbidden()
    if not await repository.set_reply(session, review.id, text):
        raise AlreadyReplied()
    await session.refresh(review)
    return review


async def hide(session: AsyncSession, admin: User, review_id: str, reason: str) -> Review:
    """Hidden with a reason; a visible review leaves the product's rating."""
    parsed = parse_id(review_id)
    review = await repository.get_review(session, parsed, for_update=True) if parsed else None
    if review is None:
        raise ReviewNotFound()
    await _hide(session, admin, review, reason)
    return review


async def _hide(session: AsyncSession, admin: User, review: Review, reason: str) -> None:
    if review.status is ReviewStatus.VISIBLE:
        await catalog_service.add_rating(session, review.product_id, -review.rating, -1)
    before = {"status": review.status.value}
    review.status = ReviewStatus.HIDDEN
    review.hidden_reason = reason
    await session.flush()
    await audit_service.record_admin_action(
        session,
        actor_id=admin.id,
        action="review.hide",
        target_type="review",
        target_id=review.id,
        before=before,
        after={"status": review.status.value},
        reason=reason,
    )


async def apply_review_decision(
    session: AsyncSession, admin: User, review_id: uuid.UUID, *, approve: bool, note: str | None
) -> None:
    """A flagged review: approved, it shows and counts; rejected, it is hidden."""
    review = await repository.get_review(session, review_id, for_update=True)
    if review is None or review.status is not ReviewStatus.IN_REVIEW:
        return
    if not approve:
        await _hide(session, admin, review, note or "rejected by moderation")
        return
    review.status = ReviewStatus.VISIBLE
    await session.flush()
    await catalog_service.add_rating(session, review.product_id, review.rating, 1)


async def list_reviews(
    session: AsyncSession,
    storage: MediaStorage,
    codec: CursorCodec,
    product_id: uuid.UUID,
    *,
    limit: int,
    cursor: str | None,
) -> Page[ReviewRead]:
    """Visible reviews of a product, newest first; photos of the page in one query."""
    after = codec.decode_as(cursor, parse_time_and_id) if cursor else None
    reviews = await repository.list_visible(session, product_id, after, limit + 1)
    page, next_cursor = split_page(
        reviews, limit, codec, lambda review: time_and_id(review.created_at, review.id)
    )
    photos = await repository.photos_of(session, [review.id for review in page])
    return Page(items=review_reads(page, photos, storage), next_cursor=next_cursor)


def review_reads(
    reviews: Sequence[Review], photos: Sequence[ReviewPhoto], storage: MediaStorage
) -> list[ReviewRead]:
    by_review: dict[uuid.UUID, list[ReviewPhotoRead]] = {}
    for photo in photos:
        by_review.setdefault(photo.review_id, []).append(_photo_read(photo, storage))
    return [review_read(review, by_review.get(review.id, [])) for review in reviews]


async def read_one(session: AsyncSession, storage: MediaStorage, review: Review) -> ReviewRead:
    photos = await repository.photos_of(session, [review.id])
    return review_reads([review], photos, storage)[0]


def review_read(review: Review, photos: list[ReviewPhotoRead]) -> ReviewRead:
    reply_read = None
    if review.reply_text is not None and review.replied_at is not None:
        reply_read = ReplyRead(text=review.reply_text, replied_at=review.replied_at)
    return ReviewRead(
        id=review.id,
        product_id=review.product_id,
        seller_order_id=review.seller_order_id,
        rating=review.rating,
        text=review.text,
        author_name=review.author_name,
        status=review.status,
        photos=photos,
        reply=reply_read,
        created_at=review.created_at,
    )


def _photo_read(photo: ReviewPhoto, storage: MediaStorage) -> ReviewPhotoRead:
    return ReviewPhotoRead(
        id=photo.id,
        url=storage.public_url(photo.storage_key),
        thumbnail_url=storage.public_url(photo.thumbnail_key),
        width=photo.width,
        height=photo.height,
    )
