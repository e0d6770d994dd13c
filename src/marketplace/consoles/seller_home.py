"""The seller console's front door: where a member lands, what to do now, and for someone
who sells nothing yet, the form that creates a seller profile (then "waiting for verification")."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from pydantic import ValidationError
from starlette.responses import Response

from marketplace.catalog import service as catalog_service
from marketplace.consoles import labels, seller_overview
from marketplace.consoles.seller_access import SELLER_HOME, Desk, FormDesk
from marketplace.consoles.web import CheckedForm, Console, ConsoleRoute, SignedIn
from marketplace.core.errors import AppError
from marketplace.core.i18n import N_
from marketplace.db.session import DbSession
from marketplace.sellers import service as sellers_service
from marketplace.sellers.models import Seller, SellerKind
from marketplace.sellers.schemas import SellerCreate, SellerUpdate
from marketplace.sellers.service import SellerAccess

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
Text = Annotated[str, Form(max_length=6000)]


@dataclass(frozen=True)
class ProfileForm:
    """The seller profile form's fields as typed (checked by ``SellerCreate``/``SellerUpdate``)."""

    name: Text = ""
    kind: Text = ""
    region_code: Text = ""
    description: Text = ""
    whatsapp: Text = ""
    address: Text = ""

    def values(self) -> dict[str, str]:
        return asdict(self)


ProfileFields = Annotated[ProfileForm, Depends()]


@router.get("/penjual/")
async def seller_start(console: SignedIn, session: DbSession) -> Response:
    """One seller: straight to its home. None: the invitation to create one. Several: a list."""
    memberships = await sellers_service.list_memberships_of_user(session, console.user.id)
    if len(memberships) == 1:
        return console.redirect(f"{SELLER_HOME}{memberships[0].id}/")
    return console.render("seller/start.html", memberships=memberships)


@router.get("/penjual/baru")
async def new_seller_form(console: SignedIn, session: DbSession) -> Response:
    return console.render(
        "seller/profile_form.html", values={}, **await _profile_options(console, session)
    )


async def _profile_options(console: Console, session: DbSession) -> dict[str, Any]:
    regions = await catalog_service.list_regions(session)
    return {
        "kind_options": [(k.value, console.text(labels.SELLER_KIND[k])) for k in SellerKind],
        "region_options": [(r.code, r.name) for r in regions],
    }


@router.post("/penjual/baru")
async def create_seller(
    console: CheckedForm, session: DbSession, fields: ProfileFields
) -> Response:
    values = fields.values()
    try:
        data = SellerCreate.model_validate({k: v for k, v in values.items() if v.strip()})
        seller = await sellers_service.create_seller(session, console.user, data)
    except (AppError, ValidationError) as problem:
        options = await _profile_options(console, session)
        raise console.form_failed(
            "seller/profile_form.html", problem, values=values, **options
        ) from problem
    return console.redirect(
        f"{SELLER_HOME}{seller.id}/",
        success=N_("Seller profile created. Wait for the admins to verify it."),
    )


@router.get("/penjual/{seller_id}/")
async def seller_home(desk: Desk, session: DbSession) -> Response:
    overview = await seller_overview.overview(session, desk.console, desk.seller)
    return desk.console.render("seller/home.html", desk=desk, overview=overview, here="home")


def _profile_values(seller: Seller) -> dict[str, str]:
    return {
        "name": seller.name,
        "kind": seller.kind.value,
        "region_code": seller.region_code,
        "description": seller.description or "",
        "whatsapp": seller.whatsapp or "",
        "address": seller.address or "",
    }


@router.get("/penjual/{seller_id}/profil")
async def profile_page(desk: Desk, session: DbSession) -> Response:
    return desk.console.render(
        "seller/profile_form.html",
        desk=desk,
        here="home",
        values=_profile_values(desk.seller),
        pending_name=await sellers_service.pending_name(session, desk.seller.id),
        **await _profile_options(desk.console, session),
    )


@router.post("/penjual/{seller_id}/profil")
async def update_profile(desk: FormDesk, session: DbSession, fields: ProfileFields) -> Response:
    """Owners only. A verified seller's new name waits for an admin, as in the API."""
    desk.require_owner()
    values = fields.values()
    context: dict[str, Any] = {
        "desk": desk,
        "here": "home",
        "pending_name": await sellers_service.pending_name(session, desk.seller.id),
        **await _profile_options(desk.console, session),
    }
    try:
        data = SellerUpdate.model_validate({k: (v.strip() or None) for k, v in values.items()})
        access = SellerAccess(seller=desk.seller, role=desk.role, is_admin=False)
        await sellers_service.update_seller(session, access, desk.console.user, data)
    except (AppError, ValidationError) as problem:
        raise desk.console.form_failed(
            "seller/profile_form.html", problem, values=values, **context
        ) from problem
    return desk.console.redirect(desk.path("profil"), success=N_("Changes saved."))
