"""/oembed: a CMS turns a product's address into an iframe of its card."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import set_up_catalog
from tests.featured.world import listed_product


async def oembed(client: AsyncClient, url: str, **params: object) -> dict[str, object]:
    response = await client.get("/oembed", params={"url": url, **params})
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()
    return result


async def test_product_address_gives_a_rich_iframe_of_its_card(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a published product with a photo
    shop = await set_up_catalog(app, client)
    product = await listed_product(client, shop, "Madu Pelawan", with_image=True)

    # When a CMS asks for the product's address
    response = await client.get(
        "/oembed", params={"url": f"http://testserver/api/v1/products/{product['slug']}"}
    )

    # Then it gets oEmbed 1.0 rich JSON whose html frames the product's embed card
    body = response.json()
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert body["version"] == "1.0"
    assert body["type"] == "rich"
    assert body["title"] == "Madu Pelawan"
    assert body["author_name"] == "KIM Lada Muntok"
    assert body["provider_url"] == "http://testserver"
    assert (body["width"], body["height"]) == (360, 540)
    assert body["html"] == (
        f'<iframe src="http://testserver/embed/products/{product["slug"]}" title="Madu Pelawan"'
        ' width="360" height="540" loading="lazy" style="border:0;max-width:100%"></iframe>'
    )
    assert str(body["thumbnail_url"]).endswith("_thumb.webp")
    assert (body["thumbnail_width"], body["thumbnail_height"]) == (80, 40)


async def test_embed_and_id_addresses_work_and_maxwidth_is_kept(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    product = await listed_product(client, shop, "Kerupuk Kemplang")

    by_embed = await oembed(client, f"http://testserver/embed/products/{product['slug']}?lang=en")
    by_id = await oembed(
        client, f"http://testserver/api/v1/products/{product['id']}", maxwidth=300, maxheight=400
    )

    assert by_embed["title"] == by_id["title"] == "Kerupuk Kemplang"
    assert (by_id["width"], by_id["height"]) == (300, 400)
    assert "thumbnail_url" not in by_id


async def test_storefront_address_is_understood(
    embed_app: FastAPI, embed_client: AsyncClient
) -> None:
    shop = await set_up_catalog(embed_app, embed_client)
    product = await listed_product(embed_client, shop, "Lada Putih")

    body = await oembed(
        embed_client, f"https://pasar.babelprov.go.id/produk/{product['slug']}?dari=embed"
    )

    assert body["title"] == "Lada Putih"


async def test_title_is_escaped_inside_the_iframe_html(app: FastAPI, client: AsyncClient) -> None:
    shop = await set_up_catalog(app, client)
    product = await listed_product(client, shop, 'Lada "><script>alert(1)</script>')

    body = await oembed(client, f"http://testserver/embed/products/{product['id']}")

    assert 'title="Lada &#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in str(body["html"])


async def test_foreign_unknown_and_hidden_addresses_are_not_found(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    product = await listed_product(client, shop, "Lada Putih")
    draft = await listed_product(client, shop, "Lada Draf", published=False)
    addresses = [
        f"https://evil.example/api/v1/products/{product['slug']}",
        "http://testserver/api/v1/products/tidak-ada",
        f"http://testserver/api/v1/products/{draft['slug']}",
        "http://testserver/featured",
        "bukan alamat",
    ]

    for url in addresses:
        response = await client.get("/oembed", params={"url": url})
        assert response.status_code == 404, url
        assert response.json()["type"] == "/problems/oembed-unknown-url"


async def test_xml_is_not_implemented(app: FastAPI, client: AsyncClient) -> None:
    shop = await set_up_catalog(app, client)
    product = await listed_product(client, shop, "Lada Putih")

    response = await client.get(
        "/oembed",
        params={"url": f"http://testserver/api/v1/products/{product['slug']}", "format": "xml"},
    )

    assert response.status_code == 501
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/oembed-format-not-implemented"


async def test_malformed_url_is_422_naming_it(client: AsyncClient) -> None:
    # Issue 10: GET /oembed?url=http://%5B::1 answered 500 (an IPv6 host never closed).
    response = await client.get("/oembed?url=http://%5B::1")

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "url"]
