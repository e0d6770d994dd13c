"""Imports every model so ``Base.metadata`` is complete (Alembic, tests)."""

from marketplace.accounts.models import AccountToken, RefreshToken, SignIn, User
from marketplace.audit.models import AuditEntry
from marketplace.catalog.models import Category, Region
from marketplace.complaints.models import Complaint
from marketplace.db.base import Base
from marketplace.featured.models import FeaturedEntry
from marketplace.moderation.models import ModerationItem
from marketplace.notifications.models import OutboxEmail
from marketplace.orders.models import (
    IdempotencyRecord,
    Order,
    OrderItem,
    SellerOrder,
    ShippingRate,
)
from marketplace.payments.models import (
    LedgerEntry,
    Payment,
    PaymentAnomaly,
    PaymentProof,
    PayoutAccount,
    PlatformLedgerEntry,
    Refund,
    SellerOrderSettlement,
    StatementLine,
    StripeEvent,
    TransferCode,
)
from marketplace.reports.models import (
    ReportBuyer,
    ReportBuyerSet,
    ReportFact,
    ReportRollup,
    ReportSellerBuyer,
    ReportWatermark,
)
from marketplace.reviews.models import Review, ReviewPhoto
from marketplace.sellers.models import Seller, SellerInvitation, SellerMember

__all__ = [
    "Complaint",
    "PayoutAccount",
    "SellerOrderSettlement",
    "IdempotencyRecord",
    "Order",
    "OrderItem",
    "OutboxEmail",
    "LedgerEntry",
    "Payment",
    "PaymentAnomaly",
    "Refund",
    "StripeEvent",
    "SellerOrder",
    "ShippingRate",
    "AuditEntry",
    "Base",
    "Category",
    "FeaturedEntry",
    "RefreshToken",
    "Region",
    "Seller",
    "SellerMember",
    "User",
    "AccountToken",
    "SignIn",
    "SellerInvitation",
    "PaymentProof",
    "PlatformLedgerEntry",
    "StatementLine",
    "TransferCode",
    "ModerationItem",
    "Review",
    "ReviewPhoto",
    "ReportFact",
    "ReportRollup",
    "ReportWatermark",
    "ReportBuyer",
    "ReportSellerBuyer",
    "ReportBuyerSet",
]
