"""What sellers do with their listings: create, edit, variants, publish, archive, bulk edits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import User
from marketplace.audit import service as audit_service
from marketplace.catalog import repository, review_rules
from marketplace.catalog.exceptions import (
    ProductNotFound,
    ProductRemoved,
    SellerNotVerified,
    SkuTaken,
    TooManyVariants,
    VariantNotFound,
)
from marketplace.catalog.models import Product, ProductStatus, ProductVariant
from marketplace.catalog.schemas import (
    MAX_VARIANTS,
    Attributes,
    BulkUpdateResult,
    BulkVariantUpdate,
    ProductCreate,
    ProductUpdate,
    VariantCreate,
    VariantRead,
    VariantUpdate,
)
from marketplace.config import ListingReview
from marketplace.core.errors import Forbidden, InvalidInput
from marketplace.core.i18n import gettext
from marketplace.core.schemas import set_fields
from marketplace.core.slugs import next_free_slug, slugify
from marketplace.db.base import parse_id, utcnow
from marketplace.sellers import service as sellers_service
from marketplace.sellers.models import MemberRole, Seller, SellerStatus

_SLUG_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class ProductAccess:
    """A product as one caller may see it, with their role at its seller."""

    product: Product
    seller: Seller
    role: MemberRole | None
    is_admin: bool

    @property
    def publicly_visible(self) -> bool:
        return (
            self.product.status is ProductStatus.PUBLISHED
            and self.seller.status is SellerStatus.VERIFIED
        )

    def require_member(self, *, admin: bool = False) -> Product:
        if self.role is not None or (admin and self.is_admin):
            return self.product
        raise Forbidden()


async def resolve_product_access(
    session: AsyncSession, viewer: User | None, id_or_slug: str, *, allow_slug: bool = True
) -> ProductAccess:
    """404 unless the product exists and the caller may see it (public, member or admin)."""
    product_id = parse_id(id_or_slug)
    product = None
    if product_id is not None:
        product = await repository.get_product(session, product_id)
    elif allow_slug and "\x00" not in id_or_slug:  # PostgreSQL text cannot hold NUL
        product = await repository.get_product_by_slug(session, id_or_slug)
    seller = await sellers_service.get_seller(session, product.seller_id) if product else None
    if product is None or seller is None:
        raise ProductNotFound()
    role = await sellers_service.get_member_role(session, seller.id, viewer.id) if viewer else None
    access = ProductAccess(
        product=product, seller=seller, role=role, is_admin=bool(viewer and viewer.is_admin)
    )
    if not access.publicly_visible and role is None and not access.is_admin:
        raise ProductNotFound()
    return access


async def create_product(session: AsyncSession, seller: Seller, data: ProductCreate) -> Product:
    """A draft with its variants; the seller need not be verified to prepare listings."""
    category = await _require_category(session, data.category)
    await _check_skus_free(session, seller.id, [v.sku for v in data.variants if v.sku])
    attributes = data.attributes or Attributes()
    for _ in range(_SLUG_ATTEMPTS):
        base = slugify(data.title, fallback="produk")
        product = Product(
            seller_id=seller.id,
            slug=next_free_slug(base, await repository.product_slugs_like(session, base)),
            title=data.title,
            description=data.description,
            category_id=category,
            region_code=seller.region_code,
            status=ProductStatus.DRAFT,
            min_price=min(variant.price for variant in data.variants),
            pirt_number=attributes.pirt_number,
            bpom_number=attributes.bpom_number,
            halal_certificate=attributes.halal_certificate,
            max_quantity_per_order=data.max_quantity_per_order,
            halal_valid_until=attributes.halal_valid_until,
            non_halal=bool(attributes.non_halal),
        )
        await review_rules.require_halal_declaration(session, product, on_create=True)
        try:
            async with session.begin_nested():
                session.add(product)
                await session.flush()
        except IntegrityError:  # a concurrent listing took the slug
            continue
        await _add_variants(session, product, data)
        return product
    raise RuntimeError("could not find a free product slug")  # pragma: no cover


async def _add_variants(session: AsyncSession, product: Product, data: ProductCreate) -> None:
    for position, variant in enumerate(data.variants):
        session.add(
            ProductVariant(
                product_id=product.id,
                seller_id=product.seller_id,
                position=position,
                **variant.model_dump(),
            )
        )
    await _flush_checking_skus(session, [v.sku for v in data.variants if v.sku])


async def _flush_checking_skus(session: AsyncSession, skus: list[str]) -> None:
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as error:
        raise SkuTaken(params={"skus": ", ".join(skus)}) from error


async def _check_skus_free(
    session: AsyncSession, seller_id: uuid.UUID, skus: list[str], exclude: uuid.UUID | None = None
) -> None:
    duplicates = {sku for sku in skus if skus.count(sku) > 1}
    if duplicates:
        sku = sorted(duplicates)[0]
        message = gettext("SKU '%(sku)s' appears more than once.", sku=sku)
        raise InvalidInput.for_field(["body", "variants"], message, "duplicate_sku")
    taken = await repository.sku_taken(session, seller_id, skus, exclude) if skus else []
    if taken:
        raise SkuTaken(params={"skus": ", ".join(sorted(taken))})


async def _require_category(session: AsyncSession, slug: str, field: str = "category") -> uuid.UUID:
    category = await repository.get_category_by_slug(session, slug)
    if category is None:
        message = gettext("Category '%(slug)s' is unknown.", slug=slug)
        raise InvalidInput.for_field(["body", field], message, "unknown_category")
    return category.id


async def update_product(
    session: AsyncSession,
    access: ProductAccess,
    actor: User,
    data: ProductUpdate,
    review: ListingReview,
) -> Product:
    """Fields change at once, except a member's edit of a public listing's title or
    description, which may wait for an admin (``review_rules``); an admin's edit applies."""
    product = access.product
    changes = set_fields(
        data, not_null=("title", "category", "description", "max_quantity_per_order")
    )
    before = _product_snapshot(product)
    declaration_touched = "category" in changes or "attributes" in changes
    if "category" in changes:
        product.category_id = await _require_category(session, changes.pop("category"))
    attributes = changes.pop("attributes", None)
    for field, value in (attributes or {}).items():
        setattr(product, field, bool(value) if field == "non_halal" else value)
    if declaration_touched:
        await review_rules.require_halal_declaration(session, product, on_create=True)
    content = {
        field: changes.pop(field) for field in review_rules.CONTENT_FIELDS if field in changes
    }
    if access.is_admin and access.role is None:
        changes.update(content)
    else:
        await review_rules.apply_or_hold_content(session, product, content, review)
    for field, value in changes.items():
        setattr(product, field, value)
    product.updated_at = utcnow()
    await session.flush()
    await _audit_if_admin_only(session, access, actor, "product.update", before)
    return product


