"""The seller console's products: the list with statuses, a new listing with a photo from the
phone's camera, and one product's page (why it is held, photos, fields, quick stock and price
changes, publish, archive). Every change goes through the catalog's services, like the API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile
from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.responses import Response

from marketplace.catalog import browsing, gallery, listings
from marketplace.catalog import service as catalog_service
from marketplace.catalog.exceptions import ProductNotFound
from marketplace.catalog.listings import ProductAccess
from marketplace.catalog.models import ProductStatus
from marketplace.catalog.schemas import (
    BulkVariantUpdate,
    ProductCreate,
    ProductDetail,
    ProductUpdate,
    VariantCreate,
)
from marketplace.consoles.exceptions import NoFileChosen
from marketplace.consoles.form_values import text_fields, whole_number
from marketplace.consoles.seller_access import Desk, FormDesk, SellerDesk
from marketplace.consoles.web import ConsoleRoute, confirmation_needed
from marketplace.core.errors import AppError
from marketplace.core.i18n import N_
from marketplace.db.session import DbSession

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
NEW_VARIANT_ROWS = 3
PRODUCT_FIELDS = ("title", "description", "category", "pirt_number", "bpom_number")
VARIANT_FIELDS = ("name", "price", "stock", "weight_grams")
Photo = Annotated[UploadFile | None, File()]


async def product_of(session: DbSession, desk: SellerDesk, product_id: str) -> ProductAccess:
    """The product, only when it belongs to the desk's seller (404 page otherwise)."""
    access = await listings.resolve_product_access(
        session, desk.console.user, product_id, allow_slug=False
    )
    if access.seller.id != desk.seller.id or access.role is None:
        raise ProductNotFound()
    return access


