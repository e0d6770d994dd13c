"""/admin/reports/sales, /sellers/{id}/reports/sales and /stats/summary."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.dependencies import AdminUser, CurrentUser
from marketplace.catalog.dependencies import Cache, Versions
from marketplace.core.cache import ResponseCache, VersionMemo
from marketplace.core.errors import problem_responses
from marketplace.core.i18n import current_language
from marketplace.db.session import DbSession
from marketplace.reports import answers, exports, service, suppression
from marketplace.reports.schemas import SalesReportRead, StatsSummaryRead
from marketplace.reports.service import GroupBy
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
    cache: Cache,
    versions: Versions,
    group_by: AdminGroup = AdminGroup.REGION,
    first: FromParam = None,
    last: ToParam = None,
    response_format: FormatParam = ReportFormat.JSON,
) -> Response:
    """Sales of the whole marketplace per region, category, seller kind, seller, month or
    week: gross by WIB day of payment (cash on delivery: of collection), refunds by day of
    refund."""
    query = ReportQuery(GroupBy(group_by.value), service.date_range(first, last), None)
    return await _answer(session, cache, versions, query, response_format)


@router.get(
    "/sellers/{seller_id}/reports/sales",
    response_model=SalesReportRead,
    responses={**DOWNLOADS, **problem_responses(401, 403, 404, 422)},
)
async def seller_sales_report(
    _: CurrentUser,
    seller_access: SellerById,
    session: DbSession,
    cache: Cache,
    versions: Versions,
    group_by: SellerGroup = SellerGroup.MONTH,
    first: FromParam = None,
    last: ToParam = None,
    response_format: FormatParam = ReportFormat.JSON,
) -> Response:
    """One seller's own sales per month, week or product (members; admins too)."""
    seller = seller_access.require(MemberRole.OWNER, MemberRole.STAFF, admin=True)
    query = ReportQuery(GroupBy(group_by.value), service.date_range(first, last), seller.id)
    return await _answer(session, cache, versions, query, response_format)


@router.get("/stats/summary", response_model=StatsSummaryRead, responses=problem_responses(422))
async def stats_summary(
    session: DbSession,
    cache: Cache,
    versions: Versions,
    first: FromParam = None,
    last: ToParam = None,
) -> Response:
    """The marketplace's economic figures for anyone: no personal data, and every group with
    fewer than five distinct buyers withheld (with a second group, so that no subtraction
    from the totals reveals it)."""
    period = service.date_range(first, last)
    language = current_language.get()

    async def build() -> bytes:
        summary = await suppression.public_summary(session, period, language)
        return (
            StatsSummaryRead.of(summary, suppression.MIN_BUYERS)
            .model_dump_json(by_alias=True)
            .encode()
        )

    key = f"summary:{period.first}:{period.last}:{language}"
    body = await answers.cached_answer(session, cache, versions, key, build)
    return Response(
        body, media_type="application/json", headers={"Cache-Control": "public, max-age=300"}
    )


@dataclass(frozen=True)
class ReportQuery:
    group_by: GroupBy
    period: service.DateRange
    seller_id: uuid.UUID | None


async def _answer(
    session: AsyncSession,
    cache: ResponseCache,
    versions: VersionMemo,
    query: ReportQuery,
    response_format: ReportFormat,
) -> Response:
    language = current_language.get()

    async def build() -> bytes:
        report = await service.sales_report(
            session, query.group_by, query.period, seller_id=query.seller_id, language=language
        )
        if response_format is ReportFormat.CSV:
            return exports.to_csv(report)
        if response_format is ReportFormat.XLSX:
            return exports.to_xlsx(report)
        return SalesReportRead.of(report).model_dump_json(by_alias=True).encode()

    key = (
        f"sales:{query.seller_id}:{query.group_by}:{query.period.first}:{query.period.last}:"
        f"{response_format}:{language}"
    )
    body = await answers.cached_answer(session, cache, versions, key, build)
    if response_format is ReportFormat.JSON:
        return Response(body, media_type="application/json")
    media_type = "text/csv; charset=utf-8" if response_format is ReportFormat.CSV else XLSX_TYPE
    name = exports.file_name(query.group_by, query.period, response_format.value)
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
