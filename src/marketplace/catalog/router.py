"""Catalog routes: regions, categories, products, variants, images."""

from __future__ import annotations

from functools import lru_cache, partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Path, Query, Request, Response, UploadFile, status
from pydantic import BaseModel, Field

from marketplace.accounts.dependencies import (
    AdminUser,
    BearerToken,
    CurrentUser,
    get_optional_user,
)
from marketplace.audit import service as audit_service
from marketplace.catalog import browsing, csv_transfer, gallery, listings, product_export, service
from marketplace.catalog.browsing import ProductQuery
from marketplace.catalog.csv_format import CsvSeparator
from marketplace.catalog.dependencies import (
    CatalogReads,
    ProductById,
    Storage,
)
from marketplace.catalog.listings import resolve_product_access
from marketplace.catalog.models import ProductStatus
from marketplace.catalog.product_queries import ProductSort
from marketplace.catalog.schemas import (
    BulkUpdateResult,
    BulkVariantUpdate,
    CategoryCreate,
    CategoryRead,
    ImageRead,
    ProductCreate,
    ProductDetail,
    ProductListing,
    ProductSummary,
    ProductUpdate,
    RegionRead,
    VariantCreate,
    VariantRead,
    VariantUpdate,
)
from marketplace.catalog.spreadsheet import XLSX_MEDIA_TYPE
from marketplace.config import Settings
from marketplace.core.cached_replies import CachedReply, cached_page_response, remember_reply
from marketplace.core.dependencies import AppSettings, cursor_codec
from marketplace.core.errors import problem_responses
from marketplace.core.http_caching import RenderedPage
from marketplace.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, CursorCodec
from marketplace.core.schemas import Page
from marketplace.db.session import DbSession
from marketplace.sellers.dependencies import SellerById
from marketplace.sellers.models import MemberRole

router = APIRouter(tags=["catalog"])


@router.get("/regions", response_model=list[RegionRead])
async def list_regions(session: DbSession) -> list[RegionRead]:
    """The regencies and cities of Kepulauan Bangka Belitung, by Kemendagri code."""
    return [RegionRead.model_validate(region) for region in await service.list_regions(session)]


@router.get("/categories", response_model=list[CategoryRead])
async def list_categories(session: DbSession) -> list[CategoryRead]:
    """The category tree, flat: each category names its parent's slug."""
    return await service.list_categories(session)


@router.post(
    "/admin/categories",
    status_code=status.HTTP_201_CREATED,
    response_model=CategoryRead,
    responses=problem_responses(401, 403, 409, 422),
    tags=["admin"],
)
async def create_category(
    body: CategoryCreate, admin: AdminUser, session: DbSession
) -> CategoryRead:
    category = await service.create_category(session, body)
    await audit_service.record_admin_action(
        session,
        actor_id=admin.id,
        action="category.create",
        target_type="category",
        target_id=category.slug,
        after=category.model_dump(),
    )
    return category


SellerProductsCursor = Annotated[CursorCodec, Depends(cursor_codec("seller-products"))]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
CursorParam = Annotated[str | None, Query(max_length=500)]
MEMBER_ROLES = (MemberRole.OWNER, MemberRole.STAFF)


class ProductListParams(BaseModel):
    """The public list's query string as one model: FastAPI checks and validates separate
    parameters one by one on every request, a fifth of an uncached first page's CPU."""

    q: Annotated[str | None, Field(max_length=100)] = None
    category: Annotated[str | None, Field(max_length=80)] = None
    region: Annotated[str | None, Field(max_length=13)] = None
    seller: Annotated[str | None, Field(max_length=100)] = None
    min_price: Annotated[int | None, Field(ge=0, le=1_000_000_000)] = None
    max_price: Annotated[int | None, Field(ge=0, le=1_000_000_000)] = None
    sort: ProductSort | None = None
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE
    cursor: Annotated[str | None, Field(max_length=500)] = None


def _products_codec(settings: Settings, sort: ProductSort) -> CursorCodec:
    return _codec_for(settings.secret_key.get_secret_value(), sort)


@lru_cache(maxsize=32)
def _codec_for(secret: str, sort: ProductSort) -> CursorCodec:
    return CursorCodec(secret, purpose=f"products:{sort}")  # derives its key: once per sort


@router.get(
    "/products",
    response_model=Page[ProductSummary],
    responses={**problem_responses(422), 304: {"description": "Not modified"}},
)
async def list_products(
    request: Request, parts: CatalogReads, params: Annotated[ProductListParams, Query()]
) -> Response:
    """Published products of verified sellers. ``sort`` defaults to relevance when searching
    with ``q`` and to newest otherwise; ``category`` includes its subcategories."""
    query = ProductQuery(
        q=browsing.search_text(params.q),
        category=params.category,
        region=params.region,
        seller=params.seller,
        min_price=params.min_price,
        max_price=params.max_price,
        sort=params.sort,
        limit=params.limit,
        cursor=params.cursor,
    )
    codec = _products_codec(parts.settings, query.effective_sort)
    cache_name = browsing.list_cache_name(query)
    page = await browsing.list_public_products_cached(
        parts.reads, codec, parts.storage, parts.cache, parts.versions, query, cache_name
    )
    return _public_json(request, page, cache_name)


