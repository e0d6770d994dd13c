"""Admin console, featured curation: what the government site shows, in order (arrow buttons
that work without JavaScript swap an entry with its neighbour), each with its WIB schedule;
removing one is confirmed first and can be undone from the page that follows."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from marketplace.catalog import listings
from marketplace.consoles.admin_access import AdminConsole, Console, error_text
from marketplace.core.dependencies import cursor_codec
from marketplace.core.errors import AppError, InvalidInput
from marketplace.core.formatting import WIB
from marketplace.core.pagination import MAX_PAGE_SIZE, CursorCodec
from marketplace.db.session import DbSession, RequestTransactions
from marketplace.featured import service as featured_service
from marketplace.featured.schemas import (
    FeaturedEntryCreate,
    FeaturedEntryRead,
    FeaturedEntryUpdate,
)

router = APIRouter(prefix="/admin", tags=["admin console"], include_in_schema=False)
CsrfField = Annotated[str, Form(alias="csrf_token", max_length=200)]
EntriesCodec = Annotated[CursorCodec, Depends(cursor_codec("featured-entries"))]
EntryId = Annotated[str, Path(max_length=100)]
When = Annotated[str, Form(max_length=40)]
LIST_PATH = "/admin/unggulan"


def parse_wib(raw: str, field: str) -> datetime | None:
    """A ``datetime-local`` value (``2026-12-01T08:00``) read as WIB; empty means open."""
    text = raw.strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise InvalidInput.for_field(("body", field), "not a date and time", "datetime") from error
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


async def _page(
    console: AdminConsole,
    session: AsyncSession,
    codec: CursorCodec,
    *,
    error: str | None = None,
    failed_id: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    entries = await _all_entries(session, codec)
    return console.render(
        "featured.html",
        status_code=status_code,
        entries=entries,
        wib_input=wib_input,
        error=error,
        failed_id=failed_id,
        form=form or {},
        undo=_undo_values(console.query),
    )


def _undo_values(query: dict[str, str]) -> dict[str, str] | None:
    """What a removal left in the address so the page can offer to put the entry back."""
    if "undo_product" not in query:
        return None
    return {key: query.get(f"undo_{key}", "") for key in ("product", "position", "starts", "ends")}


@router.get("/unggulan", response_class=Response)
async def featured_page(console: Console, session: DbSession, codec: EntriesCodec) -> Response:
    return await _page(console, session, codec)


async def _failed(
    console: AdminConsole,
    transactions: RequestTransactions,
    codec: CursorCodec,
    failure: AppError | ValidationError,
    **context: Any,
) -> Response:
    status_code = failure.status_code if isinstance(failure, AppError) else 422
    async with transactions(write=False) as reading:
        return await _page(
            console,
            reading,
            codec,
            error=error_text(failure, console.language),
            status_code=status_code,
            **context,
        )


@router.post("/unggulan", response_class=Response)
async def add_entry(
    console: Console,
    transactions: RequestTransactions,
    codec: EntriesCodec,
    csrf_token: CsrfField = "",
    product: Annotated[str, Form(max_length=500)] = "",
    position: Annotated[str, Form(max_length=10)] = "",
    starts_at: When = "",
    ends_at: When = "",
) -> Response:
    """Feature a product (its link, slug or id), last in the list unless a position is given."""
    console.check_csrf(csrf_token)
    form = {"product": product, "starts_at": starts_at, "ends_at": ends_at}
    try:
        async with transactions(write=True) as writing:
            address = product_address(product)
            if not address:
                raise InvalidInput.for_field(
                    ("body", "product"), console.t("admin.featured-product-missing"), "missing"
                )
            access = await listings.resolve_product_access(writing, console.admin, address)
            body = FeaturedEntryCreate.model_validate(
                {
                    "product_id": access.product.id,
                    "position": int(position) if position.strip().isdigit() else None,
                    "starts_at": parse_wib(starts_at, "starts_at"),
                    "ends_at": parse_wib(ends_at, "ends_at"),
                }
            )
            await featured_service.create_entry(writing, console.admin, body)
    except (AppError, ValidationError) as failure:
        return await _failed(console, transactions, codec, failure, form=form)
    return console.done(LIST_PATH, "featured-added", name=access.product.title)


@router.post("/unggulan/{entry_id}/pindah", response_class=Response)
async def move_entry(
    entry_id: EntryId,
    console: Console,
    transactions: RequestTransactions,
    codec: EntriesCodec,
    csrf_token: CsrfField = "",
    direction: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Swap places with the entry above (``naik``) or below (``turun``)."""
    console.check_csrf(csrf_token)
    try:
        async with transactions(write=True) as writing:
            await _swap(writing, console, codec, entry_id, direction)
    except (AppError, ValidationError) as failure:
        return await _failed(console, transactions, codec, failure, failed_id=entry_id)
    return console.done(LIST_PATH, "featured-moved")


