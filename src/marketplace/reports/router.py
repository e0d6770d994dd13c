"""/admin/reports/sales, /sellers/{id}/reports/sales and /stats/summary."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from marketplace.accounts.dependencies import AdminUser, CurrentUser
from marketplace.core.errors import problem_responses
from marketplace.core.i18n import current_language
from marketplace.db.session import DbSession
from marketplace.reports import exports, service, suppression
from marketplace.reports.schemas import SalesReportRead, StatsSummaryRead
from marketplace.reports.service import GroupBy, SalesReport
from marketplace.sellers.dependencies import SellerById
from marketplace.sellers.models import MemberRole

router = APIRouter(tags=["reports"])
admin_router = APIRouter(prefix="/admin/reports", tags=["admin", "reports"])


class AdminGroup(StrEnum):
    REGION = "region"
    CATEGORY = "category"
    SELLER_KIND = "seller_kind"
    SELLER = "seller"
    MONTH = "month"
    WEEK = "week"


class SellerGroup(StrEnum):
    MONTH = "month"
    WEEK = "week"
    PRODUCT = "product"


class ReportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


FromParam = Annotated[
    date | None, Query(alias="from", description="First WIB day (default: 11 months back, 1st)")
]
ToParam = Annotated[
    date | None, Query(alias="to", description="Last WIB day, included (default: today)")
]
FormatParam = Annotated[ReportFormat, Query(alias="format")]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOADS: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/csv": {}, XLSX_TYPE: {}},
        "description": "The report (JSON, or a CSV or XLSX download with `format`)",
    }
}


@admin_router.get(
    "/sales",
    response_model=SalesReportRead,
    responses={**DOWNLOADS, **problem_responses(401, 403, 422)},
)
async def admin_sales_report(
    _: AdminUser,
    session: DbSession,
    group_by: AdminGroup = AdminGroup.REGION,
    first: FromParam = None,
    last: ToParam = None,
    response_format: FormatParam = ReportFormat.JSON,
) -> Any:
    """Sales of the whole marketplace per region, category, seller kind, seller, month or
    week: gross by WIB day of payment (cash on delivery: of collection), refunds by day of
    refund."""
    report = await service.sales_report(
        session,
        GroupBy(group_by.value),
        service.date_range(first, last),
        language=current_language.get(),
    )
    return _answer(report, response_format)


@router.get(
    "/sellers/{seller_id}/reports/sales",
    response_model=SalesReportRead,
    responses={**DOWNLOADS, **problem_responses(401, 403, 404, 422)},
)
async def seller_sales_report(
    _: CurrentUser,
    seller_access: SellerById,
    session: DbSession,
    group_by: SellerGroup = SellerGroup.MONTH,
    first: FromParam = None,
    last: ToParam = None,
    response_format: FormatParam = ReportFormat.JSON,
) -> Any:
    """One seller's own sales per month, week or product (members; admins too)."""
    seller = seller_access.require(MemberRole.OWNER, MemberRole.STAFF, admin=True)
    report = await service.sales_report(
        session,
        GroupBy(group_by.value),
        service.date_range(first, last),
        seller_id=seller.id,
        language=current_language.get(),
    )
    return _answer(report, response_format)


@router.get("/stats/summary", response_model=StatsSummaryRead, responses=problem_responses(422))
async def stats_summary(
    response: Response, session: DbSession, first: FromParam = None, last: ToParam = None
) -> StatsSummaryRead:
    """The marketplace's economic figures for anyone: no personal data, and every group with
    fewer than five distinct buyers withheld (with a second group, so that no subtraction
    from the totals reveals it)."""
    summary = await suppression.public_summary(
        session, service.date_range(first, last), current_language.get()
    )
    response.headers["Cache-Control"] = "public, max-age=300"
    return StatsSummaryRead.of(summary, suppression.MIN_BUYERS)


def _answer(report: SalesReport, response_format: ReportFormat) -> Any:
    if response_format is ReportFormat.JSON:
        return SalesReportRead.of(report)
    if response_format is ReportFormat.CSV:
        body, media_type = exports.to_csv(report), "text/csv; charset=utf-8"
    else:
        body, media_type = exports.to_xlsx(report), XLSX_TYPE
    name = exports.file_name(report, response_format.value)
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
