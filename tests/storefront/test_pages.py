"""Storefront pages over HTTP: what each shows, its size, its cache headers and its CSP;
buying as a guest without JavaScript; who may see an order; CSRF on every form."""

from __future__ import annotations

import asyncio
import json
import re
from io import BytesIO

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from PIL import Image

from marketplace.db.session import SQLITE_POOL_SIZE
from marketplace.orders.models import Order
from marketplace.storefront import sitemap
from tests.consoles.world import post_sign_in
from tests.factories import count_rows, create_account, create_product, http_client, unique_email
from tests.storefront.world import SAME_ORIGIN, add_to_cart, checkout_form, csrf_of, pepper_shop

PAGE_BUDGET_BYTES = 30 * 1024


def _json_ld(html: str) -> dict[str, object]:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match
    data: dict[str, object] = json.loads(match.group(1))
    return data


async def test_product_page_shows_variants_prices_seller_whatsapp_and_compliance(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given white pepper in two sizes, a seller with WhatsApp and a P-IRT number
    shop = await pepper_shop(app, client, whatsapp="0812-3456-7890")

    # When a buyer opens its page
    response = await client.get(f"/produk/{shop.slug}")

    # Then prices read as rupiah, the seller's WhatsApp is prefilled with the product's name
    html = response.text
    assert response.status_code == 200
    assert "Rp 25.000" in html
    assert "Rp 55.000" in html
    assert (
        "https://wa.me/6281234567890?text=Halo%2C%20saya%20tertarik%20dengan%20Lada%20Putih" in html
    )
    assert "P-IRT 2061903010123" in html
    # And sharing carries OG tags, a canonical address and JSON-LD with an IDR offer
    assert '<meta property="og:image" content="http://testserver/media/og/' in html
    assert f'<link rel="canonical" href="http://testserver/produk/{shop.slug}">' in html
    data = _json_ld(html)
    assert data["@type"] == "Product"
    offers = data["offers"]
    assert isinstance(offers, dict)
    assert offers["priceCurrency"] == "IDR"
    assert (offers["lowPrice"], offers["highPrice"]) == (25_000, 55_000)


async def test_og_image_answers_as_a_1200_by_630_jpeg(app: FastAPI, client: AsyncClient) -> None:
    shop = await pepper_shop(app, client)
    html = (await client.get(f"/produk/{shop.slug}")).text
    image_url = re.search(r'property="og:image" content="([^"]+)"', html)
    assert image_url

    response = await client.get(image_url.group(1).removeprefix("http://testserver"))

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"

    with Image.open(BytesIO(response.content)) as picture:
        assert picture.size == (1200, 630)


async def test_every_page_type_fits_in_30_kb_before_images(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await pepper_shop(app, client, whatsapp="081234567890")
    await add_to_cart(client, shop.variant(0), 2)
    checkout = await client.get("/checkout")
    placed = await client.post("/checkout", data=checkout_form(csrf_of(checkout.text)))
    pages = {
        "home": "/",
        "search": "/cari?q=lada",
        "product": f"/produk/{shop.slug}",
        "seller": f"/toko/{shop.setup.seller['slug']}",
        "region": "/wilayah/19.05",
        "cart": "/keranjang",
        "sign-in": "/masuk",
        "order": placed.headers["location"],
    }
    await add_to_cart(client, shop.variant(1), 1)
    pages["checkout"] = "/checkout"
    sizes = {}
    for name, path in pages.items():
        response = await client.get(path)
        assert response.status_code == 200, (name, response.text[:500])
        sizes[name] = len(response.content)
    print("storefront page bytes before images:", sizes)  # noqa: T201 (the closing note)
    assert all(size < PAGE_BUDGET_BYTES for size in sizes.values()), sizes


async def test_product_without_photos_still_has_a_1200_by_630_og_image(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await pepper_shop(app, client, with_image=False)
    html = (await client.get(f"/produk/{shop.slug}")).text
    image_url = re.search(r'property="og:image" content="(http://testserver/[^"]+)"', html)
    assert image_url

    response = await client.get(image_url.group(1).removeprefix("http://testserver"))

    assert response.headers["content-type"] == "image/jpeg"
    with Image.open(BytesIO(response.content)) as picture:
        assert picture.size == (1200, 630)


async def test_public_pages_send_etag_and_answer_304_and_a_strict_csp(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await pepper_shop(app, client)
    first = await client.get(f"/produk/{shop.slug}")
    etag = first.headers["etag"]

    again = await client.get(f"/produk/{shop.slug}", headers={"If-None-Match": etag})

    assert again.status_code == 304
    assert "set-cookie" not in first.headers  # a shared cache may keep it for everyone
    policy = first.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'sha256-" in policy
    assert "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy


async def test_price_change_shows_at_once_on_the_cached_page(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await pepper_shop(app, client)
    before = await client.get(f"/produk/{shop.slug}")
    response = await client.patch(
        f"/api/v1/products/{shop.product['id']}/variants/{shop.variant(0)}",
        json={"price": 27_500},
        headers=shop.setup.owner.headers,
    )
    assert response.status_code == 200

    after = await client.get(f"/produk/{shop.slug}")

    assert "Rp 27.500" in after.text
    assert after.headers["etag"] != before.headers["etag"]


async def test_search_uses_the_api_filters_and_english_on_request(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await pepper_shop(app, client)

    found = await client.get("/cari", params={"q": "lada", "region": "19.05", "lang": "en"})
    none = await client.get("/cari", params={"q": "lada", "region": "19.71"})
    inverted = await client.get("/cari", params={"min_price": "90.000", "max_price": "10.000"})

    assert shop.product["title"] in found.text
    assert '<html lang="en">' in found.text
    assert "Results for" in found.text
    assert shop.product["title"] not in none.text.split("<main", 1)[1]
    assert inverted.status_code == 200
    assert 'class="error"' in inverted.text


async def test_draft_and_unknown_products_are_404_pages(app: FastAPI, client: AsyncClient) -> None:
    await pepper_shop(app, client)
    response = await client.get("/produk/tidak-ada")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]


async def test_guest_checkout_by_bank_transfer_shows_the_exact_amount(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given two variants in the cart (2 x Rp 25.000 + 1 x Rp 55.000)
    shop = await pepper_shop(app, client)
    await add_to_cart(client, shop.variant(0), 2)
    await add_to_cart(client, shop.variant(1), 1)
    page = await client.get("/checkout")

    # When the shipping to Pangkalpinang is quoted, then the order placed
    quote = await client.post("/checkout", data=checkout_form(csrf_of(page.text), action="quote"))
    placed = await client.post("/checkout", data=checkout_form(csrf_of(page.text)))

    # Then the quote showed the total before paying, and the order page the exact amount
    assert "Rp 12.000" in quote.text
    assert "Rp 117.000" in quote.text
    assert placed.status_code == 303
    order = await client.get(placed.headers["location"])
    # the transfer amount is the total plus the payment's unique code (1..999)
    amount = int(re.search(r'data-amount="(\d+)"', order.text).group(1))  # type: ignore[union-attr]
    assert 117_001 <= amount <= 117_999
    # and the page says why it is not the total: the unique code, with the total beside it
    code = amount - 117_000
    explained = re.search(r'<p class="meta" id="unique-code">([^<]+)</p>', order.text)
    assert explained is not None
    assert f"kode unik Rp {code}" in explained.group(1)
    assert "total pesanan Rp 117.000" in explained.group(1)
    assert order.headers["cache-control"] == "private, no-store"
    assert order.headers["referrer-policy"] == "no-referrer"
    # And the cart is empty again
    assert "Keranjang Anda kosong" in (await client.get("/keranjang")).text


async def test_double_submitted_checkout_places_one_order(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await pepper_shop(app, client)
    await add_to_cart(client, shop.variant(0), 1)
    page = await client.get("/checkout")
    cart_cookie = client.cookies.get("mp_cart")
    form = checkout_form(csrf_of(page.text))

    first = await client.post("/checkout", data=form)
    client.cookies.set("mp_cart", cart_cookie or "")
    second = await client.post("/checkout", data=form)

    assert first.headers["location"] == second.headers["location"]


async def test_order_page_is_404_by_number_alone_or_with_a_wrong_token(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await pepper_shop(app, client)
    await add_to_cart(client, shop.variant(0), 1)
    page = await client.get("/checkout")
    placed = await client.post("/checkout", data=checkout_form(csrf_of(page.text)))
    address = placed.headers["location"]
    number_only = address.split("?")[0]

    assert (await client.get(number_only)).status_code == 404
    assert (await client.get(f"{number_only}?token={'0' * 64}")).status_code == 404
    assert (await client.get(address)).status_code == 200


async def test_guest_cancels_a_pending_order_and_stock_returns(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await pepper_shop(app, client)
    await add_to_cart(client, shop.variant(1), 2)
    page = await client.get("/checkout")
    placed = await client.post("/checkout", data=checkout_form(csrf_of(page.text)))
    address = placed.headers["location"]
    order_page = await client.get(address)
    token = address.split("token=")[1]
    number = address.split("/pesanan/")[1].split("?")[0]

    response = await client.post(
        f"/pesanan/{number}/batal", data={"csrf_token": csrf_of(order_page.text), "token": token}
    )

    assert response.status_code == 303
    assert "Dibatalkan" in (await client.get(address)).text
    detail = (await client.get(f"/api/v1/products/{shop.slug}")).json()
    assert detail["variants"][1]["stock"] == 5


@pytest.mark.parametrize("path", ["/checkout", "/keranjang/ubah", "/keluar", "/masuk"])
async def test_forms_without_the_session_csrf_token_are_refused(
    app: FastAPI, client: AsyncClient, path: str
) -> None:
    await client.get("/masuk")  # a session cookie exists, but the form lacks its token
    response = await client.post(path, data={"csrf_token": "forged"})
    assert response.status_code == 403
    assert response.json()["type"].endswith("csrf-failed")


async def test_add_to_cart_from_another_site_is_refused(app: FastAPI, client: AsyncClient) -> None:
    shop = await pepper_shop(app, client)
    response = await client.post(
        "/keranjang",
        data={"variant_id": shop.variant(0), "quantity": "1"},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert "mp_cart" not in response.cookies


async def test_a_forged_cart_cookie_reads_as_an_empty_cart(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await pepper_shop(app, client)
    client.cookies.set("mp_cart", f'[["{shop.variant(0)}", 5]]')
    assert "Keranjang Anda kosong" in (await client.get("/keranjang")).text


async def test_signed_in_buyer_orders_and_sees_the_order_without_a_token(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await pepper_shop(app, client)
    sign_in_page = await client.get("/masuk")
    signed_in = await client.post(
        "/masuk",
        data={
            "csrf_token": csrf_of(sign_in_page.text),
            "email": shop.setup.owner.email,
            "password": shop.setup.owner.password,
            "next": "/checkout",
        },
    )
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/checkout"
    cookie = signed_in.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    await add_to_cart(client, shop.variant(0), 1)
    page = await client.get("/checkout")
    assert 'value="cod"' in page.text

    placed = await client.post("/checkout", data=checkout_form(csrf_of(page.text)))

    assert "token=" not in placed.headers["location"]
    assert (await client.get(placed.headers["location"])).status_code == 200


async def test_wrong_password_shows_the_form_again(app: FastAPI, client: AsyncClient) -> None:
    shop = await pepper_shop(app, client)
    page = await client.get("/masuk")
    response = await client.post(
        "/masuk",
        data={
            "csrf_token": csrf_of(page.text),
            "email": shop.setup.owner.email,
            "password": "salah-sekali-123",
        },
    )
    assert response.status_code == 401
    assert 'class="error"' in response.text


async def test_sitemap_lists_products_sellers_regions_and_robots_points_to_it(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await pepper_shop(app, client)
    sitemap = await client.get("/sitemap.xml")
    robots = await client.get("/robots.txt")
    assert f"<loc>http://testserver/produk/{shop.slug}</loc>" in sitemap.text
    assert "<loc>http://testserver/wilayah/19.71</loc>" in sitemap.text
    assert "Sitemap: http://testserver/sitemap.xml" in robots.text


async def test_sitemap_becomes_an_index_past_its_limit(
    app: FastAPI, client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:

    shop = await pepper_shop(app, client)
    monkeypatch.setattr(sitemap, "URLS_PER_SITEMAP", 5)

    index = await client.get("/sitemap.xml")
    products = await client.get("/sitemap-produk-1.xml")

    assert "<sitemapindex" in index.text
    assert "http://testserver/sitemap-produk-1.xml" in index.text
    assert f"/produk/{shop.slug}</loc>" in products.text
    assert (await client.get("/sitemap-produk-2.xml")).status_code == 404


async def test_featured_cards_and_oembed_use_storefront_addresses(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await pepper_shop(app, client)
    response = await client.get("/oembed", params={"url": f"http://testserver/produk/{shop.slug}"})
    assert response.status_code == 200, response.text
    assert shop.slug in response.json()["html"]


async def test_draft_product_page_is_a_404(app: FastAPI, client: AsyncClient) -> None:

    shop = await pepper_shop(app, client)
    draft = await create_product(
        client, shop.setup.owner, shop.setup.seller_id, title="Madu Pelawan Draf"
    )
    assert (await client.get(f"/produk/{draft['slug']}")).status_code == 404


async def test_eight_guests_racing_for_five_units_buy_exactly_five(
    app: FastAPI, client: AsyncClient
) -> None:

    # Given 5 units of the 250 g pack and eight guests, each with one in their cart
    shop = await pepper_shop(app, client)

    async def guest_checks_out(number: int) -> int:
        async with http_client(app) as guest:
            await add_to_cart(guest, shop.variant(1), 1)
            page = await guest.get("/checkout")
            form = checkout_form(
                csrf_of(page.text), idempotency_key=f"race-{number:02d}-0000000000000000"
            )
            response = await guest.post("/checkout", data=form)
            return response.status_code

    # When they all place their orders at once
    statuses = await asyncio.gather(*(guest_checks_out(n) for n in range(8)))

    # Then five orders went through, three saw the checkout again, and no stock is left
    assert sorted(statuses) == [303] * 5 + [422] * 3
    detail = (await client.get(f"/api/v1/products/{shop.slug}")).json()
    assert detail["variants"][1]["stock"] == 0


async def test_signed_in_buyers_checking_out_at_once_never_wait_on_each_other_for_a_connection(
    app: FastAPI, client: AsyncClient
) -> None:

    # Given more signed-in buyers than a worker has SQLite connections, each with a cart: a
    # signed-in visitor is read in a transaction of its own, which must end before the order's
    # write transaction takes a connection (else all of them hold one and wait for a second)
    shop = await pepper_shop(app, client)
    buyer = await create_account(client, email=unique_email("pool"))

    async def buyer_checks_out(number: int) -> int:
        async with http_client(app) as browser:
            await post_sign_in(browser, buyer, "/")
            await add_to_cart(browser, shop.variant(0), 1)
            page = await browser.get("/checkout")
            form = checkout_form(
                csrf_of(page.text), idempotency_key=f"pool-{number:02d}-0000000000000000"
            )
            return (await browser.post("/checkout", data=form)).status_code

    # When they all place their orders at once
    statuses = await asyncio.wait_for(
        asyncio.gather(*(buyer_checks_out(n) for n in range(SQLITE_POOL_SIZE + 3))), timeout=20
    )

    # Then every order went through, well before any pool or busy timeout
    assert statuses == [303] * (SQLITE_POOL_SIZE + 3)


async def test_checkout_with_bad_fields_shows_them_and_orders_nothing(
    app: FastAPI, client: AsyncClient
) -> None:

    shop = await pepper_shop(app, client)
    await add_to_cart(client, shop.variant(0), 1)
    page = await client.get("/checkout")

    response = await client.post(
        "/checkout",
        data=checkout_form(
            csrf_of(page.text), email="bukan-email", postal_code="3312", region_code="99.99"
        ),
    )

    assert response.status_code == 422
    for field in ("email", "postal_code", "region_code"):
        assert f'id="f-{field}"' in response.text
        assert 'aria-invalid="true"' in response.text.split(f'id="f-{field}"', 1)[1][:400]
    assert await count_rows(app.state.sessionmaker, Order) == 0


async def test_cart_ignores_unknown_variants_and_absurd_quantities(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await pepper_shop(app, client)
    for variant_id, quantity in [
        ("bukan-uuid", "1"),
        (shop.variant(0), "100000"),
        (shop.variant(0), "-3"),
    ]:
        response = await client.post(
            "/keranjang", data={"variant_id": variant_id, "quantity": quantity}, headers=SAME_ORIGIN
        )
        assert response.status_code == 303
    assert "Keranjang Anda kosong" in (await client.get("/keranjang")).text


async def _sign_in_on_pages(client: AsyncClient, email: str, password: str) -> None:
    form = await client.get("/masuk")
    signed_in = await client.post(
        "/masuk",
        data={"csrf_token": csrf_of(form.text), "email": email, "password": password},
    )
    assert signed_in.status_code == 303


async def _offers_cash_on_delivery(client: AsyncClient, shop_variant: str) -> bool:
    """Cash on delivery is offered only to a signed-in buyer: the page's sign of a session."""
    await add_to_cart(client, shop_variant, 1)
    return 'value="cod"' in (await client.get("/checkout")).text


async def test_a_password_change_elsewhere_ends_the_web_sign_in(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a buyer signed in on the pages
    shop = await pepper_shop(app, client)
    owner = shop.setup.owner
    await _sign_in_on_pages(client, owner.email, owner.password)
    assert await _offers_cash_on_delivery(client, shop.variant(0))

    # When the password is changed through the API (which ends every other sign-in)
    async with http_client(app) as api:
        token = await api.post(
            "/api/v1/auth/token", data={"username": owner.email, "password": owner.password}
        )
        changed = await api.post(
            "/api/v1/me/password",
            json={"current_password": owner.password, "new_password": "Lada-Muntok-baru-2026!"},
            headers={"Authorization": f"Bearer {token.json()['access_token']}"},
        )
    assert changed.status_code == 204, changed.text

    # Then the page no longer knows the buyer
    assert not await _offers_cash_on_delivery(client, shop.variant(0))


async def test_signing_out_on_the_pages_ends_the_sign_in_for_a_replayed_cookie(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a buyer signed in on the pages, and a copy of their session cookie
    shop = await pepper_shop(app, client)
    await _sign_in_on_pages(client, shop.setup.owner.email, shop.setup.owner.password)
    stolen = client.cookies.get("mp_session")
    assert stolen is not None

    # When they sign out
    page = await client.get("/masuk")  # signed in, the page offers to sign out
    signed_out = await client.post("/keluar", data={"csrf_token": csrf_of(page.text)})
    assert signed_out.status_code == 303

    # Then the old cookie, replayed, signs nobody in
    client.cookies.set("mp_session", stolen)
    assert not await _offers_cash_on_delivery(client, shop.variant(0))
