"""Compliance numbers as the law and the packs have them: P-IRT with the year it lapses,
BPOM numbers printed with "BPOM RI" and of every current kind, halal declarations for food and
beverages, and the daily sweep that warns sellers 30 days before a number lapses."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient, Response
from sqlalchemy import select, update

from marketplace.catalog.models import Category, Product
from marketplace.catalog.tasks import sweep_compliance
from marketplace.notifications.models import OutboxEmail
from tests.factories import (
    CatalogSetup,
    create_category,
    create_product,
    create_published_product,
    listed_slugs,
    product_body,
    set_up_catalog,
)
from tests.moderation.helpers import queue


async def post_product(client: AsyncClient, shop: CatalogSetup, **fields: Any) -> Response:
    return await client.post(
        f"/api/v1/sellers/{shop.seller_id}/products",
        json=product_body(**fields),
        headers=shop.owner.headers,
    )


async def test_pirt_number_that_lapsed_in_2019_is_refused(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)

    response = await client.post(
        f"/api/v1/sellers/{shop.seller_id}/products",
        json=product_body(attributes={"pirt_number": "2091905010123-19"}),
        headers=shop.owner.headers,
    )

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["loc"] == ["body", "attributes", "pirt_number"]
    assert "2019" in error["msg"]
    assert await listed_slugs(client) == []


@pytest.mark.parametrize(
    ("printed", "stored"),
    [
        pytest.param("BPOM RI MD 224510001234", "MD 224510001234", id="bpom-ri-md"),
        pytest.param("BPOM RI ML 123456789012", "ML 123456789012", id="bpom-ri-ml"),
        pytest.param("bpom md 2245 1000 1234", "MD 224510001234", id="lower-case-grouped"),
        pytest.param("POM TR 133 337 641", "TR 133337641", id="jamu-tr"),
        pytest.param("BPOM RI TR203012345", "TR 203012345", id="jamu-tr-new"),
        pytest.param("POM TI 124 300 571", "TI 124300571", id="imported-traditional"),
        pytest.param("BPOM RI NA18191200123", "NA18191200123", id="cosmetics-na"),
        pytest.param("NC14200300123", "NC14200300123", id="cosmetics-europe"),
        pytest.param("POM SD 201 555 561", "SD 201555561", id="supplement-sd"),
        pytest.param("BPOM RI HT 123456789", "HT 123456789", id="herbal-standardised"),
    ],
)
async def test_bpom_numbers_as_printed_on_packs_are_accepted(
    app: FastAPI, client: AsyncClient, printed: str, stored: str
) -> None:
    shop = await set_up_catalog(app, client)

    product = await create_product(
        client, shop.owner, shop.seller_id, attributes={"bpom_number": printed}
    )

    assert product["attributes"]["bpom_number"] == stored


@pytest.mark.parametrize(
    "printed",
    ["BPOM RI MD 12345", "TR 12", "NA 1819", "XX 224510001234", "BPOM RI", "MD-ABC"],
)
async def test_malformed_bpom_numbers_are_refused(
    app: FastAPI, client: AsyncClient, printed: str
) -> None:
    shop = await set_up_catalog(app, client)

    response = await post_product(client, shop, attributes={"bpom_number": printed})

    assert response.status_code == 422


async def halal_category(app: FastAPI, client: AsyncClient) -> CatalogSetup:
    """A shop whose category, "makanan", requires a halal declaration."""
    shop = await set_up_catalog(app, client)
    response = await client.post(
        "/api/v1/admin/categories",
        json={"slug": "makanan", "name": "Makanan", "halal_required": True},
        headers=shop.admin.headers,
    )
    assert response.status_code == 201
    assert response.json()["halal_required"] is True
    await create_category(client, shop.admin, slug="camilan", name="Camilan", parent="makanan")
    return shop


async def test_food_without_halal_certificate_or_declaration_is_refused(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await halal_category(app, client)

    response = await post_product(client, shop, title="Kemplang Tenggiri", category="camilan")

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["loc"] == ["body", "attributes", "halal_certificate"]


async def test_food_declared_non_halal_is_listed_with_the_declaration(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await halal_category(app, client)

    product = await create_published_product(
        client,
        shop.owner,
        shop.seller_id,
        title="Kerupuk Babi",
        category="camilan",
        attributes={"non_halal": True},
    )

    assert product["status"] == "published"
    assert product["attributes"]["non_halal"] is True
    embed = await client.get(f"/embed/products/{product['id']}")
    assert "Non-halal" in embed.text
    public = await client.get(f"/api/v1/products/{product['id']}")
    assert public.json()["attributes"]["non_halal"] is True


async def test_halal_certificate_and_non_halal_together_are_refused(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await halal_category(app, client)

    response = await post_product(
        client,
        shop,
        category="camilan",
        attributes={"halal_certificate": "ID31110000123450424", "non_halal": True},
    )

    assert response.status_code == 422


async def test_older_food_listing_without_declaration_cannot_be_published(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a draft made before its category required a halal declaration
    shop = await set_up_catalog(app, client)
    product = await create_product(client, shop.owner, shop.seller_id)
    async with app.state.sessionmaker() as session, session.begin():
        await session.execute(
            update(Category).where(Category.slug == "rempah").values(halal_required=True)
        )

    response = await client.post(
        f"/api/v1/products/{product['id']}/publish", headers=shop.owner.headers
    )

    assert response.status_code == 409
    assert response.json()["type"].endswith("/halal-declaration-missing")


async def test_halal_certificate_date_in_the_past_is_refused(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)

    response = await post_product(
        client,
        shop,
        attributes={"halal_certificate": "ID31110000123450424", "halal_valid_until": "2020-01-31"},
    )

    assert response.status_code == 422


async def test_sweep_emails_30_days_ahead_once_and_flags_lapsed_listings(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a listing whose P-IRT lapses at the end of 2027 and one with a halal certificate
    # valid until 5 January 2028
    shop = await set_up_catalog(app, client)
    pepper = await create_published_product(
        client, shop.owner, shop.seller_id, attributes={"pirt_number": "209190501012327"}
    )
    honey = await create_published_product(
        client,
        shop.owner,
        shop.seller_id,
        title="Madu Pelawan",
        attributes={"halal_certificate": "ID31110000123450424", "halal_valid_until": "2028-01-05"},
    )

    # When the sweep runs on 10 December 2027, twice
    december = datetime(2027, 12, 10, 2, 0, tzinfo=UTC)
    first = await sweep_compliance(app.state.sessionmaker, december)
    second = await sweep_compliance(app.state.sessionmaker, december)

    # Then the owner got one e-mail naming both, and the second run sent nothing
    assert first.notices == 2
    assert second.notices == 0
    async with app.state.sessionmaker() as session:
        emails = list(
            (
                await session.execute(
                    select(OutboxEmail).where(OutboxEmail.template == "compliance_expiring")
                )
            ).scalars()
        )
    assert [email.recipient for email in emails] == [shop.owner.email]
    assert "P-IRT 209190501012327" in emails[0].body_text
    assert "Halal ID31110000123450424" in emails[0].body_text
    assert "05-01-2028" in emails[0].body_text

    # When the sweep runs on 2 January 2028, the lapsed P-IRT takes the pepper off sale
    january = datetime(2028, 1, 2, 2, 0, tzinfo=UTC)
    report = await sweep_compliance(app.state.sessionmaker, january)
    assert report.flagged == [uuid.UUID(pepper["id"])]
    assert await listed_slugs(client) == [honey["slug"]]
    [item] = await queue(client, shop.admin, kind="compliance")
    assert item["reasons"] == [{"code": "pirt_lapsed", "detail": "209190501012327"}]


async def test_demo_numbers_are_valid_and_unexpired() -> None:
    from marketplace.catalog.compliance import normalize_pirt_number  # noqa: PLC0415
    from marketplace.demo.catalog import demo_products  # noqa: PLC0415

    numbers = [product.pirt for product in demo_products() if product.pirt]

    assert len(numbers) > 20
    for number in numbers:
        assert int(number[-2:]) + 2000 > date.today().year
        assert normalize_pirt_number(number) == number


async def test_lapsed_number_on_an_existing_draft_is_refused_when_edited(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    product = await create_product(client, shop.owner, shop.seller_id)

    response = await client.patch(
        f"/api/v1/products/{product['id']}",
        json={"attributes": {"pirt_number": "P-IRT 2091905010123-24"}},
        headers=shop.owner.headers,
    )

    assert response.status_code == 422
    async with app.state.sessionmaker() as session:
        stored = await session.scalar(
            select(Product.pirt_number).where(Product.id == uuid.UUID(product["id"]))
        )
    assert stored is None


async def test_halal_certificate_cannot_be_dropped_from_a_food_listing(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await halal_category(app, client)
    product = await create_published_product(
        client,
        shop.owner,
        shop.seller_id,
        title="Kemplang Tenggiri",
        category="camilan",
        attributes={"halal_certificate": "ID31110000123450424"},
    )

    response = await client.patch(
        f"/api/v1/products/{product['id']}",
        json={"attributes": {"halal_certificate": None}},
        headers=shop.owner.headers,
    )

    assert response.status_code == 422
    public = (await client.get(f"/api/v1/products/{product['id']}")).json()
    assert public["attributes"]["halal_certificate"] == "ID31110000123450424"
