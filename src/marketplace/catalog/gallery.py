"""Product photos: validated and re-encoded, stored, ordered, deletable. A failed upload
leaves neither a row nor an object behind."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.catalog import repository, review_rules
from marketplace.catalog.exceptions import ImageNotFound, MediaStorageUnavailable, TooManyImages
from marketplace.catalog.models import Product, ProductImage
from marketplace.catalog.schemas import ImageRead
from marketplace.config import Settings
from marketplace.db.base import parse_id, utcnow
from marketplace.db.session import after_commit, after_rollback
from marketplace.media.images import process_image_async
from marketplace.media.storage import MediaStorage, StorageError, new_image_keys

logger = logging.getLogger("marketplace.media")

MAX_IMAGES_PER_PRODUCT = 10
WEBP = "image/webp"


async def add_image(
    session: AsyncSession,
    storage: MediaStorage,
    settings: Settings,
    product: Product,
    raw: bytes,
) -> ImageRead:
    await _next_free_position(session, product)  # refuse early, before the costly decoding
    processed = await process_image_async(
        raw, max_bytes=settings.max_upload_bytes, max_pixels=settings.max_image_pixels
    )
    # Uploads to one product queue on its row from here, so two at once cannot both take the
    # tenth place (or the same position).
    await repository.get_product(session, product.id, for_update=True)
    next_position = await _next_free_position(session, product)
    image_key, thumbnail_key = new_image_keys(product.id)

    async def remove_objects() -> None:
        await _delete_quietly(storage, (image_key, thumbnail_key))

    # Registered before the first put: whatever fails from here on, the objects go too.
    after_rollback(session, remove_objects)
    try:
        await storage.put(image_key, processed.data, WEBP)
        await storage.put(thumbnail_key, processed.thumbnail, WEBP)
    except StorageError as error:
        raise MediaStorageUnavailable() from error
    waits = await review_rules.photo_needs_approval(session, product, settings.listing_review)
    image = ProductImage(
        approved=not waits,
        product_id=product.id,
        position=next_position,
        storage_key=image_key,
        thumbnail_key=thumbnail_key,
        width=processed.width,
        height=processed.height,
        thumbnail_width=processed.thumbnail_width,
        thumbnail_height=processed.thumbnail_height,
    )
    session.add(image)
    product.updated_at = utcnow()
    await session.flush()
    return image_read(image, storage)


async def _next_free_position(session: AsyncSession, product: Product) -> int:
    count, next_position = await repository.count_images(session, product.id)
    if count >= MAX_IMAGES_PER_PRODUCT:
        raise TooManyImages(params={"limit": MAX_IMAGES_PER_PRODUCT})
    return next_position


def image_read(image: ProductImage, storage: MediaStorage) -> ImageRead:
    return ImageRead(
        id=image.id,
        url=storage.public_url(image.storage_key),
        thumbnail_url=storage.public_url(image.thumbnail_key),
        width=image.width,
        height=image.height,
        position=image.position,
    )


async def delete_image(
    session: AsyncSession, storage: MediaStorage, product: Product, image_id: str
) -> None:
    """Delete the row now; the objects go once that has committed (a rollback keeps both)."""
    parsed = parse_id(image_id)
    image = await repository.get_image(session, product.id, parsed) if parsed else None
    if image is None:
        raise ImageNotFound()
    keys = (image.storage_key, image.thumbnail_key)
    await session.delete(image)
    product.updated_at = utcnow()
    await session.flush()

    async def remove_objects() -> None:
        await _delete_quietly(storage, keys)

    after_commit(session, remove_objects)


async def _delete_quietly(storage: MediaStorage, keys: tuple[str, ...]) -> None:
    """Each key on its own: one failed delete must not leave the other object behind."""
    for key in keys:
        try:
            await storage.delete(key)
        except StorageError:
            logger.exception("could not delete media object %s", key)
