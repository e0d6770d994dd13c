"""What a shared product link carries: JSON-LD that no product text can break out of, a rating
when the product has one (reviews add it), WhatsApp links in international form."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from pydantic import BaseModel

from marketplace.catalog.schemas import AttributesRead, ProductDetail, SellerRef, VariantRead
from marketplace.storefront.sharing import product_json_ld, share_links, whatsapp_chat_link


class Rating(BaseModel):
    average: float
    count: int


class RatedProduct(ProductDetail):
    """A product detail as the reviews work shapes it (``rating: {average, count}``)."""

    rating: Rating | None = None


def _product(title: str = "Lada Putih Muntok", **extra: object) -> RatedProduct:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    return RatedProduct(
        id=uuid.uuid4(),
        slug="lada-putih-muntok",
        title=title,
        price=25_000,
        in_stock=True,
        image=None,
        category="rempah",
        region_code="19.05",
        seller=SellerRef(id=uuid.uuid4(), slug="kim", name="KIM Lada Muntok"),
        description="Lada putih asli.",
        attributes=AttributesRead(pirt_number=None, bpom_number=None, halal_certificate=None),
        images=[],
        variants=[
            VariantRead(
                id=uuid.uuid4(), name="100 g", sku=None, price=25_000, stock=3, weight_grams=120
            )
        ],
        status="published",
        max_quantity_per_order=10,
        published_at=now,
        created_at=now,
        updated_at=now,
        **extra,
    )


def test_json_ld_is_a_product_with_one_idr_offer() -> None:
    data = json.loads(product_json_ld(_product(), "https://x/produk/lada", None, "KIM"))
    assert data["@type"] == "Product"
    assert data["offers"] == {
        "@type": "Offer",
        "priceCurrency": "IDR",
        "price": 25_000,
        "availability": "https://schema.org/InStock",
        "url": "https://x/produk/lada",
        "seller": {"@type": "Organization", "name": "KIM"},
    }
    assert "aggregateRating" not in data


def test_json_ld_cannot_be_closed_by_a_product_title() -> None:
    text = str(product_json_ld(_product("Lada </script><script>alert(1)</script>"), "u", None, "K"))
    assert "</script>" not in text
    assert json.loads(text)["name"] == "Lada </script><script>alert(1)</script>"


def test_json_ld_carries_the_rating_when_the_product_has_one() -> None:
    product = _product(rating=Rating(average=4.5, count=12))
    data = json.loads(product_json_ld(product, "u", None, "K"))
    assert data["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": 4.5,
        "reviewCount": 12,
    }


def test_whatsapp_links_use_the_international_number_and_prefill_the_text() -> None:
    assert whatsapp_chat_link("0812-3456-7890", "Halo & salam") == (
        "https://wa.me/6281234567890?text=Halo%20%26%20salam"
    )
    assert whatsapp_chat_link("+62 812 3456 7890", "x") == "https://wa.me/6281234567890?text=x"
    assert whatsapp_chat_link(None, "x") is None
    assert whatsapp_chat_link("123", "x") is None


def test_share_fallbacks_point_at_the_page() -> None:
    links = share_links("https://x/produk/lada", "Lada")
    assert links["whatsapp"] == "https://wa.me/?text=Lada%20https%3A%2F%2Fx%2Fproduk%2Flada"
    assert links["facebook"].endswith("u=https%3A%2F%2Fx%2Fproduk%2Flada")
