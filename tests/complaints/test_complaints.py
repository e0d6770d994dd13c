"""Complaints: the buyer (signed in, or a guest with the order token) complains about a
shipped or delivered seller-order not yet settled; the money stays held; the seller sees and
answers; an admin resolves it with a refund, a partial refund or a release, audited, and both
sides are e-mailed in their own language."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.payments.models import RefundStatus
from tests.factories import (
    Shop,
    add_member,
    audit_entries,
    create_account,
    guest_headers,
    open_shop,
    order_body,
    order_line,
    placed_order,
)
from tests.payments import records
from tests.payments.escrow_steps import (
    buyer_confirms,
    cod_order,
    complain,
    paid_transfer_order,
    part_of,
    resolve,
    seller_delivers,
    shipped,
    sweep,
)

Sessionmaker = async_sessionmaker[AsyncSession]
TOTAL = 122_000
COMMISSION = 5_500
NET = TOTAL - COMMISSION


async def _complained(
    client: AsyncClient, shop: Shop, *, language: str | None = None
) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """A paid, shipped transfer order and the guest's complaint about it."""
    fields: dict[str, Any] = {} if language is None else {"language": language}
    order = await paid_transfer_order(client, shop, 2, **fields)
    part_id = await shipped(client, shop, order)
    response = await complain(client, part_id, guest_headers(order))
    assert response.status_code == 201, response.text
    return order, part_id, response.json()


async def test_guest_complains_with_the_order_token_and_the_money_stays_held(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a paid, shipped order
    shop = await open_shop(app, client)
    order = await paid_transfer_order(client, shop)
    part_id = await shipped(client, shop, order)

    # when the guest complains with the order token
    response = await complain(client, part_id, guest_headers(order), reason="not_received")

    # then the complaint is open and the seller's money is still pending
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["status"], body["reason"], body["seller_order_id"]) == (
        "open",
        "not_received",
        part_id,
    )
    assert body["description"] == "Dua bungkus lada sobek dan basah."
    assert await records.balances_of(client, shop.owner, shop.seller_id) == {
        "pending": NET,
        "available": 0,
        "paid_out": 0,
    }


