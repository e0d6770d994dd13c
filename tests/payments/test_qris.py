"""QRIS: with the merchant's static QRIS configured, an order paid by QRIS carries a dynamic
QRIS for its exact amount (tag 54, point of initiation 12, CRC16-CCITT recomputed) and an SVG
QR code of it; read back here by a QR decoder and checked with a CRC written independently."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
import qriskit
import segno
import zxingcpp
from fastapi import FastAPI
from httpx import AsyncClient
from PIL import Image

from marketplace.payments import qris
from tests.conftest import make_settings
from tests.desk.statements import generic_statement, matched_of, upload_statement
from tests.factories import (
    confirm_payment,
    http_client,
    open_shop,
    order_body,
    order_line,
    place_order,
    read_guest_order,
    running_app,
)

# A static QRIS as a merchant's sticker holds it (built for the tests; CRC 13FB).
MERCHANT_PAYLOAD = (
    "00020101021126770025ID.CO.BANKSUMSELBABEL.WWW0118936001200000012345021500019500001234503"
    "03UMI51440014ID.CO.QRIS.WWW0215ID10260000123450303UMI5204549953033605802ID5920KOPERASI "
    "PASAR BABEL6013PANGKALPINANG610533111630413FB"
)


def crc16_ccitt(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (polynomial 0x1021, start 0xFFFF), as EMVCo tag 63 uses."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def tags(payload: str) -> dict[str, str]:
    """The top-level EMVCo tags (two-digit id, two-digit length, value)."""
    found, position = {}, 0
    while position < len(payload):
        tag, length = payload[position : position + 2], int(payload[position + 2 : position + 4])
        found[tag] = payload[position + 4 : position + 4 + length]
        position += 4 + length
    return found


def decode_qr(payload: str) -> str:
    """Render the payload as the app draws it (segno, error correction M) to a PNG, and read
    it back with zxing-cpp."""
    buffer = io.BytesIO()
    segno.make_qr(payload, error="m").save(buffer, kind="png", scale=6, border=4)
    buffer.seek(0)
    [barcode] = zxingcpp.read_barcodes(Image.open(buffer))
    return str(barcode.text)


@pytest.fixture
async def qris_app(migrated_database: str, app: FastAPI) -> AsyncIterator[FastAPI]:
    settings = make_settings(migrated_database, qris_merchant_payload=MERCHANT_PAYLOAD)
    async with running_app(settings) as application:
        yield application


@pytest.fixture
async def qris_client(qris_app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with http_client(qris_app) as client:
        yield client


def test_the_static_payload_of_the_tests_is_valid_qris() -> None:
    assert qriskit.validate(MERCHANT_PAYLOAD) == []
    assert crc16_ccitt(MERCHANT_PAYLOAD[:-4].encode()) == 0x13FB


async def test_qris_order_carries_a_dynamic_qris_for_its_exact_amount(
    qris_app: FastAPI, qris_client: AsyncClient
) -> None:
    # given a product and a merchant QRIS configured
    shop = await open_shop(qris_app, qris_client)

    # when a guest orders and pays by QRIS
    placed = await place_order(
        qris_client, order_body(order_line(shop.variant_id, 2), payment_method="qris")
    )

    # then the payment carries a dynamic QRIS for total + unique code
    assert placed.status_code == 201, placed.text
    order = placed.json()
    payment = order["payment"]
    amount = order["total"] + payment["unique_code"]
    assert (payment["method"], payment["amount"]) == ("qris", amount)
    payload = payment["qris"]["payload"]
    # read back from the QR code, it is the same payload
    assert decode_qr(payload) == payload
    fields = tags(payload)
    assert fields["54"] == str(amount)
    assert fields["01"] == "12"  # point of initiation: dynamic
    assert fields["53"] == "360"  # rupiah
    assert fields["63"] == f"{crc16_ccitt(payload[:-4].encode()):04X}"
    assert order["number"] in fields["62"]
    parsed = qriskit.parse(payload, strict=True)
    assert (parsed.amount, parsed.is_dynamic, parsed.merchant_name) == (
        amount,
        True,
        "KOPERASI PASAR BABEL",
    )
    # and its own, shorter expiry (30 minutes)
    created = datetime.fromisoformat(order["created_at"])
    expires = datetime.fromisoformat(order["expires_at"])
    assert timedelta(minutes=29) < expires - created <= timedelta(minutes=30, seconds=5)


async def test_qris_image_is_the_svg_of_the_payload(
    qris_app: FastAPI, qris_client: AsyncClient
) -> None:
    shop = await open_shop(qris_app, qris_client)
    order = (
        await place_order(
            qris_client, order_body(order_line(shop.variant_id, 1), payment_method="qris")
        )
    ).json()
    image_url = order["payment"]["qris"]["image_url"]

    response = await qris_client.get(image_url.removeprefix("http://testserver"))

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.content.startswith(b"<?xml") or response.content.startswith(b"<svg")
    assert response.content == qris.render_svg(order["payment"]["qris"]["payload"])


async def test_qris_is_refused_with_503_when_no_merchant_payload_is_set(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)

    placed = await place_order(
        client, order_body(order_line(shop.variant_id, 1), payment_method="qris")
    )

    assert placed.status_code == 503
    assert placed.json()["type"].endswith("qris-unavailable")


async def test_qris_image_of_a_bank_transfer_or_unknown_payment_is_404(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    placed = (await place_order(client, order_body(order_line(shop.variant_id, 1)))).json()

    transfer = await client.get(f"/api/v1/payments/{placed['payment']['id']}/qris.svg")
    unknown = await client.get("/api/v1/payments/01a2355e-a399-753c-a657-49aa1f2e7dbd/qris.svg")

    assert (transfer.status_code, unknown.status_code) == (404, 404)


def test_a_damaged_merchant_payload_is_refused() -> None:
    damaged = MERCHANT_PAYLOAD[:-4] + "0000"

    with pytest.raises(qris.InvalidMerchantPayload, match="CRC"):
        qris.dynamic_payload(damaged, 10_000, "BB261202-ACDEFG")


async def test_qris_payment_is_confirmed_like_a_transfer_by_statement_or_by_an_admin(
    qris_app: FastAPI, qris_client: AsyncClient
) -> None:
    shop = await open_shop(qris_app, qris_client, stock=5)
    body = order_body(order_line(shop.variant_id, 1), payment_method="qris")
    by_statement = (await place_order(qris_client, body)).json()
    by_admin = (await place_order(qris_client, body)).json()

    statement = await upload_statement(
        qris_client,
        shop.admin,
        generic_statement(
            ("2026-12-02", "QRIS SETTLEMENT", str(by_statement["payment"]["amount"]))
        ),
        apply=True,
    )
    confirmed = await confirm_payment(qris_client, shop.admin, by_admin["payment"]["id"])

    [line] = matched_of(statement)
    assert (line["payment_id"], line["outcome"]) == (by_statement["payment"]["id"], "applied")
    assert confirmed.status_code == 200, confirmed.text
    for order in (by_statement, by_admin):
        seen = await read_guest_order(qris_client, order)
        assert (seen["status"], seen["payment_status"]) == ("processing", "paid")
