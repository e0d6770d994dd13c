"""Refused product bodies: each answers 422 (or 409 for a taken SKU) and creates nothing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.catalog.models import Product, ProductVariant
from tests.factories import (
    CatalogSetup,
    count_rows,
    create_account,
    create_product,
    create_verified_seller,
    product_body,
    set_up_catalog,
    variant_body,
)


async def post_product(
    client: AsyncClient, shop: CatalogSetup, body: dict[str, Any]
) -> dict[str, Any]:
    response = await client.post(
        f"/api/v1/sellers/{shop.seller_id}/products", json=body, headers=shop.owner.headers
    )
    assert response.headers["content-type"] == "application/problem+json", response.text
    result: dict[str, Any] = response.json()
    return result


def error_locations(problem: dict[str, Any]) -> list[list[Any]]:
    return [error["loc"] for error in problem.get("errors", [])]


@pytest.mark.parametrize(
    ("attributes", "location"),
    [
        pytest.param(
            {"pirt_number": "20919050101232"}, ["body", "attributes", "pirt_number"], id="14-digits"
        ),
        pytest.param(
            {"pirt_number": "2091905010123270"},
            ["body", "attributes", "pirt_number"],
            id="16-digits",
        ),
        pytest.param(
            {"pirt_number": "209000001012327"},
            ["body", "attributes", "pirt_number"],
            id="province-00",
        ),
        pytest.param(
            {"pirt_number": "209190001012327"},
            ["body", "attributes", "pirt_number"],
            id="regency-00",
        ),
        pytest.param(
            {"pirt_number": "2091905O1012327"},
            ["body", "attributes", "pirt_number"],
            id="letter-o",
        ),
        pytest.param(
            {"bpom_number": "MD 12345"}, ["body", "attributes", "bpom_number"], id="bpom-short"
        ),
        pytest.param(
            {"bpom_number": "XX 224510001234"},
            ["body", "attributes", "bpom_number"],
            id="bpom-prefix",
        ),
        pytest.param(
            {"halal_certificate": "ab"},
            ["body", "attributes", "halal_certificate"],
            id="halal-short",
        ),
    ],
)
async def test_bad_compliance_number_is_422_naming_the_attribute(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    attributes: dict[str, str],
    location: list[str],
) -> None:
    # Given a verified seller
    shop = await set_up_catalog(app, client)

    # When a product carries a malformed compliance number
    problem = await post_product(client, shop, product_body(attributes=attributes))

    # Then the problem names exactly that attribute, and no product exists
    assert problem["status"] == 422
    assert error_locations(problem) == [location]
    assert await count_rows(sessionmaker, Product) == 0


def _variants(count: int) -> list[dict[str, Any]]:
    return [variant_body(f"Ukuran {n}", price=1000 + n) for n in range(count)]


@pytest.mark.parametrize(
    ("body", "location"),
    [
        pytest.param(product_body(variants=[]), ["body", "variants"], id="no-variants"),
        pytest.param(product_body(variants=_variants(51)), ["body", "variants"], id="51-variants"),
        pytest.param(
            product_body(variants=[variant_body(price=-1)]),
            ["body", "variants", 0, "price"],
            id="negative-price",
        ),
        pytest.param(
            product_body(variants=[variant_body(), {**variant_body("1 kg"), "price": 1.5}]),
            ["body", "variants", 1, "price"],
            id="float-price",
        ),
        pytest.param(
            product_body(variants=[{**variant_body(), "price": "1000"}]),
            ["body", "variants", 0, "price"],
            id="price-as-string",
        ),
        pytest.param(
            product_body(variants=[variant_body(price=1_000_000_001)]),
            ["body", "variants", 0, "price"],
            id="price-over-1-billion",
        ),
        pytest.param(
            product_body(variants=[variant_body(stock=-1)]),
            ["body", "variants", 0, "stock"],
            id="negative-stock",
        ),
        pytest.param(
            product_body(variants=[variant_body(weight_grams=0)]),
            ["body", "variants", 0, "weight_grams"],
            id="weight-0",
        ),
        pytest.param(product_body(title="Ld"), ["body", "title"], id="title-2-chars"),
        pytest.param(product_body(title="L" * 201), ["body", "title"], id="title-201-chars"),
        pytest.param(product_body(category="tidak-ada"), ["body", "category"], id="unknown-cat"),
        pytest.param({**product_body(), "discount": 10}, ["body", "discount"], id="unknown-field"),
        pytest.param(
            product_body(
                variants=[variant_body("100 g", sku="LPM-1"), variant_body("250 g", sku="LPM-1")]
            ),
            ["body", "variants"],
            id="duplicate-sku-in-request",
        ),
    ],
)
async def test_invalid_product_is_422_and_creates_nothing(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    body: dict[str, Any],
    location: list[Any],
) -> None:
    # Given a verified seller
    shop = await set_up_catalog(app, client)

    # When the owner sends an invalid product
    problem = await post_product(client, shop, body)

    # Then it is a 422 naming the field, and no product or variant was written
    assert problem["status"] == 422
    assert problem["type"] == "/problems/validation-error"
    assert location in error_locations(problem)
    assert await count_rows(sessionmaker, Product) == 0
    assert await count_rows(sessionmaker, ProductVariant) == 0


async def test_fifty_variants_are_accepted(app: FastAPI, client: AsyncClient) -> None:
    # Given a verified seller
    shop = await set_up_catalog(app, client)

    # When a product has exactly 50 variants
    product = await create_product(client, shop.owner, shop.seller_id, variants=_variants(50))

    # Then all 50 are stored and the price is the cheapest
    assert len(product["variants"]) == 50
    assert product["price"] == 1000


async def test_sku_used_by_another_product_of_the_seller_is_409_sku_taken(
    app: FastAPI, client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # Given a product with SKU "LPM-100"
    shop = await set_up_catalog(app, client)
    await create_product(client, shop.owner, shop.seller_id, variants=[variant_body(sku="LPM-100")])

    # When the same seller creates another product reusing it
    problem = await post_product(
        client,
        shop,
        product_body(title="Lada Hitam", variants=[variant_body(sku="LPM-100")]),
    )

    # Then it is a 409 sku-taken and only the first product exists
    assert problem["status"] == 409
    assert problem["type"].endswith("/sku-taken")
    assert await count_rows(sessionmaker, Product) == 1
    assert await count_rows(sessionmaker, ProductVariant) == 1


async def test_same_sku_at_another_seller_is_fine(app: FastAPI, client: AsyncClient) -> None:
    # Given seller A uses SKU "MADU-1"
    shop = await set_up_catalog(app, client)
    await create_product(client, shop.owner, shop.seller_id, variants=[variant_body(sku="MADU-1")])
    other_owner = await create_account(client)
    other = await create_verified_seller(client, other_owner, shop.admin, name="Madu Pelawan")

    # When seller B uses the same SKU
    product = await create_product(
        client, other_owner, other["id"], variants=[variant_body(sku="MADU-1")]
    )

    # Then it is created with that SKU
    assert [v["sku"] for v in product["variants"]] == ["MADU-1"]


async def test_title_of_3_and_200_characters_is_accepted(app: FastAPI, client: AsyncClient) -> None:
    # Given a verified seller
    shop = await set_up_catalog(app, client)

    # When titles at both length limits are used
    short = await create_product(client, shop.owner, shop.seller_id, title="Teh")
    long = await create_product(client, shop.owner, shop.seller_id, title="T" * 200)

    # Then both are created
    assert short["title"] == "Teh"
    assert len(long["title"]) == 200


async def test_price_of_exactly_1_billion_and_0_are_accepted(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a verified seller
    shop = await set_up_catalog(app, client)

    # When a product has a free sample and a Rp 1 miliar lot
    product = await create_product(
        client,
        shop.owner,
        shop.seller_id,
        variants=[variant_body("Sampel", price=0), variant_body("Grosir", price=1_000_000_000)],
    )

    # Then both prices are kept and the product price is 0
    assert [v["price"] for v in product["variants"]] == [0, 1_000_000_000]
    assert product["price"] == 0


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(product_body(title="Lada\x00Putih"), id="title"),
        pytest.param(product_body(description="Lada\x00putih"), id="description"),
        pytest.param(product_body(variants=[variant_body("100\x00g")]), id="variant-name"),
    ],
)
async def test_nul_character_in_text_is_422_not_a_server_error(
    app: FastAPI,
    client: AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    body: dict[str, Any],
) -> None:
    # Given a verified seller
    shop = await set_up_catalog(app, client)

    # When a text field contains a NUL character (PostgreSQL cannot store one)
    problem = await post_product(client, shop, body)

    # Then it is refused as invalid input
    assert problem["status"] == 422
    assert await count_rows(sessionmaker, Product) == 0
