"""Team, money and import pages of the seller console: an owner invites by e-mail and the
invitee joins with the code; staff see the money but may not change the payout account; a bad
account number is shown in the page; an import reports its refused rows by number."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient

from marketplace.catalog.csv_format import COLUMNS
from marketplace.catalog.models import Product
from marketplace.payments.models import PayoutAccount
from tests.consoles.world import page_token, sign_in_on_pages
from tests.factories import (
    add_member,
    count_rows,
    create_account,
    emailed_code,
    http_client,
    set_up_catalog,
    unique_email,
)


async def test_owner_invites_and_the_invitee_joins_with_the_e_mailed_code(
    app: FastAPI, client: AsyncClient
) -> None:
    setup = await set_up_catalog(app, client)
    invitee = await create_account(client, email=unique_email("staf"))
    await sign_in_on_pages(client, setup.owner)
    base = f"/penjual/{setup.seller_id}"
    token = await page_token(client, f"{base}/tim")
    refused = await client.post(
        f"{base}/tim/undang", data={"csrf_token": token, "email": "bukan-email", "role": "staff"}
    )
    assert refused.status_code == 422
    assert 'value="bukan-email"' in refused.text
    sent = await client.post(
        f"{base}/tim/undang", data={"csrf_token": token, "email": invitee.email, "role": "staff"}
    )
    assert sent.status_code == 303
    code = await emailed_code(client, invitee.email, "seller_invitation")

    async with http_client(app) as other:
        await sign_in_on_pages(other, invitee)
        start_token = await page_token(other, "/penjual/")
        wrong = await other.post("/penjual/undangan", data={"csrf_token": start_token, "code": "x"})
        assert wrong.status_code == 404
        assert 'class="flash error"' in wrong.text
        joined = await other.post(
            "/penjual/undangan", data={"csrf_token": start_token, "code": code}
        )
        assert joined.status_code == 303
        landing = await other.get(joined.headers["location"])
        assert landing.headers["location"] == f"{base}/"
        team = await other.get(f"{base}/tim")
        assert "Hanya pemilik toko yang bisa mengundang anggota." in team.text


async def test_payout_account_owner_changes_it_and_staff_may_not(
    app: FastAPI, client: AsyncClient
) -> None:
    setup = await set_up_catalog(app, client)
    staff = await create_account(client, email=unique_email("staf"))
    await add_member(client, setup.owner, setup.seller_id, staff.email)
    await sign_in_on_pages(client, setup.owner)
    base = f"/penjual/{setup.seller_id}"
    token = await page_token(client, f"{base}/uang")
    form = {"csrf_token": token, "bank_code": "002", "account_holder": "KIM Lada Muntok"}
    bad = await client.post(f"{base}/uang/rekening", data={**form, "account_number": "12ab"})
    assert bad.status_code == 422
    assert 'id="e-account_number"' in bad.text
    assert await count_rows(app.state.sessionmaker, PayoutAccount) == 0
    saved = await client.post(
        f"{base}/uang/rekening", data={**form, "account_number": "1500-0123-45"}
    )
    assert saved.status_code == 303
    assert "150001234" in (await client.get(f"{base}/uang")).text

    async with http_client(app) as other:
        await sign_in_on_pages(other, staff)
        staff_token = await page_token(other, f"{base}/uang")
        refused = await other.post(
            f"{base}/uang/rekening",
            data={**form, "csrf_token": staff_token, "account_number": "999999999"},
        )
        assert refused.status_code == 403
        assert "Hanya pemilik toko" in refused.text
    assert await count_rows(app.state.sessionmaker, PayoutAccount) == 1


async def test_import_saves_good_rows_and_lists_refused_rows_by_number(
    app: FastAPI, client: AsyncClient
) -> None:
    setup = await set_up_catalog(app, client)
    await sign_in_on_pages(client, setup.owner)
    base = f"/penjual/{setup.seller_id}"
    token = await page_token(client, f"{base}/impor")
    header = ",".join(COLUMNS)
    rows = [
        header,
        f",Lada Putih,Lada pilihan,{setup.category},,,,,250 g,,55000,10,270",
        f",Lada Hitam,Lada hitam,{setup.category},,,,,250 g,,lima,10,270",
    ]
    report = await client.post(
        f"{base}/impor",
        data={"csrf_token": token},
        files={"file": ("produk.csv", "\n".join(rows).encode(), "text/csv")},
    )
    assert report.status_code == 200, report.text
    assert "1 produk baru" in report.text
    assert '<td class="num">3</td>' in report.text
    assert await count_rows(app.state.sessionmaker, Product) == 1
    empty = await client.post(f"{base}/impor", data={"csrf_token": token})
    assert empty.status_code == 422
    assert "Pilih atau ambil foto/berkas dulu" in empty.text
    exported = await client.get(f"{base}/impor/produk.csv")
    assert "Lada Putih" in exported.text
