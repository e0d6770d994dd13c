"""Report shapes: the admin's and seller's sales reports and the public summary."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from marketplace.reports.service import Figures, SalesReport
from marketplace.reports.suppression import PublicCell, PublicSummary


class FiguresRead(BaseModel):
    key: str
    label: str
    orders: int = Field(description="Seller-orders whose goods were paid (COD: cash collected)")
    units: int
    gross: int = Field(description="Paid goods in rupiah (no shipping), by WIB day of payment")
    refunds: int = Field(description="Refunded goods in rupiah, by WIB day of the refund")
    net: int
    buyers: int = Field(description="Distinct buyers (by e-mail)")
    sellers: int = Field(description="Sellers with at least one sale")
    average_order_value: int
    buyers_outside_province: int
    outside_province_share: float
    currency: Literal["IDR"] = "IDR"

    @classmethod
    def of(cls, row: Figures) -> FiguresRead:
        return cls(
            key=row.key,
            label=row.label,
            orders=row.orders,
            units=row.units,
            gross=row.gross,
            refunds=row.refunds,
            net=row.net,
            buyers=row.buyers,
            sellers=row.sellers,
            average_order_value=row.average_order_value,
            buyers_outside_province=row.buyers_outside_province,
            outside_province_share=row.outside_province_share,
        )


class SalesReportRead(BaseModel):
    group_by: str
    from_: date = Field(serialization_alias="from")
    to: date
    currency: Literal["IDR"] = "IDR"
    items: list[FiguresRead]
    totals: FiguresRead
    new_sellers: int
    new_products: int
    top_products: list[FiguresRead]

    @classmethod
    def of(cls, report: SalesReport) -> SalesReportRead:
        return cls(
            group_by=report.group_by.value,
            from_=report.period.first,
            to=report.period.last,
            items=[FiguresRead.of(row) for row in report.items],
            totals=FiguresRead.of(report.totals),
            new_sellers=report.new_sellers,
            new_products=report.new_products,
            top_products=[FiguresRead.of(row) for row in report.top_products],
        )


class PublicFigures(BaseModel):
    orders: int
    units: int
    gross: int
    refunds: int
    net: int
    buyers: int
    sellers: int
    average_order_value: int
    outside_province_share: float
    currency: Literal["IDR"] = "IDR"

    @classmethod
    def of(cls, row: Figures) -> PublicFigures:
        return cls(
            orders=row.orders,
            units=row.units,
            gross=row.gross,
            refunds=row.refunds,
            net=row.net,
            buyers=row.buyers,
            sellers=row.sellers,
            average_order_value=row.average_order_value,
            outside_province_share=row.outside_province_share,
        )


class PublicCellRead(BaseModel):
    key: str
    label: str
    suppressed: bool = Field(description="Withheld: too few buyers to show without revealing")
    figures: PublicFigures | None

    @classmethod
    def of(cls, cell: PublicCell) -> PublicCellRead:
        figures = PublicFigures.of(cell.figures) if cell.figures is not None else None
        return cls(key=cell.key, label=cell.label, suppressed=figures is None, figures=figures)


class PublicProduct(BaseModel):
    product_id: str
    title: str
    units: int


class StatsSummaryRead(BaseModel):
    from_: date = Field(serialization_alias="from")
    to: date
    currency: Literal["IDR"] = "IDR"
    minimum_buyers: int = Field(description="Groups with fewer distinct buyers are withheld")
    totals: PublicFigures | None
    new_sellers: int
    new_products: int
    by_region: list[PublicCellRead]
    by_seller_kind: list[PublicCellRead]
    by_category: list[PublicCellRead]
    by_month: list[PublicCellRead]
    top_products: list[PublicProduct]

    @classmethod
    def of(cls, summary: PublicSummary, minimum_buyers: int) -> StatsSummaryRead:
        def table(name: str) -> list[PublicCellRead]:
            return [
                PublicCellRead.of(cell)
                for group, cells in summary.tables.items()
                if group.value == name
                for cell in cells
            ]

        return cls(
            from_=summary.period.first,
            to=summary.period.last,
            minimum_buyers=minimum_buyers,
            totals=PublicFigures.of(summary.totals) if summary.totals else None,
            new_sellers=summary.new_sellers,
            new_products=summary.new_products,
            by_region=table("region"),
            by_seller_kind=table("seller_kind"),
            by_category=table("category"),
            by_month=table("month"),
            top_products=[
                PublicProduct(product_id=row.key, title=row.label, units=row.units)
                for row in summary.top_products
            ],
        )
