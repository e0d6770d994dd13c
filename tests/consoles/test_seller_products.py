"""Products in the seller console: a new listing with a photo, quick stock and price changes,
publishing, archiving after a confirm step, and refusals shown in the page with nothing
changed."""

from __future__ import annotations

import re

from fastapi import FastAPI
from httpx import AsyncClient

from marketplace.catalog.models import Product, ProductImage, ProductVariant
from tests.consoles.world import page_token, sign_in_on_pages
from tests.factories import count_rows, image_bytes, set_up_catalog


def new_product_form(token: str, category: str, **changes: str) -> dict[str, str]:
    form = {
        "csrf_token": token,
        "title": "Lada Putih Muntok",
        "category": category,
        "description": "Lada pilihan dari Bangka Barat.",
        "variants.0.name": "250 gram",
        "variants.0.price": "Rp 55.000",
        "variants.0.stock": "12",
        "variants.0.weight_grams": "270",
        "variants.1.name": "",
        "variants.1.price": "",
        "variants.1.stock": "",
        "variants.1.weight_grams": "",
    }
    form.update(changes)
    return form


async def test_member_adds_a_product_with_a_photo_and_publishes_it(
    app: FastAPI, client: AsyncClient
) -> None:
    setup = await set_up_catalog(app, client)
    await sign_in_on_pages(client, setup.owner)
    base = f"/penjual/{setup.seller_id}"
    token = await page_token(client, f"{base}/produk/baru")
    created = await client.post(
        f"{base}/produk/baru",
        data=new_product_form(token, setup.category),
        files={"photo": ("lada.jpg", image_bytes(), "image/jpeg")},
    )
    assert created.status_code == 303, created.text
    page = await client.get(created.headers["location"])
    assert "Produk disimpan sebagai draf" in page.text
    assert "Rp" not in re.findall(r'name="price\.[^"]+" value="([^"]*)"', page.text)[0]
    assert re.findall(r'name="price\.[^"]+" value="([^"]*)"', page.text) == ["55000"]
    assert await count_rows(app.state.sessionmaker, ProductImage) == 1

    published = await client.post(
        f"{created.headers['location']}/tayangkan", data={"csrf_token": token}
    )
    assert published.status_code == 303
    shown = await client.get(published.headers["location"])
    assert "Produk sudah tayang di toko." in shown.text
    listing = await client.get(f"{base}/produk", params={"status": "published"})
    assert "Lada Putih Muntok" in listing.text


async def test_bad_price_is_shown_beside_the_field_and_nothing_is_created(
    app: FastAPI, client: AsyncClient
) -> None:
    setup = await set_up_catalog(app, client)
    await sign_in_on_pages(client, setup.owner)
    base = f"/penjual/{setup.seller_id}"
    token = await page_token(client, f"{base}/produk/baru")
    response = await client.post(
        f"{base}/produk/baru",
        data=new_product_form(token, setup.category, **{"variants.0.price": "lima ribu"}),
    )
    assert response.status_code == 422
    assert 'id="e-variants.0.price"' in response.text
    assert 'value="lima ribu"' in response.text
    assert 'value="Lada Putih Muntok"' in response.text
    assert await count_rows(app.state.sessionmaker, Product) == 0


async def test_broken_photo_refuses_the_whole_new_product(
    app: FastAPI, client: AsyncClient
) -> None:
    setup = await set_up_catalog(app, client)
    await sign_in_on_pages(client, setup.owner)
    base = f"/penjual/{setup.seller_id}"
    token = await page_token(client, f"{base}/produk/baru")
    response = await client.post(
        f"{base}/produk/baru",
        data=new_product_form(token, setup.category),
        files={"photo": ("lada.jpg", b"not a picture at all", "image/jpeg")},
    )
    assert response.status_code in (415, 422)
    assert response.headers["content-type"].startswith("text/html")
    assert await count_rows(app.state.sessionmaker, Product) == 0


