"""Creating a product: a draft with its variants, slug, lowest price, region and compliance
numbers taken care of."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import (
    create_account,
    create_product,
    create_verified_seller,
    product_body,
    set_up_catalog,
    variant_body,
)


async def test_create_product_answers_201_draft_with_slug_lowest_price_and_rupiah(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a verified seller in Bangka Barat (19.05)
    shop = await set_up_catalog(app, client, region_code="19.05")

    # When the owner lists white pepper in two sizes
    response = await client.post(
        f"/api/v1/sellers/{shop.seller_id}/products",
        json=product_body(
            title="Lada Putih Muntok",
            variants=[
                variant_body("250 g", price=55_000, stock=4, weight_grams=270, sku="LPM-250"),
                variant_body("100 g", price=25_000, stock=9, weight_grams=120, sku="LPM-100"),
            ],
        ),
        headers=shop.owner.headers,
    )

    # Then it is a draft priced at its cheapest variant, in rupiah, in the seller's region
    assert response.status_code == 201, response.text
    product = response.json()
    assert product["status"] == "draft"
    assert product["slug"] == "lada-putih-muntok"
    assert product["title"] == "Lada Putih Muntok"
    assert product["price"] == 25_000
    assert product["currency"] == "IDR"
    assert product["region_code"] == "19.05"
    assert product["category"] == "rempah"
    assert product["in_stock"] is True
    assert product["image"] is None
    assert product["images"] == []
    assert product["published_at"] is None
    assert product["seller"] == {
        "id": shop.seller_id,
        "slug": shop.seller["slug"],
        "name": "KIM Lada Muntok",
    }
    assert [
        (v["name"], v["sku"], v["price"], v["currency"], v["stock"], v["weight_grams"])
        for v in product["variants"]
    ] == [
        ("250 g", "LPM-250", 55_000, "IDR", 4, 270),
        ("100 g", "LPM-100", 25_000, "IDR", 9, 120),
    ]


async def test_second_product_with_the_same_title_gets_slug_suffix_2(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a product titled "Lada Putih Muntok"
    shop = await set_up_catalog(app, client)
    first = await create_product(client, shop.owner, shop.seller_id, title="Lada Putih Muntok")

    # When another one with the same title is created (here by another seller)
    other_owner = await create_account(client)
    other = await create_verified_seller(client, other_owner, shop.admin, name="Lada Jebus")
    second = await create_product(client, other_owner, other["id"], title="Lada Putih Muntok")

    # Then the second slug carries "-2", and each slug opens its own product
    assert first["slug"] == "lada-putih-muntok"
    assert second["slug"] == "lada-putih-muntok-2"
    detail = await client.get("/api/v1/products/lada-putih-muntok-2", headers=other_owner.headers)
    assert detail.json()["id"] == second["id"]


async def test_product_region_is_copied_from_the_seller(app: FastAPI, client: AsyncClient) -> None:
    # Given a seller in Belitung Timur (19.06)
    shop = await set_up_catalog(app, client, region_code="19.06")

    # When they create a product
    product = await create_product(client, shop.owner, shop.seller_id)

    # Then the product is in 19.06
    assert product["region_code"] == "19.06"


async def test_valid_pirt_number_is_stored_as_its_15_digits(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a P-IRT number written with separators, as printed on a label
    shop = await set_up_catalog(app, client)

    # When a product is created with it
    product = await create_product(
        client, shop.owner, shop.seller_id, attributes={"pirt_number": "P-IRT 2091905010123-27"}
    )

    # Then the digits are kept, nothing else
    assert product["attributes"] == {
        "pirt_number": "209190501012327",
        "bpom_number": None,
        "halal_certificate": None,
        "halal_valid_until": None,
        "non_halal": False,
    }


async def test_bpom_number_in_lower_case_is_normalised(app: FastAPI, client: AsyncClient) -> None:
    # Given a BPOM number typed in lower case
    shop = await set_up_catalog(app, client)

    # When a product is created with it
    product = await create_product(
        client, shop.owner, shop.seller_id, attributes={"bpom_number": "md 224510001234"}
    )

    # Then it is stored as "MD 224510001234"
    assert product["attributes"]["bpom_number"] == "MD 224510001234"


async def test_halal_certificate_is_stored_in_upper_case(app: FastAPI, client: AsyncClient) -> None:
    # Given a halal certificate number in lower case
    shop = await set_up_catalog(app, client)

    # When a product is created with it
    product = await create_product(
        client, shop.owner, shop.seller_id, attributes={"halal_certificate": "id19110000123450422"}
    )

    # Then it comes back upper-cased, and the detail page shows the same
    assert product["attributes"]["halal_certificate"] == "ID19110000123450422"
    detail = await client.get(f"/api/v1/products/{product['id']}", headers=shop.owner.headers)
    assert detail.json()["attributes"]["halal_certificate"] == "ID19110000123450422"


async def test_updating_attributes_normalises_them_too(app: FastAPI, client: AsyncClient) -> None:
    # Given a product without compliance numbers
    shop = await set_up_catalog(app, client)
    product = await create_product(client, shop.owner, shop.seller_id)

    # When the owner adds a BPOM number later
    response = await client.patch(
        f"/api/v1/products/{product['id']}",
        json={"attributes": {"bpom_number": "ml 123456789012"}},
        headers=shop.owner.headers,
    )

    # Then it is normalised and the other numbers stay empty
    assert response.status_code == 200, response.text
    assert response.json()["attributes"] == {
        "pirt_number": None,
        "bpom_number": "ML 123456789012",
        "halal_certificate": None,
        "halal_valid_until": None,
        "non_halal": False,
    }


async def test_patch_changes_title_description_and_category_but_keeps_the_slug(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a product in "rempah" and a second category "madu"
    shop = await set_up_catalog(app, client)
    await client.post(
        "/api/v1/admin/categories",
        json={"slug": "madu", "name": "Madu"},
        headers=shop.admin.headers,
    )
    product = await create_product(client, shop.owner, shop.seller_id, title="Madu Hutan")

    # When the owner edits it
    response = await client.patch(
        f"/api/v1/products/{product['id']}",
        json={"title": "Madu Pelawan Asli", "description": "Pahit manis", "category": "madu"},
        headers=shop.owner.headers,
    )

    # Then the fields change; the slug (its address) does not
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["title"], body["description"], body["category"]) == (
        "Madu Pelawan Asli",
        "Pahit manis",
        "madu",
    )
    assert body["slug"] == "madu-hutan"


async def test_patching_one_attribute_keeps_the_others(app: FastAPI, client: AsyncClient) -> None:
    # Given a product with a P-IRT number
    shop = await set_up_catalog(app, client)
    product = await create_product(
        client, shop.owner, shop.seller_id, attributes={"pirt_number": "209190501012327"}
    )

    # When only a halal certificate is added
    response = await client.patch(
        f"/api/v1/products/{product['id']}",
        json={"attributes": {"halal_certificate": "ID19110000123450422"}},
        headers=shop.owner.headers,
    )

    # Then the P-IRT number is still there
    assert response.json()["attributes"] == {
        "pirt_number": "209190501012327",
        "bpom_number": None,
        "halal_certificate": "ID19110000123450422",
        "halal_valid_until": None,
        "non_halal": False,
    }


async def test_patch_with_an_unknown_category_or_null_title_is_422_and_changes_nothing(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a product in "rempah"
    shop = await set_up_catalog(app, client)
    product = await create_product(client, shop.owner, shop.seller_id)
    url = f"/api/v1/products/{product['id']}"

    # When the owner sends an unknown category, a null title, or a bad P-IRT number
    unknown = await client.patch(
        url, json={"title": "Baru", "category": "tidak-ada"}, headers=shop.owner.headers
    )
    null_title = await client.patch(url, json={"title": None}, headers=shop.owner.headers)
    bad_pirt = await client.patch(
        url, json={"attributes": {"pirt_number": "123"}}, headers=shop.owner.headers
    )

    # Then each is a 422 naming its field, and the product is unchanged
    assert [error["loc"] for error in unknown.json()["errors"]] == [["body", "category"]]
    assert [error["loc"] for error in null_title.json()["errors"]] == [["body", "title"]]
    assert [error["loc"] for error in bad_pirt.json()["errors"]] == [
        ["body", "attributes", "pirt_number"]
    ]
    detail = (await client.get(url, headers=shop.owner.headers)).json()
    assert (detail["title"], detail["category"], detail["attributes"]["pirt_number"]) == (
        "Lada Putih Muntok",
        "rempah",
        None,
    )
