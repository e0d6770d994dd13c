"""Admin console, featured curation: what the government site shows, in order (arrow buttons
that work without JavaScript swap an entry with its neighbour), each with its WIB schedule;
removing one is confirmed first and can be undone from the page that follows."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Form, Path
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from marketplace.catalog import listings
from marketplace.consoles.admin_access import (
    Admin,
    AdminForm,
    admin_router,
    page_problem,
    shown_in_page,
)
from marketplace.consoles.web import Console, confirmation_needed
from marketplace.core.dependencies import cursor_codec
from marketplace.core.formatting import WIB
from marketplace.core.i18n import N_, gettext, gettext_in
from marketplace.core.pagination import MAX_PAGE_SIZE, CursorCodec
from marketplace.db.session import DbSession, RequestTransactions
from marketplace.featured import service as featured_service
from marketplace.featured.exceptions import FeaturedEntryNotFound
from marketplace.featured.schemas import (
    FeaturedEntryCreate,
    FeaturedEntryRead,
    FeaturedEntryUpdate,
)

router = admin_router()
EntriesCodec = Annotated[CursorCodec, Depends(cursor_codec("featured-entries"))]
EntryId = Annotated[str, Path(max_length=100)]
When = Annotated[str, Form(max_length=40)]
LIST_PATH = "/admin/unggulan"
PAGE = "admin/featured.html"
UNDO_FIELDS = ("product", "position", "starts_at", "ends_at")


def parse_wib(raw: str, field: str) -> datetime | None:
    """A ``datetime-local`` value (``2026-12-01T08:00``) read as WIB; empty means open."""
    text = raw.strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise page_problem(
            field, gettext("Write the time as YYYY-MM-DD HH:MM (for example 2026-12-01 08:00).")
        ) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=WIB)


def wib_input(moment: datetime | None) -> str:
    """The value a ``datetime-local`` field shows for a stored time."""
    return moment.astimezone(WIB).strftime("%Y-%m-%dT%H:%M") if moment else ""


def product_address(raw: str) -> str:
    """A slug, an id, or a pasted product link (``…/produk/lada-putih?x``) as slug or id."""
    text = raw.strip()
    if "/produk/" in text:
        text = text.split("/produk/", 1)[1]
    return text.split("?", 1)[0].split("#", 1)[0].strip("/ ")


async def _all_entries(session: AsyncSession, codec: CursorCodec) -> list[FeaturedEntryRead]:
    page = await featured_service.list_entries(session, codec, limit=MAX_PAGE_SIZE, cursor=None)
    return page.items


async def _context(session: AsyncSession, codec: CursorCodec) -> dict[str, Any]:
    return {
        "here": "featured",
        "entries": await _all_entries(session, codec),
        "wib_input": wib_input,
        "undo": None,
    }


def _undo(console: Console) -> dict[str, str] | None:
    """What a removal left in the address, so the page can offer to put the entry back."""
    query = console.request.query_params
    if "product" not in query or "undo" not in query:
        return None
    return {name: query.get(name, "")[:500] for name in UNDO_FIELDS}


@router.get("/unggulan", response_class=Response)
async def featured_page(console: Admin, session: DbSession, codec: EntriesCodec) -> Response:
    context = await _context(session, codec)
    context["undo"] = _undo(console)
    return console.render(PAGE, values={}, **context)


@router.post("/unggulan", response_class=Response)
async def add_entry(
    console: AdminForm,
    transactions: RequestTransactions,
    codec: EntriesCodec,
    product: Annotated[str, Form(max_length=500)] = "",
    position: Annotated[str, Form(max_length=10)] = "",
    starts_at: When = "",
    ends_at: When = "",
) -> Response:
    """Feature a product (its link, slug or id), last in the list unless a position is given."""

    async def page(session: AsyncSession) -> dict[str, Any]:
        return await _context(session, codec)

    values = {"product": product, "starts_at": starts_at, "ends_at": ends_at}
    async with shown_in_page(console, transactions, PAGE, page, values=values) as writing:
        address = product_address(product)
        if not address:
            raise page_problem(
                "product",
                gettext_in(console.language, "Paste the product's link or type its slug."),
            )
        access = await listings.resolve_product_access(writing, console.user, address)
        body = FeaturedEntryCreate.model_validate(
            {
                "product_id": access.product.id,
                "position": int(position) if position.strip().isdigit() else None,
                "starts_at": parse_wib(starts_at, "starts_at"),
                "ends_at": parse_wib(ends_at, "ends_at"),
            }
        )
        await featured_service.create_entry(writing, console.user, body)
    return console.redirect(
        LIST_PATH, success=N_("%(name)s is now featured."), name=access.product.title
    )


@router.post("/unggulan/{entry_id}/pindah", response_class=Response)
async def move_entry(
    entry_id: EntryId,
    console: AdminForm,
    transactions: RequestTransactions,
    codec: EntriesCodec,
    direction: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Swap places with the entry above (``naik``) or below (``turun``)."""

    async def page(session: AsyncSession) -> dict[str, Any]:
        return await _context(session, codec)

    async with shown_in_page(console, transactions, PAGE, page, failed_id=entry_id) as writing:
        await _swap(writing, console, codec, entry_id, direction)
    return console.redirect(LIST_PATH, success=N_("Order changed."))