PUBLIC_JSON_HEADERS = {"Cache-Control": "public, max-age=30"}


def _public_json(request: Request, page: RenderedPage, cache_name: str) -> Response:
    """The cached page; the next identical request is answered before routing."""
    reply = CachedReply(
        version_name="catalog",
        key_for=partial(browsing.catalog_cache_key, cache_name),
        page_from=browsing.catalog_page,
        media_type="application/json",
        headers=tuple(PUBLIC_JSON_HEADERS.items()),
        route=request.scope.get("route"),
    )
    remember_reply(request, reply)
    return cached_page_response(request, page, PUBLIC_JSON_HEADERS, reply.media_type)


@router.get(
    "/products/{id_or_slug}",
    response_model=ProductDetail,
    responses={**problem_responses(404), 304: {"description": "Not modified"}},
)
async def read_product(
    request: Request,
    parts: CatalogReads,
    token: BearerToken,
    id_or_slug: Annotated[str, Path(max_length=120)],
) -> Any:
    """Drafts and archived products only to the seller's members and admins. Without a
    token the answer is the public one, the same for everybody, so it is cached and tagged."""
    if token is None:
        page = await browsing.public_product_detail_cached(
            parts.reads, parts.storage, parts.cache, parts.versions, id_or_slug
        )
        return _public_json(request, page, browsing.detail_cache_name(id_or_slug))
    async with parts.reads(one_statement=False) as session:
        viewer = await get_optional_user(session, parts.settings, token)
        access = await resolve_product_access(session, viewer, id_or_slug)
        return await browsing.product_detail(session, parts.storage, access)