async def test_signed_in_buyer_complains_with_a_bearer_token(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    buyer = await create_account(client)
    order = await placed_order(
        client,
        order_body(order_line(shop.variant_id, 1), payment_method="cod"),
        headers=buyer.headers,
    )
    part_id = await shipped(client, shop, order)

    response = await complain(client, part_id, buyer.headers, reason="other")

    assert response.status_code == 201, response.text
    listed = await client.get(f"/api/v1/seller-orders/{part_id}/complaints", headers=buyer.headers)
    assert [c["id"] for c in listed.json()] == [response.json()["id"]]


async def test_complaint_on_someone_elses_order_is_404_and_for_the_seller_403(
    app: FastAPI, client: AsyncClient
) -> None:
    # given a shipped order of a guest, and a stranger
    shop = await open_shop(app, client)
    order = await paid_transfer_order(client, shop)
    part_id = await shipped(client, shop, order)
    stranger = await create_account(client)
    another = await paid_transfer_order(client, shop, quantity=1)

    # when the stranger, someone with another order's token, an unknown id and the seller try
    by_stranger = await complain(client, part_id, stranger.headers)
    by_wrong_token = await complain(client, part_id, guest_headers(another))
    unknown = await complain(client, "0190f0e0-0000-7000-8000-000000000000", stranger.headers)
    not_an_id = await complain(client, "nope", stranger.headers)
    by_seller = await complain(client, part_id, shop.owner.headers)

    # then they cannot tell it exists, and the seller may see it but not complain
    for response in (by_stranger, by_wrong_token, unknown, not_an_id):
        assert response.status_code == 404, response.text
        assert response.json()["type"].endswith("seller-order-not-found")
    assert by_seller.status_code == 403
    listed = await client.get(
        f"/api/v1/seller-orders/{part_id}/complaints", headers=shop.owner.headers
    )
    assert listed.json() == []


async def test_complaint_before_shipping_twice_or_after_settlement_is_409(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client, stock=10)
    # a pending (unpaid) order and a paid one still to ship
    unpaid = await placed_order(client, order_body(order_line(shop.variant_id, 1)))
    to_ship = await paid_transfer_order(client, shop, quantity=1)
    for order in (unpaid, to_ship):
        response = await complain(client, part_of(order), guest_headers(order))
        assert response.status_code == 409, response.text
        assert response.json()["type"].endswith("complaint-not-allowed")

    # a second complaint on the same seller-order
    _, part_id, _ = await _complained(client, shop)
    order_of_part = await paid_transfer_order(client, shop, quantity=1)
    twice_part = await shipped(client, shop, order_of_part)
    assert (await complain(client, twice_part, guest_headers(order_of_part))).status_code == 201
    twice = await complain(client, twice_part, guest_headers(order_of_part))
    assert twice.status_code == 409
    assert twice.json()["type"].endswith("complaint-exists")

    # a seller-order the buyer already confirmed (settled)
    settled = await paid_transfer_order(client, shop, quantity=1)
    await shipped(client, shop, settled)
    assert (await buyer_confirms(client, settled)).status_code == 200
    late = await complain(client, part_of(settled), guest_headers(settled))
    assert late.status_code == 409
    assert late.json()["type"].endswith("complaint-not-allowed")
    assert part_id


@pytest.mark.parametrize(
    "body",
    [
        {"reason": "broken", "description": "Rusak."},
        {"reason": "damaged"},
        {"reason": "damaged", "description": "   "},
        {"reason": "damaged", "description": "x" * 2001},
        {"reason": 3, "description": "Rusak."},
        {"reason": "damaged", "description": "Rusak.", "refund": 5},
    ],
    ids=["unknown-reason", "no-description", "blank", "too-long", "number", "extra-field"],
)
async def test_complaint_with_a_bad_body_is_422_and_files_nothing(
    app: FastAPI, client: AsyncClient, body: dict[str, Any]
) -> None:
    shop = await open_shop(app, client)
    order = await paid_transfer_order(client, shop)
    part_id = await shipped(client, shop, order)

    response = await client.post(
        f"/api/v1/seller-orders/{part_id}/complaints", json=body, headers=guest_headers(order)
    )

    assert response.status_code == 422, response.text
    listed = await client.get(
        f"/api/v1/seller-orders/{part_id}/complaints", headers=guest_headers(order)
    )
    assert listed.json() == []


async def test_seller_sees_and_answers_and_the_buyer_is_emailed(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given a complaint, and a staff member of the seller
    shop = await open_shop(app, client)
    staff = await create_account(client)
    await add_member(client, shop.owner, shop.seller_id, staff.email)
    _, _, complaint = await _complained(client, shop)

    # when the staff member lists the seller's open complaints and answers
    listed = await client.get(
        f"/api/v1/sellers/{shop.seller_id}/complaints",
        params={"status": "open"},
        headers=staff.headers,
    )
    answered = await client.post(
        f"/api/v1/complaints/{complaint['id']}/answer",
        json={"message": "Kami kirim ulang dua bungkus besok."},
        headers=staff.headers,
    )

    # then the answer is on the complaint and the buyer was told
    assert [c["id"] for c in listed.json()["items"]] == [complaint["id"]]
    assert answered.status_code == 200, answered.text
    assert answered.json()["seller_answer"] == "Kami kirim ulang dua bungkus besok."
    assert answered.json()["status"] == "open"
    [email] = await records.emails_with_template(sessionmaker, "complaint_answered")
    assert email.recipient == "budi@contoh.id"
    assert "Kami kirim ulang dua bungkus besok." in email.body_text
    # and a stranger cannot answer (nor learn it exists)
    stranger = await create_account(client)
    denied = await client.post(
        f"/api/v1/complaints/{complaint['id']}/answer",
        json={"message": "Halo"},
        headers=stranger.headers,
    )
    assert denied.status_code == 404


async def test_opening_a_complaint_emails_buyer_and_seller_in_their_languages(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given an English-speaking buyer's order from a seller whose owner reads Indonesian
    shop = await open_shop(app, client)

    # when the buyer complains
    await _complained(client, shop, language="en")

    # then each is told in their own language
    emails = await records.emails_with_template(sessionmaker, "complaint_opened")
    by_recipient = {email.recipient: email for email in emails}
    assert "We have received your complaint" in by_recipient["budi@contoh.id"].body_text
    assert "barang rusak" not in by_recipient["budi@contoh.id"].body_text
    assert "item damaged" in by_recipient["budi@contoh.id"].body_text
    to_owner = by_recipient[shop.owner.email]
    assert to_owner.subject.startswith("Keluhan atas pesanan")
    assert "barang rusak" in to_owner.body_text


async def test_admin_refunds_a_transfer_order_in_full_recorded_audited_and_settled_at_zero(
    app: FastAPI, client: AsyncClient, sessionmaker: Sessionmaker
) -> None:
    # given a complaint about a paid transfer order
    shop = await open_shop(app, client)
    order, part_id, complaint = await _complained(client, shop)

    # when an admin resolves it with a refund
    response = await resolve(client, shop.admin, complaint["id"], "refund")

    # then a manual refund of everything is recorded, the held money went back with its
    # commission, the order is refunded, and the action is in the audit log
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["outcome"], body["refund_amount"]) == ("resolved", "refund", TOTAL)
    [refund] = await records.refunds_of(sessionmaker, order["id"])
    assert (refund.amount, refund.status) == (TOTAL, RefundStatus.MANUAL)
    assert await records.balances_of(client, shop.owner, shop.seller_id) == {
        "pending": 0,
        "available": 0,
        "paid_out": 0,
    }
    seen = (await client.get(f"/api/v1/orders/{order['id']}", headers=guest_headers(order))).json()
    assert seen["payment_status"] == "refunded"
    [entry] = await audit_entries(
        client, shop.admin, target_type="complaint", target_id=complaint["id"]
    )
    assert entry["action"] == "complaint.resolve"
    assert entry["after"]["refund_amount"] == TOTAL
    resolved_emails = await records.emails_with_template(sessionmaker, "complaint_resolved")
    assert {email.recipient for email in resolved_emails} == {"budi@contoh.id", shop.owner.email}

    # and resolving it again, or complaining again, is a conflict
    again = await resolve(client, shop.admin, complaint["id"], "release")
    assert again.status_code == 409
    assert again.json()["type"].endswith("complaint-resolved")
    assert (await complain(client, part_id, guest_headers(order))).status_code == 409


async def test_partial_refund_takes_only_that_amount_and_releases_the_rest(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    order, _, complaint = await _complained(client, shop)

    too_much = await resolve(client, shop.admin, complaint["id"], "partial_refund", TOTAL + 1)
    response = await resolve(client, shop.admin, complaint["id"], "partial_refund", 55_000)

    assert too_much.status_code == 409
    assert too_much.json()["type"].endswith("refund-exceeds-paid")
    assert response.status_code == 200, response.text
    given_back = COMMISSION * 55_000 // TOTAL
    assert await records.balances_of(client, shop.owner, shop.seller_id) == {
        "pending": 0,
        "available": NET - 55_000 + given_back,
        "paid_out": 0,
    }
    seen = (await client.get(f"/api/v1/orders/{order['id']}", headers=guest_headers(order))).json()
    assert seen["payment_status"] == "partially_refunded"


async def test_release_pays_the_seller_and_the_admin_queue_empties(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    _, _, complaint = await _complained(client, shop)
    queue = await client.get(
        "/api/v1/admin/complaints", params={"status": "open"}, headers=shop.admin.headers
    )
    assert [c["id"] for c in queue.json()["items"]] == [complaint["id"]]

    response = await resolve(client, shop.admin, complaint["id"], "release")

    assert response.status_code == 200, response.text
    assert response.json()["refund_amount"] == 0
    assert await records.balances_of(client, shop.owner, shop.seller_id) == {
        "pending": 0,
        "available": NET,
        "paid_out": 0,
    }
    queue = await client.get(
        "/api/v1/admin/complaints", params={"status": "open"}, headers=shop.admin.headers
    )
    assert queue.json()["items"] == []
    resolved = await client.get(
        "/api/v1/admin/complaints", params={"status": "resolved"}, headers=shop.admin.headers
    )
    assert [c["outcome"] for c in resolved.json()["items"]] == ["release"]


@pytest.mark.parametrize(
    "body",
    [
        {"outcome": "partial_refund", "note": "Sebagian."},
        {"outcome": "refund", "amount": 1000, "note": "Semua."},
        {"outcome": "partial_refund", "amount": 0, "note": "Nol."},
        {"outcome": "partial_refund", "amount": -5, "note": "Minus."},
        {"outcome": "partial_refund", "amount": "5000", "note": "Teks."},
        {"outcome": "compensate", "note": "Tidak ada."},
        {"outcome": "release"},
    ],
    ids=[
        "partial-no-amount",
        "refund-with-amount",
        "zero",
        "negative",
        "string",
        "unknown",
        "no-note",
    ],
)
async def test_resolving_with_a_bad_body_is_422_and_changes_nothing(
    app: FastAPI, client: AsyncClient, body: dict[str, Any]
) -> None:
    shop = await open_shop(app, client)
    _, _, complaint = await _complained(client, shop)

    response = await client.post(
        f"/api/v1/admin/complaints/{complaint['id']}/resolve", json=body, headers=shop.admin.headers
    )

    assert response.status_code == 422, response.text
    queue = await client.get(
        "/api/v1/admin/complaints", params={"status": "open"}, headers=shop.admin.headers
    )
    assert len(queue.json()["items"]) == 1


async def test_refund_of_a_cod_order_whose_cash_was_never_collected_is_409(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    order = await cod_order(client, shop)
    part_id = await shipped(client, shop, order)
    complaint = (await complain(client, part_id, guest_headers(order))).json()

    response = await resolve(client, shop.admin, complaint["id"], "refund")

    assert response.status_code == 409
    assert response.json()["type"].endswith("refund-exceeds-paid")


async def test_admin_cancellations_are_audited(app: FastAPI, client: AsyncClient) -> None:
    # given a paid order and a paid seller-order of another order
    shop = await open_shop(app, client, stock=10)
    order = await paid_transfer_order(client, shop)
    other = await paid_transfer_order(client, shop)

    # when an admin cancels the first order and the other's seller-order
    cancelled = await client.post(
        f"/api/v1/orders/{order['id']}/cancel", headers=shop.admin.headers
    )
    part_cancelled = await client.post(
        f"/api/v1/seller-orders/{part_of(other)}/cancel", headers=shop.admin.headers
    )

    # then both (and their refunds) are in the audit log
    assert cancelled.status_code == 200, cancelled.text
    assert part_cancelled.status_code == 200, part_cancelled.text
    [order_entry] = await audit_entries(
        client, shop.admin, target_type="order", target_id=order["id"]
    )
    assert order_entry["action"] == "order.cancel"
    assert order_entry["before"] == {"status": "processing", "payment_status": "paid"}
    assert order_entry["after"] == {"status": "cancelled", "payment_status": "refunded"}
    [part_entry] = await audit_entries(
        client, shop.admin, target_type="seller_order", target_id=part_of(other)
    )
    assert part_entry["action"] == "seller_order.cancel"
    assert part_entry["after"]["payment_status"] == "refunded"


async def test_hold_period_sweep_never_settles_a_seller_order_with_an_open_complaint(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    _, part_id, _ = await _complained(client, shop)
    await seller_delivers(client, shop, part_id)

    assert await sweep(app, hold_days=0) == 0
