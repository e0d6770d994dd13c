"""The seller console's import: a CSV or XLSX file (as the export writes it) creates and
updates products; the page shows what was made and each refused row with its reasons. The
upload shows its progress (the console's upload script) and works without it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from starlette.responses import Response

from marketplace.catalog import csv_transfer, product_export
from marketplace.consoles.exceptions import NoFileChosen
from marketplace.consoles.seller_access import Desk, FormDesk
from marketplace.consoles.web import ConsoleRoute
from marketplace.core.errors import AppError
from marketplace.db.session import DbSession

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)


@router.get("/penjual/{seller_id}/impor")
async def import_page(desk: Desk) -> Response:
    return desk.console.render(
        "seller/import.html", desk=desk, here="import", upload_script=True, report=None
    )


@router.get("/penjual/{seller_id}/impor/produk.csv")
async def export_csv(desk: Desk, session: DbSession) -> Response:
    """The seller's products as the import reads them: the starting point for a bulk edit."""
    text = await product_export.export_products_csv(session, desk.seller.id)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="produk.csv"',
            "Cache-Control": "private, no-store",
        },
    )


@router.post("/penjual/{seller_id}/impor")
async def run_import(
    desk: FormDesk, session: DbSession, file: Annotated[UploadFile | None, File()] = None
) -> Response:
    try:
        if file is None or not file.filename:
            raise NoFileChosen()
        raw = await file.read(csv_transfer.MAX_UPLOAD_BYTES + 1)
        report = await csv_transfer.import_products_upload(
            session,
            desk.seller,
            raw,
            file.content_type,
            file.filename,
            desk.console.settings.listing_review,
        )
    except AppError as problem:
        raise desk.console.form_failed(
            "seller/import.html",
            problem,
            desk=desk,
            here="import",
            upload_script=True,
            report=None,
        ) from problem
    return desk.console.render(
        "seller/import.html", desk=desk, here="import", upload_script=True, report=report
    )