@router.post(
    "/sellers/{seller_id}/products",
    status_code=status.HTTP_201_CREATED,
    response_model=ProductDetail,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def create_product(
    body: ProductCreate,
    user: CurrentUser,
    seller_access: SellerById,
    session: DbSession,
    storage: Storage,
) -> ProductDetail:
    seller = seller_access.require(*MEMBER_ROLES)
    product = await listings.create_product(session, seller, body)
    access = listings.ProductAccess(
        product=product, seller=seller, role=seller_access.role, is_admin=user.is_admin
    )
    return await browsing.product_detail(session, storage, access)


@router.get(
    "/sellers/{seller_id}/products",
    response_model=Page[ProductListing],
    responses=problem_responses(401, 403, 404, 422),
)
async def list_seller_products(
    user: CurrentUser,
    seller_access: SellerById,
    session: DbSession,
    storage: Storage,
    codec: SellerProductsCursor,
    status_filter: Annotated[ProductStatus | None, Query(alias="status")] = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: CursorParam = None,
) -> Page[ProductListing]:
    """All of the seller's products, any status, newest first."""
    seller = seller_access.require(*MEMBER_ROLES, admin=True)
    return await browsing.list_seller_products(
        session, codec, storage, seller.id, status=status_filter, limit=limit, cursor=cursor
    )


@router.patch(
    "/products/{product_id}",
    response_model=ProductDetail,
    responses=problem_responses(401, 403, 404, 422),
)
async def update_product(
    body: ProductUpdate,
    user: CurrentUser,
    access: ProductById,
    session: DbSession,
    storage: Storage,
    settings: AppSettings,
) -> ProductDetail:
    """A member's edit of a published listing's title or description shows at once only with
    ``MARKETPLACE_LISTING_REVIEW=post``, when screening passes and the listing is not featured;
    otherwise it waits for an admin (``moderation.pending_changes``)."""
    access.require_member(admin=True)
    await listings.update_product(session, access, user, body, settings.listing_review)
    return await browsing.product_detail(session, storage, access)


@router.post(
    "/products/{product_id}/variants",
    status_code=status.HTTP_201_CREATED,
    response_model=ProductDetail,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def add_variant(
    body: VariantCreate,
    user: CurrentUser,
    access: ProductById,
    session: DbSession,
    storage: Storage,
) -> ProductDetail:
    """One more variant on an existing product, under the creation rules (unique SKU, at most
    50 variants); it applies at once, like a variant edit. Answers with the whole product."""
    access.require_member()
    await listings.add_variant(session, access, body)
    return await browsing.product_detail(session, storage, access)


@router.patch(
    "/products/{product_id}/variants/{variant_id}",
    response_model=VariantRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def update_variant(
    body: VariantUpdate,
    variant_id: Annotated[str, Path(max_length=100)],
    user: CurrentUser,
    access: ProductById,
    session: DbSession,
) -> VariantRead:
    """``stock`` sets what can be ordered from now on (orders already placed keep theirs)."""
    access.require_member()
    variant = await listings.update_variant(session, access, variant_id, body)
    return VariantRead.model_validate(variant, from_attributes=True)


@router.post(
    "/products/{product_id}/publish",
    response_model=ProductDetail,
    responses=problem_responses(401, 403, 404, 409),
)
async def publish_product(
    user: CurrentUser,
    access: ProductById,
    session: DbSession,
    storage: Storage,
    settings: AppSettings,
) -> ProductDetail:
    """``published``, or ``in_review`` when screening flags it or listings are reviewed first;
    409 when the seller is not verified or an admin took the listing down."""
    access.require_member()
    await listings.publish_product(session, access, settings.listing_review)
    return await browsing.product_detail(session, storage, access)


@router.post(
    "/products/{product_id}/archive",
    response_model=ProductDetail,
    responses=problem_responses(401, 403, 404, 409),
)
async def archive_product(
    user: CurrentUser, access: ProductById, session: DbSession, storage: Storage
) -> ProductDetail:
    access.require_member(admin=True)
    await listings.archive_product(session, access, user)
    return await browsing.product_detail(session, storage, access)


@router.post(
    "/products/{product_id}/images",
    status_code=status.HTTP_201_CREATED,
    response_model=ImageRead,
    responses=problem_responses(401, 403, 404, 409, 413, 415, 422),
)
async def upload_image(
    file: Annotated[UploadFile, File(description="JPEG, PNG or WebP, at most 10 MB")],
    user: CurrentUser,
    access: ProductById,
    session: DbSession,
    settings: AppSettings,
    storage: Storage,
) -> ImageRead:
    """The bytes decide the type; the photo is stored re-encoded as WebP with a thumbnail."""
    product = access.require_member()
    raw = await file.read(settings.max_upload_bytes + 1)
    return await gallery.add_image(session, storage, settings, product, raw)


@router.delete(
    "/products/{product_id}/images/{image_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404),
)
async def delete_image(
    image_id: Annotated[str, Path(max_length=100)],
    user: CurrentUser,
    access: ProductById,
    session: DbSession,
    storage: Storage,
) -> Response:
    product = access.require_member()
    await gallery.delete_image(session, storage, product, image_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/sellers/{seller_id}/variants/bulk",
    response_model=BulkUpdateResult,
    responses=problem_responses(401, 403, 404, 422),
)
async def bulk_update_variants(
    body: BulkVariantUpdate, user: CurrentUser, seller_access: SellerById, session: DbSession
) -> BulkUpdateResult:
    """Stock and prices of many variants in one all-or-nothing request."""
    seller = seller_access.require(*MEMBER_ROLES)
    return await listings.bulk_update_variants(session, seller, body)


@router.get(
    "/sellers/{seller_id}/products/export.csv",
    response_class=Response,
    responses={
        200: {
            "description": "One row per variant, UTF-8 with a header row",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        **problem_responses(401, 403, 404),
    },
)
async def export_seller_products(
    user: CurrentUser,
    seller_access: SellerById,
    session: DbSession,
    separator: Annotated[
        CsvSeparator,
        Query(description="`semicolon` for Excel in an Indonesian locale (decimal comma)"),
    ] = CsvSeparator.COMMA,
    bom: Annotated[
        bool, Query(description="Start with a UTF-8 byte order mark, so Excel reads UTF-8")
    ] = False,
) -> Response:
    """All of the seller's products in any status, in the format the import reads back."""
    seller = seller_access.require(*MEMBER_ROLES, admin=True)
    text = await product_export.export_products_csv(
        session, seller.id, delimiter=separator.character, byte_order_mark=bom
    )
    return _download(text.encode("utf-8"), "text/csv; charset=utf-8", f"{seller.slug}-products.csv")


@router.get(
    "/sellers/{seller_id}/products/export.xlsx",
    response_class=Response,
    responses={
        200: {
            "description": "The same rows as export.csv, as an Excel workbook",
            "content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        },
        **problem_responses(401, 403, 404),
    },
)
async def export_seller_products_xlsx(
    user: CurrentUser, seller_access: SellerById, session: DbSession
) -> Response:
    """All of the seller's products as an XLSX workbook, which the import reads back."""
    seller = seller_access.require(*MEMBER_ROLES, admin=True)
    content = await product_export.export_products_xlsx(session, seller.id)
    return _download(content, XLSX_MEDIA_TYPE, f"{seller.slug}-products.xlsx")


def _download(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content=content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.post(
    "/sellers/{seller_id}/products/import",
    response_model=csv_transfer.ImportReport,
    responses=problem_responses(401, 403, 404, 413, 415, 422),
)
async def import_seller_products(
    file: Annotated[
        UploadFile,
        File(description="CSV (UTF-8, ',' or ';') or XLSX as the export writes it, at most 2 MB"),
    ],
    user: CurrentUser,
    seller_access: SellerById,
    session: DbSession,
    settings: AppSettings,
) -> csv_transfer.ImportReport:
    """Create and update products from CSV or XLSX; new products are drafts. A product with a
    bad row is skipped and reported by row number while the others are saved (200 either way).
    New titles and descriptions of public products follow the review rules of ``PATCH``."""
    seller = seller_access.require(*MEMBER_ROLES)
    raw = await file.read(csv_transfer.MAX_UPLOAD_BYTES + 1)
    return await csv_transfer.import_products_upload(
        session, seller, raw, file.content_type, file.filename, settings.listing_review
    )