async def _swap(
    session: AsyncSession, console: Console, codec: CursorCodec, entry_id: str, way: str
) -> None:
    entries = await _all_entries(session, codec)
    index = next((i for i, e in enumerate(entries) if str(e.id) == entry_id), None)
    step = {"naik": -1, "turun": 1}.get(way)
    if index is None:
        raise FeaturedEntryNotFound()
    if step is None:
        raise page_problem("direction", gettext_in(console.language, "This entry cannot move."))
    other = index + step
    if not 0 <= other < len(entries):
        return  # already first (or last): nothing to do
    mine, theirs = entries[index], entries[other]
    mine_to, theirs_to = theirs.position, mine.position
    if mine_to == theirs_to:  # equal positions would keep the order: open a gap
        mine_to, theirs_to = (mine_to, mine_to + 1) if step < 0 else (mine_to + 1, mine_to)
    for entry, position in ((mine, mine_to), (theirs, theirs_to)):
        await featured_service.update_entry(
            session, console.user, str(entry.id), FeaturedEntryUpdate(position=position)
        )


@router.post("/unggulan/{entry_id}/jadwal", response_class=Response)
async def schedule_entry(
    entry_id: EntryId,
    console: AdminForm,
    transactions: RequestTransactions,
    codec: EntriesCodec,
    starts_at: When = "",
    ends_at: When = "",
) -> Response:
    """Set when the entry shows (WIB); an empty side leaves that side open."""

    async def page(session: AsyncSession) -> dict[str, Any]:
        return await _context(session, codec)

    values = {"starts_at": starts_at, "ends_at": ends_at}
    async with shown_in_page(
        console, transactions, PAGE, page, failed_id=entry_id, values=values
    ) as writing:
        body = FeaturedEntryUpdate.model_validate(
            {
                "starts_at": parse_wib(starts_at, "starts_at"),
                "ends_at": parse_wib(ends_at, "ends_at"),
            }
        )
        await featured_service.update_entry(writing, console.user, entry_id, body)
    return console.redirect(LIST_PATH, success=N_("Schedule saved."))


@router.post("/unggulan/{entry_id}/hapus", response_class=Response)
async def remove_entry(
    entry_id: EntryId,
    console: AdminForm,
    transactions: RequestTransactions,
    codec: EntriesCodec,
) -> Response:
    """After a confirm step; the page that follows offers to put the entry back as it was."""

    async def page(session: AsyncSession) -> dict[str, Any]:
        return await _context(session, codec)

    async with shown_in_page(console, transactions, PAGE, page, failed_id=entry_id) as writing:
        entries = await _all_entries(writing, codec)
        entry = next((e for e in entries if str(e.id) == entry_id), None)
        if entry is None:
            raise FeaturedEntryNotFound()
        asked = confirmation_needed(
            console,
            await console.request.form(),
            N_("Remove %(name)s from featured? You can undo this afterwards."),
            back=console.url(LIST_PATH),
            name=entry.product.title,
        )
        if asked is not None:
            return asked
        await featured_service.delete_entry(writing, console.user, entry_id)
    undo = {
        "undo": "1",
        "product": str(entry.product_id),
        "position": str(entry.position),
        "starts_at": wib_input(entry.starts_at),
        "ends_at": wib_input(entry.ends_at),
    }
    return console.redirect(
        f"{LIST_PATH}?{urlencode(undo)}",
        success=N_("%(name)s is no longer featured."),
        name=entry.product.title,
    )
