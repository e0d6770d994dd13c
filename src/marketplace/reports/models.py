"""The economic reports' read model: narrow sale and refund facts, rollups of them by ISO week
and month, and the sweep's watermark. Everything here is derived from orders, payments and
refunds and can be rebuilt from them (``marketplace rebuild-reports``)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db.base import Base, enum_column_type
from marketplace.orders.models import Order, SellerOrder
from marketplace.payments.models import Refund


class FactKind(StrEnum):
    SALE = "sale"
    REFUND = "refund"


class Grain(StrEnum):
    """Rollup periods. Quarters and years are sums and unions of months, kept only
    marketplace-wide and in buyer sets, so that a year's report reads a few rows and sets
    instead of twelve of each. Days are kept marketplace-wide (sums and buyer sets) and per
    seller as a whole (sums and buyer sets): the single days at a range's edges then read a
    few rows per member instead of each day's thousands of facts; a product's edge days (a
    fact or two each) are read from the facts."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


FINE_GRAINS = (Grain.WEEK, Grain.MONTH)
# The marketplace-wide rollups and buyer sets summed from the facts; the per-seller rollups
# (days only of the seller as a whole).
MARKET_FINE_GRAINS = (Grain.DAY, *FINE_GRAINS)
COARSE_GRAINS = (Grain.QUARTER, Grain.YEAR)


class Dimension(StrEnum):
    """What one rollup row is about, within one seller: the seller as a whole, one of its
    categories, or one of its products (orders are counted once per row, so never summed
    across categories or products)."""

    SELLER = "seller"
    CATEGORY = "category"
    PRODUCT = "product"


SELLER_GRAINS = MARKET_FINE_GRAINS
# A seller's days are kept whole only: a category's or product's day is a fact or two.
SELLER_DAY_DIMENSIONS = (Dimension.SELLER,)


