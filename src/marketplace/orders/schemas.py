"""Request and response bodies of the orders API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from marketplace.core.i18n import Language
from marketplace.core.schemas import IndonesianPhone, Schema, ShortText
from marketplace.orders.models import OrderStatus, PaymentStatus, SellerOrderStatus, ShippingMethod
from marketplace.payments.models import PaymentMethod

MAX_LINES = 50
PostalCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{5}$")]
AddressPart = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Street = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300)]
Notes = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
RegionCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{2}\.\d{2}$")]
Quantity = Annotated[int, Field(ge=1, le=999, strict=True)]
TrackingText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class OrderLine(Schema):
    variant_id: uuid.UUID
    quantity: Quantity


class Buyer(Schema):
    name: ShortText
    email: Annotated[EmailStr, Field(max_length=254)]
    phone: IndonesianPhone


class ShippingAddress(Schema):
    recipient: ShortText
    phone: IndonesianPhone
    street: Street
    village: AddressPart
    district: AddressPart
    city: AddressPart
    province: AddressPart
    postal_code: PostalCode
    # Optional: the destination regency's Kemendagri code; otherwise matched from ``city``.
    region_code: RegionCode | None = None


class OrderCreate(Schema):
    items: Annotated[list[OrderLine], Field(min_length=1, max_length=MAX_LINES)]
    buyer: Buyer
    shipping_address: ShippingAddress
    payment_method: PaymentMethod
    shipping_method: ShippingMethod = ShippingMethod.COURIER
    notes: Notes | None = None
    language: Language | None = None


class PaymentAttemptCreate(Schema):
    payment_method: PaymentMethod


class ShipRequest(Schema):
    courier: TrackingText
    tracking_number: TrackingText


class ItemRead(BaseModel):
    variant_id: uuid.UUID
    product_id: uuid.UUID
    title: str
    sku: str | None
    quantity: int
    unit_price: int
    line_total: int
    currency: Literal["IDR"] = "IDR"


class SellerBrief(BaseModel):
    id: uuid.UUID
    name: str


class AddressRead(BaseModel):
    recipient: str
    phone: str
    street: str
    village: str
    district: str
    city: str
    province: str
    postal_code: str
    region_code: str | None


class SellerOrderRead(BaseModel):
    id: uuid.UUID
    order_id: uuid.UUID
    order_number: str
    # ``pickup``: the buyer collects it, there is nothing to send.
    shipping_method: ShippingMethod
    # where the seller sends this part (an app on the API ships from it; the order's address)
    shipping_address: AddressRead
    seller: SellerBrief
    status: SellerOrderStatus
    items: list[ItemRead]
    subtotal: int
    shipping: int
    currency: Literal["IDR"] = "IDR"
    weight_grams: int
    courier: str | None
    tracking_number: str | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime


class QrisRead(BaseModel):
    """A dynamic QRIS for exactly the payment's amount: the payload any QRIS app reads, and
    the same drawn as an SVG QR code."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "payload": "00020101021226...5405670045802ID...6304B4DC",
                    "image_url": "https://pasar.babelprov.go.id/api/v1/payments/"
                    "0193a5c2-7d4e-7b1a-9c3f-2e8d5a6b4c10/qris.svg",
                }
            ]
        }
    )

    payload: str
    image_url: str


class PaymentRead(BaseModel):
    id: uuid.UUID
    method: PaymentMethod
    status: str
    amount: int
    currency: Literal["IDR"] = "IDR"
    client_secret: str | None = None
    instructions: dict[str, Any] | None = None
    # Bank transfer and QRIS: the 1..999 that makes ``amount`` differ from the order total.
    unique_code: int | None = None
    qris: QrisRead | None = None


class BuyerRead(BaseModel):
    name: str
    email: str
    phone: str


class OrderRead(BaseModel):
    id: uuid.UUID
    number: str
    status: OrderStatus
    payment_status: PaymentStatus
    payment_method: PaymentMethod
    shipping_method: ShippingMethod
    currency: Literal["IDR"] = "IDR"
    subtotal: int
    shipping_total: int
    total: int
    expires_at: datetime | None
    access_token: str | None = None
    buyer: BuyerRead
    shipping_address: AddressRead
    notes: str | None
    items: list[ItemRead]
    seller_orders: list[SellerOrderRead]
    payment: PaymentRead | None
    created_at: datetime
    cancelled_at: datetime | None
    completed_at: datetime | None


class OrderBrief(BaseModel):
    """An order in the buyer's list."""

    id: uuid.UUID
    number: str
    status: OrderStatus
    payment_status: PaymentStatus
    total: int
    currency: Literal["IDR"] = "IDR"
    created_at: datetime


class ShippingRateRead(BaseModel):
    region_code: str | None
    max_weight_grams: int
    price: int
    currency: Literal["IDR"] = "IDR"


class ShippingRateWrite(Schema):
    region_code: RegionCode | None
    max_weight_grams: Annotated[int, Field(ge=1, le=100_000, strict=True)]
    price: Annotated[int, Field(ge=0, le=100_000_000, strict=True)]


class ShippingRateTable(Schema):
    rates: Annotated[list[ShippingRateWrite], Field(min_length=1, max_length=500)]
