"""Curating the featured list: POST, GET, PATCH and DELETE /admin/featured."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import (
    audit_entries,
    change_seller_status,
    create_account,
    set_up_catalog,
)
from tests.featured.world import (
    ADMIN_FEATURED,
    admin_entries,
    feature,
    featured_product,
    listed_product,
    moment,
    patch_entry,
)


async def test_admin_features_a_product_and_gets_the_entry_back(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a published product
    shop = await set_up_catalog(app, client)
    product = await listed_product(client, shop, "Lada Putih Muntok")

    # When an admin features it with a window
    entry = await feature(
        client,
        shop.admin,
        product["id"],
        position=5,
        starts_at="2026-01-01T00:00:00Z",
        ends_at="2099-01-01T00:00:00+07:00",
    )

    # Then the entry is active, in UTC, made by that admin
    assert entry["product_id"] == product["id"]
    assert entry["position"] == 5
    assert entry["starts_at"] == "2026-01-01T00:00:00Z"
    assert entry["ends_at"] == "2098-12-31T17:00:00Z"
    assert entry["state"] == "active"
    assert entry["hidden_reason"] is None
    assert entry["state_text"] == "Tayang sampai 1 Jan 2099 00.00 WIB"
    assert entry["product"]["title"] == "Lada Putih Muntok"
    assert entry["seller"]["status"] == "verified"


async def test_entries_without_position_go_after_the_last_one(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    _, first = await featured_product(client, shop, "Lada Putih")
    _, placed = await featured_product(client, shop, "Madu Pelawan", position=35)
    _, last = await featured_product(client, shop, "Kerupuk Kemplang")

    assert [first["position"], placed["position"], last["position"]] == [10, 35, 45]


async def test_window_ending_before_it_starts_is_refused(app: FastAPI, client: AsyncClient) -> None:
    shop = await set_up_catalog(app, client)
    product = await listed_product(client, shop, "Lada Putih")

    response = await client.post(
        ADMIN_FEATURED,
        json={
            "product_id": product["id"],
            "starts_at": "2026-12-01T00:00:00Z",
            "ends_at": "2026-12-01T00:00:00Z",
        },
        headers=shop.admin.headers,
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["loc"] == ["body", "ends_at"]
    assert await admin_entries(client, shop.admin) == []


async def test_time_without_offset_is_refused(app: FastAPI, client: AsyncClient) -> None:
    shop = await set_up_catalog(app, client)
    product = await listed_product(client, shop, "Lada Putih")

    response = await client.post(
        ADMIN_FEATURED,
        json={"product_id": product["id"], "starts_at": "2026-12-01T08:00:00"},
        headers=shop.admin.headers,
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "starts_at"]


async def test_unknown_product_is_invalid_input(app: FastAPI, client: AsyncClient) -> None:
    shop = await set_up_catalog(app, client)

    response = await client.post(
        ADMIN_FEATURED,
        json={"product_id": "01900000-0000-7000-8000-000000000000"},
        headers=shop.admin.headers,
    )

    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["loc"] == ["body", "product_id"]
    assert error["type"] == "unknown_product"


async def test_product_featured_twice_is_a_conflict(app: FastAPI, client: AsyncClient) -> None:
    shop = await set_up_catalog(app, client)
    product, _ = await featured_product(client, shop, "Lada Putih")

    response = await client.post(
        ADMIN_FEATURED, json={"product_id": product["id"]}, headers=shop.admin.headers
    )

    assert response.status_code == 409
    assert response.json()["type"] == "/problems/product-already-featured"
    assert len(await admin_entries(client, shop.admin)) == 1


async def test_patch_moves_an_entry_and_changes_or_opens_its_window(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    _, entry = await featured_product(client, shop, "Lada Putih", ends_at="2099-01-01T00:00:00Z")

    moved = await patch_entry(client, shop.admin, entry["id"], position=1)
    rescheduled = await patch_entry(
        client, shop.admin, entry["id"], starts_at="2098-06-01T00:00:00Z"
    )
    opened = await patch_entry(client, shop.admin, entry["id"], starts_at=None, ends_at=None)

    assert moved.status_code == rescheduled.status_code == opened.status_code == 200
    assert moved.json()["position"] == 1
    assert rescheduled.json()["starts_at"] == "2098-06-01T00:00:00Z"
    assert rescheduled.json()["ends_at"] == "2099-01-01T00:00:00Z"
    assert rescheduled.json()["state"] == "scheduled"
    assert opened.json()["starts_at"] is None
    assert opened.json()["ends_at"] is None
    assert opened.json()["position"] == 1
    assert opened.json()["state"] == "active"


async def test_patch_refuses_a_window_inverted_against_the_stored_start(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    _, entry = await featured_product(client, shop, "Lada Putih", starts_at="2098-01-01T00:00:00Z")

    inverted = await patch_entry(client, shop.admin, entry["id"], ends_at="2097-01-01T00:00:00Z")
    null_position = await patch_entry(client, shop.admin, entry["id"], position=None)

    assert inverted.status_code == 422
    assert inverted.json()["errors"][0]["loc"] == ["body", "ends_at"]
    assert null_position.status_code == 422
    [stored] = await admin_entries(client, shop.admin)
    assert stored["ends_at"] is None
    assert stored["position"] == entry["position"]


async def test_patch_and_delete_of_an_unknown_entry_are_not_found(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    missing = f"{ADMIN_FEATURED}/01900000-0000-7000-8000-000000000000"

    patched = await client.patch(missing, json={"position": 3}, headers=shop.admin.headers)
    deleted = await client.delete(missing, headers=shop.admin.headers)
    garbage = await client.delete(f"{ADMIN_FEATURED}/lada", headers=shop.admin.headers)

    assert patched.status_code == deleted.status_code == garbage.status_code == 404
    assert deleted.json()["type"] == "/problems/featured-entry-not-found"


async def test_delete_removes_the_entry(app: FastAPI, client: AsyncClient) -> None:
    shop = await set_up_catalog(app, client)
    _, entry = await featured_product(client, shop, "Lada Putih")

    response = await client.delete(f"{ADMIN_FEATURED}/{entry['id']}", headers=shop.admin.headers)
    again = await client.delete(f"{ADMIN_FEATURED}/{entry['id']}", headers=shop.admin.headers)

    assert response.status_code == 204
    assert again.status_code == 404
    assert await admin_entries(client, shop.admin) == []


async def test_every_change_to_an_entry_is_audited(app: FastAPI, client: AsyncClient) -> None:
    shop = await set_up_catalog(app, client)
    _, entry = await featured_product(client, shop, "Lada Putih")
    await patch_entry(client, shop.admin, entry["id"], position=3)
    await client.delete(f"{ADMIN_FEATURED}/{entry['id']}", headers=shop.admin.headers)

    log = await audit_entries(
        client, shop.admin, target_type="featured_entry", target_id=entry["id"]
    )

    assert [item["action"] for item in log] == [
        "featured.delete",
        "featured.update",
        "featured.create",
    ]
    assert all(item["actor_id"] == shop.admin.id for item in log)
    assert log[1]["before"]["position"] == 10
    assert log[1]["after"]["position"] == 3


async def test_curation_needs_an_admin(app: FastAPI, client: AsyncClient) -> None:
    shop = await set_up_catalog(app, client)
    product, entry = await featured_product(client, shop, "Lada Putih")
    buyer = await create_account(client)
    requests = [
        ("POST", ADMIN_FEATURED, {"product_id": product["id"]}),
        ("GET", ADMIN_FEATURED, None),
        ("PATCH", f"{ADMIN_FEATURED}/{entry['id']}", {"position": 1}),
        ("DELETE", f"{ADMIN_FEATURED}/{entry['id']}", None),
    ]

    for method, url, body in requests:
        anonymous = await client.request(method, url, json=body)
        signed_in = await client.request(method, url, json=body, headers=buyer.headers)
        assert (anonymous.status_code, signed_in.status_code) == (401, 403), (method, url)

    assert len(await admin_entries(client, shop.admin)) == 1


async def test_admin_list_shows_every_entry_with_its_state_and_why_hidden(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given entries of every kind: showing, not yet, no longer, and hidden for four reasons
    shop = await set_up_catalog(app, client)
    other = await set_up_catalog(app, client, admin=shop.admin, seller_name="UMKM Madu Bangka")
    await featured_product(client, shop, "Lada Aktif", position=1)
    await featured_product(
        client, shop, "Lada Terjadwal", position=2, starts_at="2099-01-01T00:00:00Z"
    )
    await featured_product(
        client,
        shop,
        "Lada Kedaluwarsa",
        position=3,
        starts_at="2020-01-01T00:00:00Z",
        ends_at="2020-02-01T00:00:00Z",
    )
    draft = await listed_product(client, shop, "Lada Draf", published=False)
    await feature(client, shop.admin, draft["id"], position=4)
    archived = await listed_product(client, shop, "Lada Arsip")
    archive = await client.post(
        f"/api/v1/products/{archived['id']}/archive", headers=shop.owner.headers
    )
    assert archive.status_code == 200, archive.text
    await feature(client, shop.admin, archived["id"], position=5)
    await featured_product(client, other, "Madu Dibekukan", position=6)
    await change_seller_status(client, shop.admin, other.seller_id, "suspend", reason="Keluhan")

    # When the admin lists the entries
    entries = await admin_entries(client, shop.admin)

    # Then every entry is there, by position, each with its state
    assert [
        (item["product"]["title"], item["state"], item["hidden_reason"]) for item in entries
    ] == [
        ("Lada Aktif", "active", None),
        ("Lada Terjadwal", "scheduled", None),
        ("Lada Kedaluwarsa", "expired", None),
        ("Lada Draf", "hidden", "product_draft"),
        ("Lada Arsip", "hidden", "product_archived"),
        ("Madu Dibekukan", "hidden", "seller_suspended"),
    ]
    assert [item["state_text"] for item in entries] == [
        "Tayang sekarang",
        "Dijadwalkan mulai 1 Jan 2099 07.00 WIB",
        "Berakhir 1 Feb 2020 07.00 WIB",
        "Disembunyikan: produk masih draf",
        "Disembunyikan: produk diarsipkan",
        "Disembunyikan: penjual dibekukan",
    ]


async def test_admin_list_states_in_english_on_request(app: FastAPI, client: AsyncClient) -> None:
    shop = await set_up_catalog(app, client)
    await featured_product(client, shop, "Lada Terjadwal", starts_at="2099-01-01T00:00:00Z")
    draft = await listed_product(client, shop, "Lada Draf", published=False)
    await feature(client, shop.admin, draft["id"])

    response = await client.get(
        ADMIN_FEATURED, headers={**shop.admin.headers, "Accept-Language": "en"}
    )

    assert [item["state_text"] for item in response.json()["items"]] == [
        "Scheduled from 1 Jan 2099 07.00 WIB",
        "Hidden: the product is a draft",
    ]


async def test_entry_of_a_reinstated_seller_is_active_again(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    await featured_product(client, shop, "Lada Putih", ends_at=moment(days=30))
    await change_seller_status(client, shop.admin, shop.seller_id, "suspend", reason="Keluhan")
    [suspended] = await admin_entries(client, shop.admin)

    await change_seller_status(client, shop.admin, shop.seller_id, "verify")
    [reinstated] = await admin_entries(client, shop.admin)

    assert (suspended["state"], suspended["hidden_reason"]) == ("hidden", "seller_suspended")
    assert (reinstated["state"], reinstated["hidden_reason"]) == ("active", None)


async def test_admin_list_comes_in_pages(app: FastAPI, client: AsyncClient) -> None:
    shop = await set_up_catalog(app, client)
    for title in ("Lada Satu", "Lada Dua", "Lada Tiga"):
        await featured_product(client, shop, title)

    first = await client.get(ADMIN_FEATURED, params={"limit": 2}, headers=shop.admin.headers)
    cursor = first.json()["next_cursor"]
    second = await client.get(
        ADMIN_FEATURED, params={"limit": 2, "cursor": cursor}, headers=shop.admin.headers
    )

    assert [item["product"]["title"] for item in first.json()["items"]] == [
        "Lada Satu",
        "Lada Dua",
    ]
    assert [item["product"]["title"] for item in second.json()["items"]] == ["Lada Tiga"]
    assert second.json()["next_cursor"] is None
