"""Someone with no seller profile creates one from the console and is told to wait for the
admins; problems with the form show in the page with the values kept, and nothing is made."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient

from marketplace.sellers.models import Seller
from tests.consoles.world import page_token, post_sign_in, sign_in_on_pages
from tests.factories import count_rows, create_account, set_up_catalog


async def test_anonymous_visitor_is_sent_to_sign_in_and_back(client: AsyncClient) -> None:
    response = await client.get("/penjual/baru")
    assert response.status_code == 303
    assert response.headers["location"] == "/masuk?next=/penjual/baru"


async def test_new_seller_creates_a_profile_and_waits_for_verification(
    client: AsyncClient,
) -> None:
    account = await create_account(client)
    await sign_in_on_pages(client, account)
    start = await client.get("/penjual/")
    assert "Buat profil penjual" in start.text
    token = await page_token(client, "/penjual/baru")
    created = await client.post(
        "/penjual/baru",
        data={
            "csrf_token": token,
            "name": "KIM Lada Muntok",
            "kind": "community_group",
            "region_code": "19.05",
            "whatsapp": "081234567890",
        },
    )
    assert created.status_code == 303
    home = await client.get(created.headers["location"])
    assert home.status_code == 200
    assert "Profil penjual dibuat" in home.text
    assert "Menunggu verifikasi" in home.text
    again = await client.get(created.headers["location"])
    assert "Profil penjual dibuat" not in again.text  # the message shows once


async def test_bad_profile_form_shows_its_problems_and_keeps_the_values(
    app: FastAPI, client: AsyncClient
) -> None:
    account = await create_account(client)
    await sign_in_on_pages(client, account)
    token = await page_token(client, "/penjual/baru")
    response = await client.post(
        "/penjual/baru",
        data={"csrf_token": token, "name": "KIM Lada", "kind": "umkm", "region_code": "99.99"},
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert 'value="KIM Lada"' in response.text
    assert 'class="flash error"' in response.text
    assert await count_rows(app.state.sessionmaker, Seller) == 0


async def test_form_without_the_session_token_is_refused_with_a_page_and_changes_nothing(
    app: FastAPI, client: AsyncClient
) -> None:
    account = await create_account(client)
    await sign_in_on_pages(client, account)
    response = await client.post(
        "/penjual/baru",
        data={"csrf_token": "forged", "name": "KIM", "kind": "umkm", "region_code": "19.05"},
    )
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "Muat ulang halaman" in response.text
    assert await count_rows(app.state.sessionmaker, Seller) == 0


async def test_sign_in_page_never_follows_a_next_address_off_the_site(
    client: AsyncClient,
) -> None:
    account = await create_account(client)
    for outside in ("//evil.example/x", "/\\evil.example/x", "https://evil.example/"):
        response = await post_sign_in(client, account, outside)
        assert response.headers["location"] == "/", outside


async def test_owner_edits_the_profile_and_a_bad_phone_number_changes_nothing(
    app: FastAPI, client: AsyncClient
) -> None:
    setup = await set_up_catalog(app, client, verified=False)
    await sign_in_on_pages(client, setup.owner)
    path = f"/penjual/{setup.seller_id}/profil"
    token = await page_token(client, path)
    form = {
        "csrf_token": token,
        "name": "KIM Lada Muntok",
        "kind": "community_group",
        "region_code": "19.05",
        "address": "Jl. Pelabuhan 3, Muntok",
    }
    refused = await client.post(path, data={**form, "whatsapp": "12"})
    assert refused.status_code == 422
    assert 'id="e-whatsapp"' in refused.text
    assert "Jl. Pelabuhan 3" not in (await client.get(path)).text
    saved = await client.post(path, data={**form, "whatsapp": "081234567890"})
    assert saved.status_code == 303
    page = await client.get(path)
    assert "Jl. Pelabuhan 3, Muntok" in page.text
    assert "Perubahan disimpan." in page.text