@router.get("/penjual/{seller_id}/produk")
async def product_list(
    desk: Desk,
    session: DbSession,
    status: Annotated[ProductStatus | None, Query()] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    page = await browsing.list_seller_products(
        session,
        desk.console.codec("seller-products"),
        desk.console.storage,
        desk.seller.id,
        status=status,
        limit=30,
        cursor=cursor,
    )
    return desk.console.render(
        "seller/products.html",
        desk=desk,
        here="products",
        page=page,
        status=status.value if status else "",
        statuses=[s.value for s in ProductStatus],
    )


@router.get("/penjual/{seller_id}/produk/baru")
async def new_product_form(desk: Desk, session: DbSession) -> Response:
    return await _render_new_product(desk, session, values={})


async def _render_new_product(desk: SellerDesk, session: DbSession, **context: Any) -> Response:
    categories = await catalog_service.list_categories(session)
    return desk.console.render(
        "seller/product_new.html",
        desk=desk,
        here="products",
        upload_script=True,
        category_options=[(c.slug, c.name) for c in categories],
        rows=range(NEW_VARIANT_ROWS),
        **context,
    )


@router.post("/penjual/{seller_id}/produk/baru")
async def create_product(desk: FormDesk, session: DbSession, photo: Photo = None) -> Response:
    """A draft with its variants and, when one was taken, its first photo: all or nothing."""
    form = await desk.console.request.form()
    values = _new_product_values(form)
    try:
        data = ProductCreate.model_validate(_product_body(values))
        product = await listings.create_product(session, desk.seller, data)
        if photo is not None and photo.filename:
            raw = await photo.read(desk.console.settings.max_upload_bytes + 1)
            await gallery.add_image(
                session, desk.console.storage, desk.console.settings, product, raw
            )
    except (AppError, ValidationError) as problem:
        categories = await catalog_service.list_categories(session)
        raise desk.console.form_failed(
            "seller/product_new.html",
            problem,
            desk=desk,
            here="products",
            upload_script=True,
            category_options=[(c.slug, c.name) for c in categories],
            rows=range(NEW_VARIANT_ROWS),
            values=values,
        ) from problem
    return desk.console.redirect(
        desk.path(f"produk/{product.id}"),
        success=N_("Product saved as a draft. Publish it when ready."),
    )


def _new_product_values(form: FormData) -> dict[str, str]:
    names = PRODUCT_FIELDS + tuple(
        f"variants.{row}.{name}" for row in range(NEW_VARIANT_ROWS) for name in VARIANT_FIELDS
    )
    return text_fields(form, names)


def _product_body(values: dict[str, str]) -> dict[str, Any]:
    """The API's body from the form: empty variant rows dropped, numbers read as people type
    them, empty optional fields left out."""
    variants = []
    for row in range(NEW_VARIANT_ROWS):
        fields = {name: values[f"variants.{row}.{name}"].strip() for name in VARIANT_FIELDS}
        if row > 0 and not any(fields.values()):
            continue
        variant: dict[str, Any] = {"name": fields["name"]}
        for name in ("price", "stock", "weight_grams"):
            variant[name] = whole_number(fields[name])
        variants.append(variant)
    attributes = {
        name: values[name].strip() for name in ("pirt_number", "bpom_number") if values[name]
    }
    body: dict[str, Any] = {
        "title": values["title"],
        "description": values["description"],
        "category": values["category"],
        "variants": variants,
    }
    if attributes:
        body["attributes"] = attributes
    return body


@router.get("/penjual/{seller_id}/produk/{product_id}")
async def product_page(desk: Desk, session: DbSession, product_id: str) -> Response:
    access = await product_of(session, desk, product_id)
    detail = await browsing.product_detail(session, desk.console.storage, access)
    return await _render_product(desk, session, detail)


async def _render_product(
    desk: SellerDesk, session: DbSession, detail: ProductDetail, **context: Any
) -> Response:
    categories = await catalog_service.list_categories(session)
    context.setdefault("values", _stored_values(detail))
    return desk.console.render(
        "seller/product.html",
        desk=desk,
        here="products",
        upload_script=True,
        product=detail,
        category_options=[(c.slug, c.name) for c in categories],
        **context,
    )


def _stored_values(detail: ProductDetail) -> dict[str, str]:
    values = {
        "title": detail.title,
        "description": detail.description,
        "category": detail.category,
        "pirt_number": detail.attributes.pirt_number or "",
        "bpom_number": detail.attributes.bpom_number or "",
    }
    for variant in detail.variants:
        values[f"price.{variant.id}"] = str(variant.price)
        values[f"stock.{variant.id}"] = str(variant.stock)
    return values


async def _failed_on_product_page(
    desk: SellerDesk,
    session: DbSession,
    detail: ProductDetail,
    problem: AppError | ValidationError,
    values: dict[str, str],
) -> Exception:
    """The product page as it was before the refused change (which rolls back), with the
    problem and the values typed."""
    categories = await catalog_service.list_categories(session)
    return desk.console.form_failed(
        "seller/product.html",
        problem,
        desk=desk,
        here="products",
        upload_script=True,
        product=detail,
        category_options=[(c.slug, c.name) for c in categories],
        values=values or _stored_values(detail),
    )


async def _product_and_detail(
    session: DbSession, desk: SellerDesk, product_id: str
) -> tuple[ProductAccess, ProductDetail]:
    access = await product_of(session, desk, product_id)
    return access, await browsing.product_detail(session, desk.console.storage, access)


@router.post("/penjual/{seller_id}/produk/{product_id}/ubah")
async def update_product(desk: FormDesk, session: DbSession, product_id: str) -> Response:
    access, detail = await _product_and_detail(session, desk, product_id)
    values = text_fields(await desk.console.request.form(), PRODUCT_FIELDS)
    attributes = {name: values[name].strip() or None for name in ("pirt_number", "bpom_number")}
    try:
        data = ProductUpdate.model_validate(
            {
                "title": values["title"],
                "description": values["description"],
                "category": values["category"],
                "attributes": attributes,
            }
        )
        await listings.update_product(
            session, access, desk.console.user, data, desk.console.settings.listing_review
        )
    except (AppError, ValidationError) as problem:
        raise await _failed_on_product_page(desk, session, detail, problem, values) from problem
    return desk.console.redirect(desk.path(f"produk/{product_id}"), success=N_("Changes saved."))


@router.post("/penjual/{seller_id}/produk/{product_id}/stok")
async def update_stock_and_prices(desk: FormDesk, session: DbSession, product_id: str) -> Response:
    """Every variant's price and stock from one form, all or nothing (the bulk service)."""
    _, detail = await _product_and_detail(session, desk, product_id)
    form = await desk.console.request.form()
    values: dict[str, str] = {}
    changes = []
    for variant in detail.variants:
        price, stock = (
            str(form.get(f"price.{variant.id}", "")),
            str(form.get(f"stock.{variant.id}", "")),
        )
        values[f"price.{variant.id}"], values[f"stock.{variant.id}"] = price, stock
        changes.append(
            {
                "variant_id": str(variant.id),
                "price": whole_number(price),
                "stock": whole_number(stock),
            }
        )
    try:
        data = BulkVariantUpdate.model_validate({"changes": changes})
        await listings.bulk_update_variants(session, desk.seller, data)
    except (AppError, ValidationError) as problem:
        raise await _failed_on_product_page(desk, session, detail, problem, values) from problem
    return desk.console.redirect(desk.path(f"produk/{product_id}"), success=N_("Changes saved."))


@router.post("/penjual/{seller_id}/produk/{product_id}/varian")
async def add_variant(desk: FormDesk, session: DbSession, product_id: str) -> Response:
    """One more variant, through the API's service (unique SKU, at most 50 variants)."""
    access, detail = await _product_and_detail(session, desk, product_id)
    values = text_fields(await desk.console.request.form(), VARIANT_FIELDS)
    body: dict[str, Any] = {"name": values["name"]}
    for name in ("price", "stock", "weight_grams"):
        body[name] = whole_number(values[name])
    try:
        data = VariantCreate.model_validate(body)
        await listings.add_variant(session, access, data)
    except (AppError, ValidationError) as problem:
        typed = {**_stored_values(detail), **values}
        raise await _failed_on_product_page(desk, session, detail, problem, typed) from problem
    return desk.console.redirect(desk.path(f"produk/{product_id}"), success=N_("Variant added."))


@router.post("/penjual/{seller_id}/produk/{product_id}/foto")
async def add_photo(
    desk: FormDesk, session: DbSession, product_id: str, photo: Photo = None
) -> Response:
    access, detail = await _product_and_detail(session, desk, product_id)
    try:
        if photo is None or not photo.filename:
            raise NoFileChosen()
        raw = await photo.read(desk.console.settings.max_upload_bytes + 1)
        await gallery.add_image(
            session, desk.console.storage, desk.console.settings, access.product, raw
        )
    except AppError as problem:
        raise await _failed_on_product_page(desk, session, detail, problem, {}) from problem
    return desk.console.redirect(desk.path(f"produk/{product_id}"), success=N_("Photo added."))


@router.post("/penjual/{seller_id}/produk/{product_id}/foto/{image_id}/hapus")
async def delete_photo(
    desk: FormDesk, session: DbSession, product_id: str, image_id: str
) -> Response:
    access = await product_of(session, desk, product_id)
    form = await desk.console.request.form()
    back = desk.console.url(desk.path(f"produk/{product_id}"))
    asked = confirmation_needed(
        desk.console,
        form,
        N_("Delete this photo? A deleted photo cannot be brought back."),
        back=back,
    )
    if asked is not None:
        return asked
    await gallery.delete_image(session, desk.console.storage, access.product, image_id)
    return desk.console.redirect(desk.path(f"produk/{product_id}"), success=N_("Photo deleted."))


@router.post("/penjual/{seller_id}/produk/{product_id}/tayangkan")
async def publish_product(desk: FormDesk, session: DbSession, product_id: str) -> Response:
    access, detail = await _product_and_detail(session, desk, product_id)
    try:
        product = await listings.publish_product(
            session, access, desk.console.settings.listing_review
        )
    except AppError as problem:
        raise await _failed_on_product_page(desk, session, detail, problem, {}) from problem
    done = (
        N_("The product is in the shop.")
        if product.status is ProductStatus.PUBLISHED
        else N_("The product was sent to the admins for review first.")
    )
    return desk.console.redirect(desk.path(f"produk/{product_id}"), success=done)


@router.post("/penjual/{seller_id}/produk/{product_id}/arsipkan")
async def archive_product(desk: FormDesk, session: DbSession, product_id: str) -> Response:
    access = await product_of(session, desk, product_id)
    form = await desk.console.request.form()
    back = desk.console.url(desk.path(f"produk/{product_id}"))
    asked = confirmation_needed(
        desk.console,
        form,
        N_("Archive “%(title)s”? It leaves the shop; you can publish it again later."),
        back=back,
        title=access.product.title,
    )
    if asked is not None:
        return asked
    detail = await browsing.product_detail(session, desk.console.storage, access)
    try:
        await listings.archive_product(session, access, desk.console.user)
    except AppError as problem:
        raise await _failed_on_product_page(desk, session, detail, problem, {}) from problem
    return desk.console.redirect(
        desk.path(f"produk/{product_id}"), success=N_("Product archived. Press Publish to undo.")
    )
