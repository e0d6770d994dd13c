"""Admin console, what happened: sales reports (the stats widget's server-drawn charts: bars
per regency, a line per month; the full figures, nothing withheld, with CSV/XLSX downloads)
and the audit log of admin actions with filters."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from marketplace.accounts import service as accounts_service
from marketplace.audit import service as audit_service
from marketplace.catalog import service as catalog_service
from marketplace.consoles.admin_access import Admin, admin_router, page_problem
from marketplace.consoles.web import describe_problem
from marketplace.core.dependencies import cursor_codec
from marketplace.core.errors import AppError
from marketplace.core.formatting import format_rupiah
from marketplace.core.i18n import Language, gettext
from marketplace.core.pagination import CursorCodec
from marketplace.db.session import DbSession
from marketplace.reports import charts, exports
from marketplace.reports import service as reports_service
from marketplace.reports.periods import month_label, next_month
from marketplace.reports.service import ADMIN_GROUPS, DateRange, GroupBy, SalesReport

router = admin_router()
AuditCodec = Annotated[CursorCodec, Depends(cursor_codec("audit"))]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REGION_PREFIXES = ("Kabupaten ", "Kota ")
AUDIT_TARGETS = (
    "seller",
    "product",
    "payment",
    "order",
    "seller_order",
    "complaint",
    "featured_entry",
    "review",
    "category",
    "shipping_rates",
)


def _day(raw: str, name: str) -> date | None:
    """A ``YYYY-MM-DD`` day, or None when empty; a 422 naming the field otherwise."""
    text = raw.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise page_problem(
            name, gettext("Write the date as YYYY-MM-DD (for example 2026-12-01).")
        ) from error


def _period(first: str, last: str) -> DateRange:
    """The asked WIB days; by default the last twelve months (the reports' own rule)."""
    return reports_service.date_range(_day(first, "from"), _day(last, "to"))


async def _region_bars(session: AsyncSession, report: SalesReport) -> charts.BarChart:
    """Every regency of the province, those without sales at Rp 0, largest first."""
    by_code = {row.key: row.gross for row in report.items}
    rows: list[tuple[str, int | None, str]] = []
    for region in await catalog_service.list_regions(session):
        name = region.name
        for prefix in REGION_PREFIXES:
            name = name.removeprefix(prefix)
        gross = by_code.get(region.code, 0)
        rows.append((name, gross, format_rupiah(gross)))
    rows.sort(key=lambda row: (-(row[1] or 0), row[0]))
    return charts.bar_chart(rows)


def _month_line(report: SalesReport, language: Language) -> charts.LineChart:
    by_month = {row.key: row.gross for row in report.items}
    values: list[tuple[str, int | None, str]] = []
    month = report.period.first.replace(day=1)
    while month <= report.period.last:
        gross = by_month.get(month.isoformat(), 0)
        # the month alone under the line ("Jan", not "Jan 26"): twelve fit a phone's width
        label = month_label(month, language, short=True).split()[0]
        values.append((label, gross, format_rupiah(gross)))
        month = next_month(month)
    top = max((value or 0 for _, value, _ in values), default=0)
    return charts.line_chart(values, format_rupiah(top))


def _problem_text(problem: AppError, language: Language) -> str:
    """The first field's own message (the reports service names the bad date), else the
    problem's sentence."""
    if problem.errors:
        return str(problem.errors[0].get("msg", ""))
    return describe_problem(problem, language)[0]


@router.get("/laporan", response_class=Response)
async def reports_page(
    console: Admin,
    session: DbSession,
    group_by: Annotated[str, Query(max_length=20)] = "category",
    first: Annotated[str, Query(alias="from", max_length=10)] = "",
    last: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> Response:
    groups = [g.value for g in ADMIN_GROUPS]
    chosen = GroupBy(group_by) if group_by in groups else GroupBy.CATEGORY
    language = console.language
    try:
        period = _period(first, last)
    except AppError as failure:
        period = reports_service.date_range(None, None)
        error: str | None = _problem_text(failure, language)
    else:
        error = None
    by_region = await reports_service.sales_report(
        session, GroupBy.REGION, period, language=language
    )
    by_month = await reports_service.sales_report(session, GroupBy.MONTH, period, language=language)
    table = await reports_service.sales_report(session, chosen, period, language=language)
    return console.render(
        "admin/reports.html",
        here="reports",
        status_code=422 if error else 200,
        error=error,
        groups=groups,
        chosen=chosen.value,
        period=period,
        regions=await _region_bars(session, by_region),
        months=_month_line(by_month, language),
        width=charts.WIDTH,
        table=table,
    )


@router.get("/laporan/unduh", response_class=Response)
async def download_report(
    console: Admin,
    session: DbSession,
    group_by: Annotated[str, Query(max_length=20)] = "category",
    first: Annotated[str, Query(alias="from", max_length=10)] = "",
    last: Annotated[str, Query(alias="to", max_length=10)] = "",
    file_format: Annotated[str, Query(alias="format", max_length=5)] = "csv",
) -> Response:
    """The same figures as a spreadsheet (CSV or XLSX), as the API's report downloads."""
    chosen = GroupBy(group_by) if group_by in [g.value for g in ADMIN_GROUPS] else GroupBy.CATEGORY
    period = _period(first, last)  # a bad date: the problem page, in words
    report = await reports_service.sales_report(session, chosen, period, language=console.language)
    extension = "xlsx" if file_format == "xlsx" else "csv"
    body = exports.to_xlsx(report) if extension == "xlsx" else exports.to_csv(report)
    media_type = XLSX_TYPE if extension == "xlsx" else "text/csv; charset=utf-8"
    name = exports.file_name(chosen, period, extension)
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/audit", response_class=Response)
async def audit_page(
    console: Admin,
    session: DbSession,
    codec: AuditCodec,
    target_type: Annotated[str, Query(max_length=32)] = "",
    target_id: Annotated[str, Query(max_length=100)] = "",
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    """Admin actions, newest first; filter by what they touched (a kind, one id)."""
    kind = target_type.strip() or None
    target = target_id.replace("\x00", "").strip() or None
    try:
        page = await audit_service.list_audit_entries(
            session, codec, limit=30, cursor=cursor, target_type=kind, target_id=target
        )
    except AppError:
        page = await audit_service.list_audit_entries(
            session, codec, limit=30, cursor=None, target_type=kind, target_id=target
        )
    actors = {}
    for actor_id in {entry.actor_id for entry in page.items if entry.actor_id}:
        user = await accounts_service.get_active_user(session, actor_id)
        actors[actor_id] = user.email if user else str(actor_id)
    return console.render(
        "admin/audit.html",
        actors=actors,
        here="audit",
        entries=page.items,
        next_cursor=page.next_cursor,
        targets=AUDIT_TARGETS,
        target_type=kind or "",
        target_id=target or "",
    )