async def test_quick_stock_and_price_edit_and_archive_after_confirming(
    app: FastAPI, client: AsyncClient
) -> None:
    setup = await set_up_catalog(app, client)
    await sign_in_on_pages(client, setup.owner)
    base = f"/penjual/{setup.seller_id}"
    token = await page_token(client, f"{base}/produk/baru")
    created = await client.post(f"{base}/produk/baru", data=new_product_form(token, setup.category))
    product_path = created.headers["location"]
    page = await client.get(product_path)
    variant_id = re.search(r'name="price\.([^"]+)"', page.text).group(1)  # type: ignore[union-attr]

    refused = await client.post(
        f"{product_path}/stok",
        data={"csrf_token": token, f"price.{variant_id}": "60000", f"stock.{variant_id}": "-4"},
    )
    assert refused.status_code == 422
    assert 'value="-4"' in refused.text
    unchanged = await client.get(product_path)
    assert f'name="price.{variant_id}" value="55000"' in unchanged.text

    saved = await client.post(
        f"{product_path}/stok",
        data={"csrf_token": token, f"price.{variant_id}": "Rp 60.000", f"stock.{variant_id}": "3"},
    )
    assert saved.status_code == 303
    changed = await client.get(product_path)
    assert f'name="price.{variant_id}" value="60000"' in changed.text
    assert f'name="stock.{variant_id}" value="3"' in changed.text

    asked = await client.post(f"{product_path}/arsipkan", data={"csrf_token": token})
    assert asked.status_code == 200
    assert 'name="confirmed" value="1"' in asked.text
    still = await client.get(product_path)
    assert "badge draft" in still.text
    archived = await client.post(
        f"{product_path}/arsipkan", data={"csrf_token": token, "confirmed": "1"}
    )
    assert archived.status_code == 303
    assert "badge archived" in (await client.get(product_path)).text


async def test_member_adds_a_variant_on_the_product_page(app: FastAPI, client: AsyncClient) -> None:
    setup = await set_up_catalog(app, client)
    await sign_in_on_pages(client, setup.owner)
    base = f"/penjual/{setup.seller_id}"
    token = await page_token(client, f"{base}/produk/baru")
    created = await client.post(f"{base}/produk/baru", data=new_product_form(token, setup.category))
    product_path = created.headers["location"]
    page = await client.get(product_path)
    assert "Tambah varian" in page.text
    assert f'action="{product_path}/varian"' in page.text
    variant = {"name": "1 kg", "price": "Rp 200.000", "stock": "4", "weight_grams": "1050"}

    refused = await client.post(
        f"{product_path}/varian", data={"csrf_token": token, **variant, "stock": "banyak"}
    )
    assert refused.status_code == 422
    assert 'id="e-stock"' in refused.text
    assert 'value="banyak"' in refused.text
    assert 'value="Rp 200.000"' in refused.text
    assert 'value="1 kg"' in refused.text
    assert await count_rows(app.state.sessionmaker, ProductVariant) == 1

    added = await client.post(f"{product_path}/varian", data={"csrf_token": token, **variant})
    assert added.status_code == 303, added.text
    assert added.headers["location"] == product_path
    shown = await client.get(product_path)
    assert "Varian ditambahkan." in shown.text
    assert re.findall(r'name="price\.[^"]+" value="([^"]*)"', shown.text) == ["55000", "200000"]
    assert await count_rows(app.state.sessionmaker, ProductVariant) == 2


async def test_publishing_before_verification_says_why_in_the_page(
    app: FastAPI, client: AsyncClient
) -> None:
    setup = await set_up_catalog(app, client, verified=False)
    await sign_in_on_pages(client, setup.owner)
    base = f"/penjual/{setup.seller_id}"
    token = await page_token(client, f"{base}/produk/baru")
    created = await client.post(f"{base}/produk/baru", data=new_product_form(token, setup.category))
    refused = await client.post(
        f"{created.headers['location']}/tayangkan", data={"csrf_token": token}
    )
    assert refused.status_code == 409
    assert 'class="flash error"' in refused.text
    assert "badge draft" in refused.text
