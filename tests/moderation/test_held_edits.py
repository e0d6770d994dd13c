"""Approved content is what the public sees: a seller's edit of a public listing shows at once
only in post mode, when screening passes and the listing is not featured; otherwise it waits
in the queue with its diff. Featured pages and embeds keep the approved version."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from marketplace.config import ListingReview
from tests.conftest import make_settings
from tests.factories import (
    create_product,
    create_published_product,
    http_client,
    image_bytes,
    running_app,
    set_up_catalog,
    upload_image,
)
from tests.featured.world import feature
from tests.moderation.helpers import approve, queue


async def patch(client: AsyncClient, headers: dict[str, str], product_id: str, **body: Any) -> Any:
    response = await client.patch(f"/api/v1/products/{product_id}", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def public_views(client: AsyncClient, product_id: str) -> list[str]:
    """Everything the public reads of a featured product: API list and detail, the featured
    JSON and page, the featured embed and the product embed."""
    pages = [
        (await client.get("/api/v1/products")).text,
        (await client.get(f"/api/v1/products/{product_id}")).text,
        (await client.get("/api/v1/featured")).text,
        (await client.get("/featured")).text,
        (await client.get("/embed/featured")).text,
        (await client.get(f"/embed/products/{product_id}")).text,
    ]
    return pages


async def test_retitled_featured_product_keeps_its_approved_title_until_an_admin_approves(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a featured product
    shop = await set_up_catalog(app, client)
    product = await create_published_product(
        client, shop.owner, shop.seller_id, title="Lada Putih Muntok"
    )
    await feature(client, shop.admin, product["id"])

    # When its seller retitles it (a title screening finds nothing wrong with)
    edited = await patch(client, shop.owner.headers, product["id"], title="Lada Putih Istimewa")

    # Then the seller sees the edit waiting, and every public view keeps the approved title
    assert edited["title"] == "Lada Putih Muntok"
    assert edited["moderation"]["pending_changes"] == {"title": "Lada Putih Istimewa"}
    for page in await public_views(client, product["id"]):
        assert "Lada Putih Muntok" in page
        assert "Istimewa" not in page
    # and the queue shows the diff
    [item] = await queue(client, shop.admin)
    assert item["kind"] == "edit"
    assert item["diff"] == {
        "title": {"before": "Lada Putih Muntok", "after": "Lada Putih Istimewa"}
    }

    # When an admin approves it, the new title is public everywhere
    approved = await approve(client, shop.admin, product["id"])
    assert approved["title"] == "Lada Putih Istimewa"
    assert approved["moderation"]["pending_changes"] is None
    for page in await public_views(client, product["id"]):
        assert "Lada Putih Istimewa" in page


async def test_clean_edit_of_unfeatured_listing_in_post_mode_is_public_at_once(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    product = await create_published_product(client, shop.owner, shop.seller_id)

    edited = await patch(client, shop.owner.headers, product["id"], title="Lada Putih Pilihan")

    assert edited["title"] == "Lada Putih Pilihan"
    public = await client.get(f"/api/v1/products/{product['id']}")
    assert public.json()["title"] == "Lada Putih Pilihan"
    assert await queue(client, shop.admin) == []


async def test_edit_that_screening_flags_waits_with_its_reasons(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a published product
    shop = await set_up_catalog(app, client)
    product = await create_published_product(
        client, shop.owner, shop.seller_id, description="Lada putih asli Muntok."
    )

    # When its seller puts a phone number and a link in the description
    edited = await patch(
        client,
        shop.owner.headers,
        product["id"],
        description="Lebih murah langsung WA 0812-7000-1234 atau tokolada.com",
    )

    # Then the public keeps the old description and the queue says why
    assert edited["description"] == "Lada putih asli Muntok."
    public = await client.get(f"/api/v1/products/{product['id']}")
    assert public.json()["description"] == "Lada putih asli Muntok."
    [item] = await queue(client, shop.admin)
    assert [reason["code"] for reason in item["reasons"]] == ["phone_number", "link"]
    assert item["diff"]["description"]["after"].startswith("Lebih murah")


async def test_an_admins_edit_applies_at_once_even_when_featured(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    product = await create_published_product(client, shop.owner, shop.seller_id)
    await feature(client, shop.admin, product["id"])

    edited = await patch(client, shop.admin.headers, product["id"], title="Lada Putih Muntok Asli")

    assert edited["title"] == "Lada Putih Muntok Asli"
    assert "Lada Putih Muntok Asli" in (await client.get("/api/v1/featured")).text


async def test_new_photo_of_a_featured_product_waits_for_approval(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await set_up_catalog(app, client)
    product = await create_published_product(client, shop.owner, shop.seller_id)
    await feature(client, shop.admin, product["id"])

    uploaded = await upload_image(client, shop.owner, product["id"], image_bytes())
    assert uploaded.status_code == 201

    public = await client.get(f"/api/v1/products/{product['id']}")
    assert public.json()["images"] == []
    assert public.json()["image"] is None
    own = await client.get(f"/api/v1/products/{product['id']}", headers=shop.owner.headers)
    assert len(own.json()["images"]) == 1
    await approve(client, shop.admin, product["id"])
    public = await client.get(f"/api/v1/products/{product['id']}")
    assert len(public.json()["images"]) == 1


async def test_flagged_listing_goes_in_review_and_back_to_draft_when_rejected(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a listing of turtle eggs
    shop = await set_up_catalog(app, client)
    product = await create_product(
        client, shop.owner, shop.seller_id, title="Telur Penyu Segar", description="Dari pantai."
    )

    # When it is published
    published = await client.post(
        f"/api/v1/products/{product['id']}/publish", headers=shop.owner.headers
    )

    # Then it waits in review, hidden, with the reason queued
    assert published.status_code == 200
    assert published.json()["status"] == "in_review"
    assert (await client.get(f"/api/v1/products/{product['id']}")).status_code == 404
    [item] = await queue(client, shop.admin)
    assert item["kind"] == "listing"
    assert item["reasons"] == [{"code": "prohibited_wildlife", "detail": "penyu, telur penyu"}]

    # When an admin rejects it, it goes back to draft
    decided = await client.post(
        f"/api/v1/admin/moderation/{item['id']}/decide",
        json={"action": "reject", "note": "Satwa dilindungi"},
        headers=shop.admin.headers,
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "rejected"
    own = await client.get(f"/api/v1/products/{product['id']}", headers=shop.owner.headers)
    assert own.json()["status"] == "draft"
    again = await client.post(
        f"/api/v1/admin/moderation/{item['id']}/decide",
        json={"action": "approve"},
        headers=shop.admin.headers,
    )
    assert again.status_code == 409


async def test_pre_review_publishes_nothing_before_an_admin_approves(
    app: FastAPI, settings: Any
) -> None:
    # (``app`` is asked for so the shared tables are emptied after this test)
    pre = make_settings(settings.database_url, listing_review=ListingReview.PRE)
    async with running_app(pre) as pre_app, http_client(pre_app) as client:
        # Given a clean listing under pre-review
        shop = await set_up_catalog(pre_app, client)
        product = await create_product(client, shop.owner, shop.seller_id)

        # When it is published, it waits
        published = await client.post(
            f"/api/v1/products/{product['id']}/publish", headers=shop.owner.headers
        )
        assert published.json()["status"] == "in_review"
        assert (await client.get("/api/v1/products")).json()["items"] == []
        [item] = await queue(client, shop.admin)
        assert item["reasons"][0]["code"] == "pre_review"

        # When approved it is public, and a later edit waits again
        await approve(client, shop.admin, product["id"])
        assert len((await client.get("/api/v1/products")).json()["items"]) == 1
        edited = await patch(
            client, shop.owner.headers, product["id"], title="Lada Putih Muntok Baru"
        )
        assert edited["title"] == "Lada Putih Muntok"
        public = await client.get(f"/api/v1/products/{product['id']}")
        assert public.json()["title"] == "Lada Putih Muntok"


async def test_csv_import_cannot_retitle_a_featured_product_behind_the_admins_back(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a featured product and its seller's export with the title changed
    shop = await set_up_catalog(app, client)
    product = await create_published_product(
        client, shop.owner, shop.seller_id, title="Lada Putih Muntok"
    )
    await feature(client, shop.admin, product["id"])
    export = await client.get(
        f"/api/v1/sellers/{shop.seller_id}/products/export.csv", headers=shop.owner.headers
    )
    edited = export.content.replace(b"Lada Putih Muntok", b"Lada Putih Istimewa")

    # When the file is imported
    response = await client.post(
        f"/api/v1/sellers/{shop.seller_id}/products/import",
        files={"file": ("produk.csv", edited, "text/csv")},
        headers=shop.owner.headers,
    )

    # Then the featured list keeps the approved title and the edit waits in the queue
    assert response.status_code == 200, response.text
    assert response.json()["updated_products"] == 1
    assert "Istimewa" not in (await client.get("/api/v1/featured")).text
    [item] = await queue(client, shop.admin)
    assert item["diff"]["title"] == {"before": "Lada Putih Muntok", "after": "Lada Putih Istimewa"}
