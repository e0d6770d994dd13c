"""How catalog routes get at products, media storage and the response cache."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request

from marketplace.accounts.dependencies import OptionalUser
from marketplace.catalog.listings import ProductAccess, resolve_product_access
from marketplace.config import Settings
from marketplace.core.cache import ResponseCache, VersionMemo
from marketplace.db.session import DbSession, PublicReads, public_reads_of
from marketplace.media.storage import MediaStorage


async def get_product_by_id(
    session: DbSession, viewer: OptionalUser, product_id: Annotated[str, Path(max_length=100)]
) -> ProductAccess:
    return await resolve_product_access(session, viewer, product_id, allow_slug=False)


async def get_product_by_id_or_slug(
    session: DbSession, viewer: OptionalUser, id_or_slug: Annotated[str, Path(max_length=120)]
) -> ProductAccess:
    return await resolve_product_access(session, viewer, id_or_slug)


async def get_media_storage(request: Request) -> MediaStorage:
    storage: MediaStorage = request.app.state.gateways.media
    return storage


async def get_response_cache(request: Request) -> ResponseCache:
    cache: ResponseCache = request.app.state.response_cache
    return cache


ProductById = Annotated[ProductAccess, Depends(get_product_by_id)]
ProductByIdOrSlug = Annotated[ProductAccess, Depends(get_product_by_id_or_slug)]
Storage = Annotated[MediaStorage, Depends(get_media_storage)]
Cache = Annotated[ResponseCache, Depends(get_response_cache)]


async def get_version_memo(request: Request) -> VersionMemo:
    memo: VersionMemo = request.app.state.version_memo
    return memo


Versions = Annotated[VersionMemo, Depends(get_version_memo)]


@dataclass(frozen=True, slots=True)
class CatalogReadParts:
    """What the public read routes use of the app, taken in one dependency (each dependency
    FastAPI solves costs time on the hottest routes)."""

    settings: Settings
    storage: MediaStorage
    cache: ResponseCache
    versions: VersionMemo
    reads: PublicReads  # the route opens its own session: one statement or a transaction


async def get_catalog_read_parts(request: Request) -> CatalogReadParts:
    state = request.app.state
    return CatalogReadParts(
        settings=state.settings,
        storage=state.gateways.media,
        cache=state.response_cache,
        versions=state.version_memo,
        reads=public_reads_of(request),
    )


CatalogReads = Annotated[CatalogReadParts, Depends(get_catalog_read_parts)]