class ReportFact(Base):
    """What one seller-order did to one product's figures on one WIB day: its sale (when paid,
    or when cash on delivery was collected) or its refund (when refunded)."""

    __tablename__ = "report_facts"
    __table_args__ = (
        Index("ix_report_facts_day_kind", "day", "kind"),
        Index("ix_report_facts_seller_day", "seller_id", "day"),
    )

    seller_order_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[FactKind] = mapped_column(enum_column_type(FactKind), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    week_start: Mapped[date]
    month_start: Mapped[date]
    seller_id: Mapped[uuid.UUID]
    region_code: Mapped[str] = mapped_column(String(13))
    seller_kind: Mapped[str] = mapped_column(String(32))
    category_id: Mapped[uuid.UUID]
    units: Mapped[int] = mapped_column(Integer)
    gross: Mapped[int] = mapped_column(BigInteger)
    refunds: Mapped[int] = mapped_column(BigInteger)
    # The buyer's e-mail, lowercased: distinct buyers are counted from these rows (never summed).
    buyer_key: Mapped[str] = mapped_column(String(254))
    # The buyer's numbers (report_buyers, report_seller_buyers): the bits of the buyer sets.
    buyer_number: Mapped[int] = mapped_column(Integer)
    seller_buyer_number: Mapped[int] = mapped_column(Integer)
    outside_province: Mapped[bool] = mapped_column(Boolean)


class ReportRollup(Base):
    """Sums of the facts for one period of one grain, per seller and dimension member."""

    __tablename__ = "report_rollups"
    __table_args__ = (
        Index("ix_report_rollups_lookup", "dimension", "grain", "period"),
        Index("ix_report_rollups_seller", "seller_id", "dimension", "grain", "period"),
    )

    grain: Mapped[Grain] = mapped_column(enum_column_type(Grain), primary_key=True)
    period: Mapped[date] = mapped_column(primary_key=True)
    dimension: Mapped[Dimension] = mapped_column(enum_column_type(Dimension), primary_key=True)
    seller_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    # The category or product; the seller's own id on seller rows.
    member_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    week_start: Mapped[date]
    month_start: Mapped[date]
    region_code: Mapped[str] = mapped_column(String(13))
    seller_kind: Mapped[str] = mapped_column(String(32))
    orders: Mapped[int] = mapped_column(Integer)
    units: Mapped[int] = mapped_column(BigInteger)
    gross: Mapped[int] = mapped_column(BigInteger)
    refunds: Mapped[int] = mapped_column(BigInteger)


class MarketDimension(StrEnum):
    """What one marketplace-wide rollup row is about: the whole marketplace, or one regency,
    seller kind, category or product (summed over every seller)."""

    TOTAL = "total"
    REGION = "region"
    SELLER_KIND = "seller_kind"
    CATEGORY = "category"
    PRODUCT = "product"


# A set of numbers as bits: a bit string on PostgreSQL, where the sets are combined with bit_or
# and counted with bit_count; SQLite keeps none (it counts distinct buyers and sellers from the
# facts and the per-seller rollups).
BITS = LargeBinary().with_variant(postgresql.BIT(varying=True), "postgresql")


class ReportMarketRollup(Base):
    """The per-seller rollups summed over every seller, for the admin's and the public's
    groupings: a year's report by regency reads a few dozen rows, not every seller's."""

    __tablename__ = "report_market_rollups"
    # Each period's products by gross: the top products' leaders are an index walk.
    __table_args__ = (
        Index("ix_report_market_rollups_gross", "grain", "dimension", "period", "gross"),
    )

    grain: Mapped[Grain] = mapped_column(enum_column_type(Grain), primary_key=True)
    dimension: Mapped[MarketDimension] = mapped_column(
        enum_column_type(MarketDimension), primary_key=True
    )
    period: Mapped[date] = mapped_column(primary_key=True)
    # The regency code, seller kind, category or product id as text; '' for the total.
    member: Mapped[str] = mapped_column(String(64), primary_key=True)
    week_start: Mapped[date]
    month_start: Mapped[date]
    orders: Mapped[int] = mapped_column(Integer)
    units: Mapped[int] = mapped_column(BigInteger)
    gross: Mapped[int] = mapped_column(BigInteger)
    refunds: Mapped[int] = mapped_column(BigInteger)
    # The sellers that sold (bit n: seller number n, report_sellers); PostgreSQL only.
    sellers: Mapped[bytes | None] = mapped_column(BITS)


class ReportSeller(Base):
    """A seller's number in the rollups' seller sets: given once, never changed."""

    __tablename__ = "report_sellers"

    ordinal: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seller_id: Mapped[uuid.UUID] = mapped_column(unique=True)


class BuyerScope(StrEnum):
    """What one buyer set is about. The first four number buyers across the marketplace
    (``report_buyers``); a seller's and its products' sets number them among that seller's own
    buyers (``report_seller_buyers``), so they stay as small as its clientele."""

    TOTAL = "total"
    REGION = "region"
    SELLER_KIND = "seller_kind"
    CATEGORY = "category"
    SELLER = "seller"
    PRODUCT = "product"


class ReportBuyer(Base):
    """A buyer's number in the marketplace-wide buyer sets: given once, never changed."""

    __tablename__ = "report_buyers"

    ordinal: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    buyer_key: Mapped[str] = mapped_column(String(254), unique=True)


class ReportSellerBuyer(Base):
    """A buyer's number among one seller's buyers (1, 2, ...): given once, never changed."""

    __tablename__ = "report_seller_buyers"
    __table_args__ = (UniqueConstraint("seller_id", "ordinal"),)

    seller_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    buyer_ordinal: Mapped[int] = mapped_column(Integer, primary_key=True)
    ordinal: Mapped[int] = mapped_column(Integer)


class ReportBuyerSet(Base):
    """The buyers (bit n set: buyer number n bought) of one period of one grain, for one scope
    member, and those of them who shipped outside the province: exact distinct buyers over any
    range are the count of the union of the covering sets."""

    __tablename__ = "report_buyer_sets"
    __table_args__ = (
        Index("ix_report_buyer_sets_seller", "seller_id", "scope", "grain", "period"),
    )

    grain: Mapped[Grain] = mapped_column(enum_column_type(Grain), primary_key=True)
    period: Mapped[date] = mapped_column(primary_key=True)
    scope: Mapped[BuyerScope] = mapped_column(enum_column_type(BuyerScope), primary_key=True)
    # The region code, seller kind, or category, seller or product id as text; '' for the total.
    member: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The seller whose numbering the set uses (seller and product scopes).
    seller_id: Mapped[uuid.UUID | None]
    week_start: Mapped[date]
    month_start: Mapped[date]
    buyers: Mapped[bytes] = mapped_column(BITS)
    outside_province: Mapped[bytes | None] = mapped_column(BITS)


class ReportWatermark(Base):
    """How far the sweep has read the source tables; one row."""

    __tablename__ = "report_watermarks"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    swept_until: Mapped[datetime]
    version: Mapped[int] = mapped_column(BigInteger)
    # Set when the row is made: cached answers of an earlier database (a restore, a test's
    # emptied tables) never match a version of this one.
    epoch: Mapped[str] = mapped_column(String(32))


class ReportPublicSummary(Base):
    """The public summary's figures for its default range (the twelve months up to the day
    it was written), before names and withholding: written by the sweep and the rebuild in
    the transaction that changes the figures, so a request reads one row instead of counting
    buyers."""

    __tablename__ = "report_public_summaries"

    first_day: Mapped[date] = mapped_column(primary_key=True)
    last_day: Mapped[date] = mapped_column(primary_key=True)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)


# The sweep's change feed reads these columns of other domains' tables by range.
Index("ix_orders_updated_at", Order.updated_at)
Index("ix_seller_orders_updated_at", SellerOrder.updated_at)
Index("ix_refunds_created_at", Refund.created_at)
