"""Catalog reference data: regions (Kemendagri codes) and the category tree."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db.base import Base, IdMixin, TimestampMixin, enum_column_type


class RegionKind(StrEnum):
    REGENCY = "regency"
    CITY = "city"


class Region(Base):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(13), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[RegionKind] = mapped_column(enum_column_type(RegionKind))
    seat: Mapped[str | None] = mapped_column(String(120))


class Category(IdMixin, TimestampMixin, Base):
    __tablename__ = "categories"

    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(120))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("categories.id", ondelete="RESTRICT"), index=True
    )