def _product_snapshot(product: Product) -> dict[str, Any]:
    return {
        "title": product.title,
        "status": product.status.value,
        "category_id": str(product.category_id),
        "pirt_number": product.pirt_number,
        "bpom_number": product.bpom_number,
        "halal_certificate": product.halal_certificate,
        "non_halal": product.non_halal,
    }


async def _audit_if_admin_only(
    session: AsyncSession,
    access: ProductAccess,
    actor: User,
    action: str,
    before: dict[str, Any],
) -> None:
    """Admins acting on a seller's listing leave a trace; members editing their own do not."""
    if access.is_admin and access.role is None:
        await audit_service.record_admin_action(
            session,
            actor_id=actor.id,
            action=action,
            target_type="product",
            target_id=access.product.id,
            before=before,
            after=_product_snapshot(access.product),
        )


async def update_variant(
    session: AsyncSession, access: ProductAccess, variant_id: str, data: VariantUpdate
) -> ProductVariant:
    product = access.product
    parsed = parse_id(variant_id)
    variants = await repository.list_variants(session, product.id)
    variant = next((v for v in variants if v.id == parsed), None)
    if variant is None:
        raise VariantNotFound(params={"variant_id": variant_id})
    changes = set_fields(data, not_null=("name", "price", "stock", "weight_grams"))
    if changes.get("sku"):
        await _check_skus_free(session, product.seller_id, [changes["sku"]], exclude=variant.id)
    for field, value in changes.items():
        setattr(variant, field, value)
    await _flush_checking_skus(session, [changes["sku"]] if changes.get("sku") else [])
    await _refresh_min_price(session, product.id)
    return variant


