"""Imports every model so ``Base.metadata`` is complete (Alembic, tests)."""

from marketplace.accounts.models import RefreshToken, User
from marketplace.audit.models import AuditEntry
from marketplace.catalog.models import Category, Region
from marketplace.db.base import Base
from marketplace.sellers.models import Seller, SellerMember

__all__ = [
    "AuditEntry",
    "Base",
    "Category",
    "RefreshToken",
    "Region",
    "Seller",
    "SellerMember",
    "User",
]
