"""Request and response bodies of the catalog API."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from marketplace.catalog.models import RegionKind
from marketplace.core.schemas import ReadSchema, Schema, ShortText

CategorySlug = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80),
]


class RegionRead(ReadSchema):
    code: str
    name: str
    kind: RegionKind
    seat: str | None


class CategoryCreate(Schema):
    slug: CategorySlug
    name: ShortText
    name_en: ShortText | None = None
    parent: CategorySlug | None = None


class CategoryRead(ReadSchema):
    slug: str
    name: str
    name_en: str | None
    parent: str | None
