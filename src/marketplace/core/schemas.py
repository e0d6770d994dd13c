"""Pydantic building blocks shared by every domain's schemas."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from marketplace.core.errors import InvalidInput
from marketplace.core.i18n import gettext
from marketplace.core.phone import normalize_indonesian_phone

ItemT = TypeVar("ItemT")


class Schema(BaseModel):
    """Request bodies: unknown fields are refused so typos do not pass silently, and text
    with NUL characters (which PostgreSQL cannot store) is refused before it reaches SQL."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_nul(cls, value: object) -> object:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError(gettext("text must not contain NUL characters"))
        return value


class ReadSchema(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    next_cursor: str | None = None


IndonesianPhone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=6, max_length=24),
    AfterValidator(normalize_indonesian_phone),
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Limit = Annotated[int, Field(ge=1, le=100)]


def set_fields(data: BaseModel, *, not_null: tuple[str, ...]) -> dict[str, Any]:
    """The fields a partial update (PATCH) sent; a 422 when one of ``not_null`` is sent as
    null (leaving a field out keeps it, sending null would erase something required)."""
    changes = data.model_dump(exclude_unset=True)
    for field in not_null:
        if field in changes and changes[field] is None:
            raise InvalidInput.for_field(
                ["body", field], f"'{field}' cannot be null", "null_not_allowed"
            )
    return changes
