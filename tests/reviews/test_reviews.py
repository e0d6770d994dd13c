"""Reviews: a buyer of a delivered seller-order reviews each of its products once; text is
screened; the seller replies once; admins hide with a reason; the rating stays exact."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient, Response

from tests.factories import (
    create_account,
    guest_headers,
    image_bytes,
    list_products,
    open_shop,
)
from tests.moderation.helpers import queue
from tests.reviews.world import delivered_part, post_review


async def test_buyer_reviews_a_delivered_product_and_the_rating_shows_everywhere(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given a signed-in buyer whose pepper was delivered
    shop = await open_shop(app, client)
    buyer = await create_account(client)
    _, part_id = await delivered_part(client, shop, buyer)

    # When they review it with 4 stars
    response = await post_review(
        client, shop.product_id, part_id, rating=4, text="Wangi, pedas pas.", headers=buyer.headers
    )

    # Then the review is listed and the rating is on the summary, the detail and the embed
    assert response.status_code == 201, response.text
    review = response.json()
    assert review["rating"] == 4
    assert review["status"] == "visible"
    assert review["author_name"] == "Budi"  # the first name the order was placed under
    listed = (await client.get(f"/api/v1/products/{shop.product_id}/reviews")).json()
    assert [item["id"] for item in listed["items"]] == [review["id"]]
    detail = (await client.get(f"/api/v1/products/{shop.product_id}")).json()
    assert detail["rating"] == {"average": 4.0, "count": 1}
    [summary] = (await list_products(client))["items"]
    assert summary["rating"] == {"average": 4.0, "count": 1}
    embed = (await client.get(f"/embed/products/{shop.product_id}")).text
    assert "★★★★☆" in embed
    assert "4.0 dari 5 (1 ulasan)" in embed


async def test_second_review_of_the_same_seller_order_is_a_conflict(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    buyer = await create_account(client)
    _, part_id = await delivered_part(client, shop, buyer)
    first = await post_review(client, shop.product_id, part_id, headers=buyer.headers)

    second = await post_review(client, shop.product_id, part_id, rating=1, headers=buyer.headers)

    assert first.status_code == 201
    assert second.status_code == 409
    detail = (await client.get(f"/api/v1/products/{shop.product_id}")).json()
    assert detail["rating"] == {"average": 5.0, "count": 1}


async def test_only_the_buyer_of_a_delivered_order_may_review(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given one order shipped but not delivered and one delivered to someone else
    shop = await open_shop(app, client)
    buyer = await create_account(client)
    stranger = await create_account(client)
    _, shipped_part = await delivered_part(client, shop, buyer, deliver=False)
    _, delivered = await delivered_part(client, shop, buyer)

    not_yet = await post_review(client, shop.product_id, shipped_part, headers=buyer.headers)
    other_person = await post_review(client, shop.product_id, delivered, headers=stranger.headers)
    anonymous = await post_review(client, shop.product_id, delivered)

    assert [not_yet.status_code, other_person.status_code, anonymous.status_code] == [
        403,
        403,
        403,
    ]
    assert (await client.get(f"/api/v1/products/{shop.product_id}/reviews")).json()["items"] == []


async def test_review_of_another_product_than_the_order_holds_is_refused(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    other = await open_shop(app, client, admin=shop.admin, seller_name="KUB Madu", title="Madu")
    buyer = await create_account(client)
    _, part_id = await delivered_part(client, shop, buyer)

    response = await post_review(client, other.product_id, part_id, headers=buyer.headers)

    assert response.status_code == 403


async def test_guest_buyer_reviews_with_the_order_token(app: FastAPI, client: AsyncClient) -> None:
    shop = await open_shop(app, client)
    order, part_id = await delivered_part(client, shop)

    response = await post_review(client, shop.product_id, part_id, headers=guest_headers(order))

    assert response.status_code == 201, response.text


async def test_bad_review_bodies_are_refused(app: FastAPI, client: AsyncClient) -> None:
    shop = await open_shop(app, client)
    buyer = await create_account(client)
    _, part_id = await delivered_part(client, shop, buyer)

    bodies = [
        {"seller_order_id": part_id, "rating": 0},
        {"seller_order_id": part_id, "rating": 6},
        {"seller_order_id": part_id, "rating": "5"},
        {"seller_order_id": part_id, "rating": 4.5},
        {"seller_order_id": "nope", "rating": 5},
        {"rating": 5},
        {"seller_order_id": part_id, "rating": 5, "text": "x" * 2001},
    ]
    for body in bodies:
        response = await client.post(
            f"/api/v1/products/{shop.product_id}/reviews", json=body, headers=buyer.headers
        )
        assert response.status_code == 422, body

    detail = (await client.get(f"/api/v1/products/{shop.product_id}")).json()
    assert detail["rating"] == {"average": None, "count": 0}


async def test_abusive_review_waits_for_an_admin_and_counts_once_approved(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    buyer = await create_account(client)
    _, part_id = await delivered_part(client, shop, buyer)

    response = await post_review(
        client, shop.product_id, part_id, rating=2, text="Penjual g0bl0k", headers=buyer.headers
    )

    assert response.json()["status"] == "in_review"
    assert (await client.get(f"/api/v1/products/{shop.product_id}/reviews")).json()["items"] == []
    [item] = await queue(client, shop.admin, kind="review")
    assert item["reasons"] == [{"code": "abusive_words", "detail": "goblok"}]
    decided = await client.post(
        f"/api/v1/admin/moderation/{item['id']}/decide",
        json={"action": "approve"},
        headers=shop.admin.headers,
    )
    assert decided.status_code == 200
    detail = (await client.get(f"/api/v1/products/{shop.product_id}")).json()
    assert detail["rating"] == {"average": 2.0, "count": 1}


async def test_seller_replies_once_and_admin_hides_with_a_reason(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    buyer = await create_account(client)
    _, part_id = await delivered_part(client, shop, buyer)
    review = (await post_review(client, shop.product_id, part_id, headers=buyer.headers)).json()

    reply = await client.post(
        f"/api/v1/reviews/{review['id']}/reply",
        json={"text": "Terima kasih!"},
        headers=shop.owner.headers,
    )
    again = await client.post(
        f"/api/v1/reviews/{review['id']}/reply",
        json={"text": "Sekali lagi"},
        headers=shop.owner.headers,
    )
    by_buyer = await client.post(
        f"/api/v1/reviews/{review['id']}/reply", json={"text": "Saya"}, headers=buyer.headers
    )

    assert reply.status_code == 200, reply.text
    assert reply.json()["reply"]["text"] == "Terima kasih!"
    assert again.status_code == 409
    assert by_buyer.status_code == 403

    hidden = await client.post(
        f"/api/v1/admin/reviews/{review['id']}/hide",
        json={"reason": "Ulasan palsu"},
        headers=shop.admin.headers,
    )
    assert hidden.status_code == 200
    assert hidden.json()["status"] == "hidden"
    detail = (await client.get(f"/api/v1/products/{shop.product_id}")).json()
    assert detail["rating"] == {"average": None, "count": 0}
    listed = (await client.get(f"/api/v1/products/{shop.product_id}/reviews")).json()
    assert listed["items"] == []


async def test_review_takes_up_to_three_photos_from_its_author(
    app: FastAPI, client: AsyncClient
) -> None:
    shop = await open_shop(app, client)
    buyer = await create_account(client)
    stranger = await create_account(client)
    _, part_id = await delivered_part(client, shop, buyer)
    review = (await post_review(client, shop.product_id, part_id, headers=buyer.headers)).json()

    def upload(headers: dict[str, str]) -> Coroutine[Any, Any, Response]:
        return client.post(
            f"/api/v1/reviews/{review['id']}/photos",
            files={"file": ("foto.png", image_bytes(), "image/png")},
            headers=headers,
        )

    codes = [(await upload(buyer.headers)).status_code for _ in range(4)]
    foreign = await upload(stranger.headers)

    assert codes == [201, 201, 201, 409]
    assert foreign.status_code == 404
    [listed] = (await client.get(f"/api/v1/products/{shop.product_id}/reviews")).json()["items"]
    assert len(listed["photos"]) == 3
    assert listed["photos"][0]["url"].endswith(".webp")


async def test_twenty_concurrent_reviews_leave_the_exact_average(
    app: FastAPI, client: AsyncClient
) -> None:
    # Given twenty delivered orders of one product, by twenty buyers
    shop = await open_shop(app, client, stock=40)
    buyers = [await create_account(client) for _ in range(20)]
    parts = [(await delivered_part(client, shop, buyer))[1] for buyer in buyers]
    ratings = [(number % 5) + 1 for number in range(20)]
    ratings[0] = 2  # a mean that is not a round number: 61 / 20 = 3.05

    # When all twenty review at once
    responses = await asyncio.gather(
        *(
            post_review(client, shop.product_id, part, rating=rating, headers=buyer.headers)
            for buyer, part, rating in zip(buyers, parts, ratings, strict=True)
        )
    )

    # Then every review counted once and the average is exact
    assert [response.status_code for response in responses] == [201] * 20
    detail = (await client.get(f"/api/v1/products/{shop.product_id}")).json()
    assert detail["rating"] == {"average": round(sum(ratings) / 20, 2), "count": 20}
    assert sum(ratings) == 61


async def test_sort_by_rating_puts_the_best_reviewed_first(
    app: FastAPI, client: AsyncClient
) -> None:
    pepper = await open_shop(app, client)
    honey = await open_shop(
        app, client, admin=pepper.admin, seller_name="KUB Madu", title="Madu Pelawan"
    )
    await open_shop(app, client, admin=pepper.admin, seller_name="KIM Getas", title="Getas")
    buyer = await create_account(client)
    _, pepper_part = await delivered_part(client, pepper, buyer)
    _, honey_part = await delivered_part(client, honey, buyer)
    await post_review(client, pepper.product_id, pepper_part, rating=3, headers=buyer.headers)
    await post_review(client, honey.product_id, honey_part, rating=5, headers=buyer.headers)

    first_page = await list_products(client, sort="rating", limit=2)
    second_page = await list_products(
        client, sort="rating", limit=2, cursor=first_page["next_cursor"]
    )

    titles = [item["title"] for item in first_page["items"] + second_page["items"]]
    assert titles == ["Madu Pelawan", "Lada Putih Muntok", "Getas"]
    assert second_page["next_cursor"] is None
