"""Sellers (a KIM, an UMKM or a cooperative) and the users who act for them."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db.base import Base, IdMixin, TimestampMixin, enum_column_type


class SellerKind(StrEnum):
    COMMUNITY_GROUP = "community_group"
    UMKM = "umkm"
    COOPERATIVE = "cooperative"


class SellerStatus(StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


class MemberRole(StrEnum):
    OWNER = "owner"
    STAFF = "staff"


class Seller(IdMixin, TimestampMixin, Base):
    __tablename__ = "sellers"
    __table_args__ = (
        Index("ix_sellers_status_name", "status", "name", "id"),
        Index("ix_sellers_updated_at", "updated_at"),
    )

    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[SellerKind] = mapped_column(enum_column_type(SellerKind))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    whatsapp: Mapped[str | None] = mapped_column(String(24))
    address: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[SellerStatus] = mapped_column(
        enum_column_type(SellerStatus), default=SellerStatus.PENDING
    )
    status_reason: Mapped[str | None] = mapped_column(Text)


class SellerMember(IdMixin, TimestampMixin, Base):
    __tablename__ = "seller_members"
    __table_args__ = (UniqueConstraint("seller_id", "user_id"),)

    seller_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[MemberRole] = mapped_column(enum_column_type(MemberRole))


class SellerInvitation(IdMixin, TimestampMixin, Base):
    """An owner's invitation to an e-mail address; the person joins by accepting it while
    signed in with that address. Only the token's SHA-256 digest is stored."""

    __tablename__ = "seller_invitations"

    seller_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("sellers.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    email_normalized: Mapped[str] = mapped_column(String(254))
    role: Mapped[MemberRole] = mapped_column(enum_column_type(MemberRole))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
