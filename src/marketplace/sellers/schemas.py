"""Request and response bodies of the sellers API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import EmailStr, Field, StringConstraints

from marketplace.core.i18n import Language
from marketplace.core.schemas import IndonesianPhone, ReadSchema, Schema, ShortText
from marketplace.sellers.models import MemberRole, SellerKind, SellerStatus

RegionCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{2}\.\d{2}$")]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Address = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class SellerCreate(Schema):
    name: ShortText
    kind: SellerKind
    region_code: RegionCode
    description: Description | None = None
    whatsapp: IndonesianPhone | None = None
    address: Address | None = None


class SellerUpdate(Schema):
    name: ShortText | None = None
    kind: SellerKind | None = None
    region_code: RegionCode | None = None
    description: Description | None = None
    whatsapp: IndonesianPhone | None = None
    address: Address | None = None


class SellerRead(ReadSchema):
    id: uuid.UUID
    slug: str
    name: str
    kind: SellerKind
    region_code: str
    description: str | None
    whatsapp: str | None
    address: str | None
    status: SellerStatus
    created_at: datetime


class SellerPrivateRead(SellerRead):
    """What members and admins see: also why the status is what it is."""

    status_reason: str | None
    updated_at: datetime
    # A name change waiting for an admin (verified sellers), not yet public.
    pending_name: str | None = None


class StatusChange(Schema):
    reason: Reason | None = None


class MemberCreate(Schema):
    email: Annotated[EmailStr, Field(max_length=254)]
    role: MemberRole


class InvitationRead(ReadSchema):
    email: str
    role: MemberRole
    status: Literal["invited"] = "invited"


class InvitationAccept(Schema):
    token: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class MemberRead(ReadSchema):
    user_id: uuid.UUID
    email: str
    full_name: str
    role: MemberRole
    language: Language
    created_at: datetime