async def _swap(
    session: AsyncSession, console: AdminConsole, codec: CursorCodec, entry_id: str, way: str
) -> None:
    entries = await _all_entries(session, codec)
    index = next((i for i, e in enumerate(entries) if str(e.id) == entry_id), None)
    step = {"naik": -1, "turun": 1}.get(way)
    if index is None or step is None:
        raise InvalidInput.for_field(
            ("body", "direction"), console.t("admin.featured-cannot-move"), "value_error"
        )
    other = index + step
    if not 0 <= other < len(entries):
        return  # already first (or last): nothing to do
    mine, theirs = entries[index], entries[other]
    # Equal positions would swap into the same order: open a gap first.
    mine_to = theirs.position
    theirs_to = mine.position if mine.position != theirs.position else mine.position - step
    if theirs_to < 0:
        mine_to, theirs_to = mine_to + 1, 0
    await featured_service.update_entry(
        session, console.admin, str(mine.id), FeaturedEntryUpdate(position=mine_to)
    )
    await featured_service.update_entry(
        session, console.admin, str(theirs.id), FeaturedEntryUpdate(position=theirs_to)
    )


@router.post("/unggulan/{entry_id}/jadwal", response_class=Response)
async def schedule_entry(
    entry_id: EntryId,
    console: Console,
    transactions: RequestTransactions,
    codec: EntriesCodec,
    csrf_token: CsrfField = "",
    starts_at: When = "",
    ends_at: When = "",
) -> Response:
    """Set when the entry shows (WIB); an empty side leaves that side open."""
    console.check_csrf(csrf_token)
    try:
        body = FeaturedEntryUpdate.model_validate(
            {
                "starts_at": parse_wib(starts_at, "starts_at"),
                "ends_at": parse_wib(ends_at, "ends_at"),
            }
        )
        async with transactions(write=True) as writing:
            await featured_service.update_entry(writing, console.admin, entry_id, body)
    except (AppError, ValidationError) as failure:
        return await _failed(console, transactions, codec, failure, failed_id=entry_id)
    return console.done(LIST_PATH, "featured-scheduled")


@router.get("/unggulan/{entry_id}/hapus", response_class=Response)
async def confirm_removal(
    entry_id: EntryId, console: Console, session: DbSession, codec: EntriesCodec
) -> Response:
    """The confirm step: what will stop showing, and the button that removes it."""
    entry = next((e for e in await _all_entries(session, codec) if str(e.id) == entry_id), None)
    if entry is None:
        return await _page(
            console, session, codec, error=console.t("admin.featured-gone"), status_code=404
        )
    return console.render("featured_remove.html", entry=entry)


@router.post("/unggulan/{entry_id}/hapus", response_class=Response)
async def remove_entry(
    entry_id: EntryId,
    console: Console,
    transactions: RequestTransactions,
    codec: EntriesCodec,
    csrf_token: CsrfField = "",
) -> Response:
    console.check_csrf(csrf_token)
    try:
        async with transactions(write=True) as writing:
            entries = await _all_entries(writing, codec)
            entry = next((e for e in entries if str(e.id) == entry_id), None)
            await featured_service.delete_entry(writing, console.admin, entry_id)
    except AppError as failure:
        return await _failed(console, transactions, codec, failure, failed_id=entry_id)
    assert entry is not None  # delete_entry answered 404 otherwise
    return console.done(
        LIST_PATH,
        "featured-removed",
        name=entry.product.title,
        undo_product=str(entry.product_id),
        undo_position=entry.position,
        undo_starts=wib_input(entry.starts_at),
        undo_ends=wib_input(entry.ends_at),
    )