async def add_variant(
    session: AsyncSession, access: ProductAccess, data: VariantCreate
) -> ProductVariant:
    """One more variant after the last, under the creation rules: the seller's SKUs stay
    unique (409) and a product holds at most ``MAX_VARIANTS`` (409). Like a variant edit it
    applies at once, without review, and the listing's lowest price and ``updated_at`` follow."""
    product = access.product
    # The product's row lock first: two concurrent additions then count and number in turn.
    await repository.get_product(session, product.id, for_update=True)
    variants = await repository.list_variants(session, product.id)
    if len(variants) >= MAX_VARIANTS:
        raise TooManyVariants(params={"limit": MAX_VARIANTS})
    if data.sku:
        await _check_skus_free(session, product.seller_id, [data.sku])
    variant = ProductVariant(
        product_id=product.id,
        seller_id=product.seller_id,
        position=max((v.position for v in variants), default=-1) + 1,
        **data.model_dump(),
    )
    session.add(variant)
    await _flush_checking_skus(session, [data.sku] if data.sku else [])
    await _refresh_min_price(session, product.id)
    return variant


async def publish_product(
    session: AsyncSession, access: ProductAccess, review: ListingReview
) -> Product:
    """Draft or archived -> published, or in review when screening flags it or listings are
    reviewed first; only for a verified seller (409), never after an admin's takedown (409)."""
    product = access.product
    if product.status is ProductStatus.REMOVED or product.taken_down_at is not None:
        raise ProductRemoved(params={"reason": product.takedown_reason or "-"})
    if access.seller.status is not SellerStatus.VERIFIED:
        raise SellerNotVerified()
    if product.status in (ProductStatus.DRAFT, ProductStatus.ARCHIVED):
        await review_rules.require_halal_declaration(session, product, on_create=False)
        product.status = await review_rules.publication_status(session, product, review)
        if product.status is ProductStatus.PUBLISHED:
            product.published_at = utcnow()
        product.updated_at = utcnow()
        await session.flush()
    return product


async def archive_product(session: AsyncSession, access: ProductAccess, actor: User) -> Product:
    """A member's archive can be undone by publishing; an admin's sticks until an admin
    approves the listing again. A removed listing stays removed."""
    product = access.product
    by_admin = access.is_admin and access.role is None
    if product.status is ProductStatus.REMOVED:
        if by_admin:
            return product
        raise ProductRemoved(params={"reason": product.takedown_reason or "-"})
    if product.status is not ProductStatus.ARCHIVED or by_admin:
        before = _product_snapshot(product)
        product.status = ProductStatus.ARCHIVED
        if by_admin and product.taken_down_at is None:
            product.taken_down_at = utcnow()
        product.updated_at = utcnow()
        await session.flush()
        await _audit_if_admin_only(session, access, actor, "product.archive", before)
    return product


async def bulk_update_variants(
    session: AsyncSession, seller: Seller, data: BulkVariantUpdate
) -> BulkUpdateResult:
    """Many stock and price changes in one request: all of them apply, or none (a single
    unknown variant fails the whole request and the transaction rolls back)."""
    ids = [change.variant_id for change in data.changes]
    duplicates = {variant_id for variant_id in ids if ids.count(variant_id) > 1}
    if duplicates:
        duplicate = str(sorted(duplicates)[0])
        message = gettext("Variant %(variant_id)s is listed more than once.", variant_id=duplicate)
        raise InvalidInput.for_field(["body", "changes"], message, "duplicate_variant")
    variants = {v.id: v for v in await repository.get_variants_of_seller(session, seller.id, ids)}
    missing = [str(variant_id) for variant_id in ids if variant_id not in variants]
    if missing:
        raise VariantNotFound(params={"variant_id": missing[0]})
    touched_products: set[uuid.UUID] = set()
    for change in data.changes:
        variant = variants[change.variant_id]
        if change.price is not None:
            variant.price = change.price
        if change.stock is not None:
            variant.stock = change.stock
        touched_products.add(variant.product_id)
    await session.flush()
    for product_id in sorted(touched_products):
        await _refresh_min_price(session, product_id)
    ordered = [variants[variant_id] for variant_id in ids]
    return BulkUpdateResult(
        updated=len(ordered),
        variants=[VariantRead.model_validate(v, from_attributes=True) for v in ordered],
    )


async def _refresh_min_price(session: AsyncSession, product_id: uuid.UUID) -> None:
    """Recount the lowest price under the product's row lock (taken after the variant rows,
    the order bulk updates use too): a concurrent price change of another variant has then
    committed, so the count includes it instead of overwriting it with a stale minimum."""
    product = await repository.get_product(session, product_id, for_update=True)
    if product is not None:
        product.min_price = await repository.lowest_price(session, product_id)
        product.updated_at = utcnow()
        await session.flush()
