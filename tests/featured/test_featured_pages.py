"""The featured page and the embeds as HTML: texts, money, escaping, images, weight, headers."""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import create_seller, image_bytes, set_up_catalog, verify_seller
from tests.featured.conftest import GOVERNMENT_SITE, NEWS_SITE
from tests.featured.world import feature, featured_product, listed_product

HOSTILE_TITLE = 'Lada <script>alert("x")</script></iframe>" onload="alert(1)'
HOSTILE_SELLER = 'KIM "Lada" </iframe><script>alert(2)</script>'
PAGES = ("/featured", "/embed/featured")


def csp_directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def inline(tag: str, body: str) -> list[str]:
    return re.findall(rf"<{tag}>(.*?)</{tag}>", body, re.DOTALL)


def sha256_source(text: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


async def test_embed_shows_cards_with_rupiah_prices_in_indonesian(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given two featured products, one sold out
    shop = await set_up_catalog(app, client)
    pepper = await listed_product(client, shop, "Lada Putih Muntok", price=150_000)
    honey = await listed_product(client, shop, "Madu Pelawan", price=1_250_000, stock=0)
    await feature(client, shop.admin, pepper["id"])
    await feature(client, shop.admin, honey["id"])

    # When the embed is loaded without a language
    response = await client.get("/embed/featured")

    # Then it is Indonesian, with Rp prices and each card linking to the product
    body = response.text
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert '<html lang="id">' in body
    assert "<h1>Produk unggulan</h1>" in body
    assert "Rp 150.000" in body
    assert "Rp 1.250.000" in body
    assert body.index("Lada Putih Muntok") < body.index("Madu Pelawan")
    assert "oleh KIM Lada Muntok · Kabupaten Bangka Barat" in body
    assert body.count("Stok habis") == 1
    assert f'href="http://testserver/produk/{pepper["slug"]}"' in body
    assert 'target="_blank" rel="noopener"' in body
    assert "(membuka tab baru)" in body


async def test_lang_en_gives_english_texts_with_the_same_rupiah(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    product = await listed_product(client, shop, "Lada Putih", price=150_000, stock=0)
    await feature(client, shop.admin, product["id"])

    embed = (await client.get("/embed/featured", params={"lang": "en"})).text
    page = (await client.get("/featured", params={"lang": "en"})).text

    assert '<html lang="en">' in embed
    assert "<h1>Featured products</h1>" in embed
    assert "by KIM Lada Muntok" in embed
    assert "Out of stock" in embed
    assert "(opens in a new tab)" in embed
    assert "See all featured products" in embed
    assert 'href="http://testserver/featured?lang=en"' in embed
    assert "Rp 150.000" in embed
    assert "<h1>Featured products of Bangka Belitung</h1>" in page
    assert "Produk Unggulan" not in page


async def test_empty_list_says_so(app: FastAPI, client: AsyncClient) -> None:
    embed = await client.get("/embed/featured")
    page = await client.get("/featured", params={"lang": "en"})

    assert "Belum ada produk unggulan." in embed.text
    assert "No featured products yet." in page.text


async def test_hostile_product_and_seller_text_comes_out_escaped_on_every_page(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a featured product whose title and seller name carry markup
    shop = await set_up_catalog(app, client)
    hostile = await create_seller(client, shop.owner, name=HOSTILE_SELLER)
    await verify_seller(client, shop.admin, hostile["id"])
    product = await client.post(
        f"/api/v1/sellers/{hostile['id']}/products",
        json={
            "title": HOSTILE_TITLE,
            "category": "rempah",
            "variants": [{"name": "100 g", "price": 25_000, "stock": 3, "weight_grams": 100}],
        },
        headers=shop.owner.headers,
    )
    product_id = product.json()["id"]
    await client.post(f"/api/v1/products/{product_id}/publish", headers=shop.owner.headers)
    await client.post(
        f"/api/v1/products/{product_id}/images",
        files={"file": ("a.jpg", image_bytes("JPEG", 600, 400), "image/jpeg")},
        headers=shop.owner.headers,
    )
    await feature(client, shop.admin, product_id)

    # When each page shows it
    bodies = {
        path: (await client.get(path)).text for path in (*PAGES, f"/embed/products/{product_id}")
    }

    # Then the text is there, escaped, and no markup of it survives
    for path, body in bodies.items():
        assert "Lada &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;/iframe&gt;&#34;" in body, (
            path
        )
        assert "KIM &#34;Lada&#34; &lt;/iframe&gt;&lt;script&gt;alert(2)" in body, path
        assert "alert(1)" not in body.replace("onload=&#34;alert(1)", ""), path
        assert "</iframe>" not in body, path
        assert "<script>alert" not in body, path
        assert body.count("<script") == (0 if path == "/featured" else 1), path
        assert 'alt="Foto Lada &lt;script&gt;alert(&#34;x&#34;)' in body, path


async def test_thumbnails_are_lazy_webp_with_their_size_and_alt_text(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    product = await listed_product(client, shop, "Lada Putih", with_image=True)
    await feature(client, shop.admin, product["id"])
    await featured_product(client, shop, "Madu Tanpa Foto")

    body = (await client.get("/embed/featured")).text

    [image] = re.findall(r"<img [^>]*>", body)
    assert re.search(r'src="http://testserver/media/products/[^"]+_thumb\.webp"', image)
    assert 'width="80" height="40"' in image
    assert 'loading="lazy"' in image
    assert 'alt="Foto Lada Putih"' in image
    assert '<div class="ph">Belum ada foto</div>' in body


async def test_embed_of_twelve_products_weighs_under_30_kb(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given twelve featured products with photos and long names
    shop = await set_up_catalog(app, client, seller_name="Kelompok Informasi Masyarakat Muntok")
    for number in range(12):
        title = f"Lada Putih Muntok Kualitas Ekspor Panen Raya Nomor {number:02d} Kemasan Kedap"
        product = await listed_product(client, shop, title, with_image=True)
        await feature(client, shop.admin, product["id"])

    # When the embed shows all twelve
    response = await client.get("/embed/featured", params={"limit": 12})

    # Then the page, before images, stays under 30 KB
    assert response.text.count('class="card"') == 12
    assert len(response.content) < 30 * 1024


async def test_pages_send_caching_and_security_headers(app: FastAPI, client: AsyncClient) -> None:
    shop = await set_up_catalog(app, client)
    await featured_product(client, shop, "Lada Putih")

    for path in (*PAGES, "/embed/products/lada-putih"):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == (
            "public, max-age=60, stale-while-revalidate=300"
        )
        assert re.fullmatch(r'"[0-9a-f]{32}"', response.headers["etag"])
        assert response.headers["x-content-type-options"] == "nosniff"
        csp = csp_directives(response.headers["content-security-policy"])
        assert csp["default-src"] == "'none'"
        assert csp["img-src"] == "http://testserver"
        assert csp["frame-ancestors"] == "'none'"
        assert csp["base-uri"] == "'none'"
        assert csp["form-action"] == "'none'"
        [styles] = inline("style", response.text)
        assert csp["style-src"] == sha256_source(styles)
        scripts = inline("script", response.text)
        if path == "/featured":
            assert scripts == []
            assert "script-src" not in csp
        else:
            assert csp["script-src"] == sha256_source(scripts[0])
        assert not re.search(r"<[^>]+\son\w+=", response.text), "no inline event handlers"


async def test_framing_is_allowed_to_the_configured_origins_only(
    embed_app: FastAPI, embed_client: AsyncClient
) -> None:
    shop = await set_up_catalog(embed_app, embed_client)
    await featured_product(embed_client, shop, "Lada Putih")

    for path in (*PAGES, "/embed/products/lada-putih"):
        response = await embed_client.get(path)
        csp = csp_directives(response.headers["content-security-policy"])
        assert csp["frame-ancestors"] == f"{GOVERNMENT_SITE} {NEWS_SITE}", path


async def test_embed_talks_only_to_an_allowed_parent_origin(
    embed_app: FastAPI, embed_client: AsyncClient, client: AsyncClient
) -> None:
    shop = await set_up_catalog(embed_app, embed_client)
    await featured_product(embed_client, shop, "Lada Putih")
    widget = {"widget": "pasar-babel-1"}

    allowed = await embed_client.get("/embed/featured", params={"parent": NEWS_SITE, **widget})
    foreign = await embed_client.get(
        "/embed/featured", params={"parent": "https://evil.example", **widget}
    )
    unconfigured = await client.get("/embed/featured", params={"parent": NEWS_SITE, **widget})
    bad_widget = await embed_client.get("/embed/featured", params={"widget": '"><script>'})

    assert f'<body data-parent="{NEWS_SITE}" data-widget="pasar-babel-1">' in allowed.text
    assert "<body>" in foreign.text
    assert "<body>" in unconfigured.text
    assert bad_widget.status_code == 422


async def test_cards_link_to_the_storefront_template(
    embed_app: FastAPI, embed_client: AsyncClient
) -> None:
    shop = await set_up_catalog(embed_app, embed_client)
    product, _ = await featured_product(embed_client, shop, "Lada Putih")

    body = (await embed_client.get("/featured")).text

    assert f'href="https://pasar.babelprov.go.id/produk/{product["slug"]}?dari=embed"' in body
    assert 'target="_blank"' not in body


async def test_dark_theme_and_bad_options(app: FastAPI, client: AsyncClient) -> None:
    dark = await client.get("/embed/featured", params={"theme": "dark", "lang": "en"})
    wrong_theme = await client.get("/embed/featured", params={"theme": "pink"})
    wrong_language = await client.get("/featured", params={"lang": "fr"})
    too_many = await client.get("/embed/featured", params={"limit": 25})

    assert '<html lang="en" class="dark">' in dark.text
    assert wrong_theme.status_code == wrong_language.status_code == too_many.status_code == 422
    assert wrong_theme.headers["content-type"] == "application/problem+json"


async def test_product_embed_shows_any_public_product_by_id_or_slug(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    product = await listed_product(client, shop, "Kerupuk Kemplang", price=35_000)
    draft = await listed_product(client, shop, "Getas Draf", published=False)

    by_slug = await client.get(f"/embed/products/{product['slug']}", params={"lang": "en"})
    by_id = await client.get(f"/embed/products/{product['id']}")
    hidden = await client.get(f"/embed/products/{draft['id']}")
    unknown = await client.get("/embed/products/tidak-ada")

    assert by_slug.status_code == by_id.status_code == 200
    assert "<title>Product: Kerupuk Kemplang</title>" in by_slug.text
    assert "Rp 35.000" in by_id.text
    assert by_slug.text.count('class="card"') == 1
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json()["type"] == "/problems/product-not-found"


async def test_english_embed_page_says_so_in_its_content_language_header(
    client: AsyncClient,
) -> None:
    response = await client.get("/embed/featured", params={"lang": "en"})

    assert response.status_code == 200
    assert response.headers.get_list("content-language") == ["en"]
