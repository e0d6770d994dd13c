"""QRIS (the Indonesian EMVCo merchant-presented QR): the merchant's static payload turned
into a dynamic one for one exact amount, and drawn as an SVG QR code.

qriskit parses and validates the payload and builds the dynamic copy (tag 54 = amount,
tag 01 = "12" point of initiation dynamic, tag 63 = CRC16-CCITT recomputed)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import qriskit

# qriskit and segno are imported where used: only QRIS payments need them, and every worker
# would otherwise carry them.


class InvalidMerchantPayload(ValueError):
    """MARKETPLACE_QRIS_MERCHANT_PAYLOAD is not a valid QRIS string."""


def check_merchant_payload(payload: str) -> None:
    """Raise InvalidMerchantPayload unless ``payload`` parses as QRIS with an intact CRC."""
    _parse(payload)


def _parse(payload: str) -> qriskit.QRIS:
    import qriskit  # noqa: PLC0415

    try:
        return qriskit.parse(payload, strict=True)
    except qriskit.QRISError as error:
        raise InvalidMerchantPayload(str(error)) from error


def dynamic_payload(merchant_payload: str, amount: int, reference: str) -> str:
    """The static merchant payload with the amount (whole rupiah) and the order reference
    (tag 62.01, bill number); a new CRC."""
    import qriskit  # noqa: PLC0415

    static = _parse(merchant_payload)
    try:
        return static.to_dynamic(amount, reference=reference).dumps()
    except qriskit.QRISError as error:
        raise InvalidMerchantPayload(str(error)) from error


def render_svg(payload: str) -> bytes:
    """The payload as an SVG QR code (error correction M, as QRIS stickers use)."""
    import segno  # noqa: PLC0415

    buffer = io.BytesIO()
    segno.make_qr(payload, error="m").save(buffer, kind="svg", scale=8, border=4)
    return buffer.getvalue()
