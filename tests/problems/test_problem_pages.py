"""Each problem ``type`` URI is a page explaining the problem in Indonesian and English."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient

from marketplace.problems.catalogue import problem_statuses


async def test_every_known_problem_type_answers_a_page_in_both_languages(
    app: FastAPI, client: AsyncClient
) -> None:
    slugs = problem_statuses()
    assert {"validation-error", "not-found", "too-many-requests", "internal-error"} <= set(slugs)

    for slug in slugs:
        response = await client.get(f"/problems/{slug}")

        assert response.status_code == 200, slug
        assert response.headers["content-type"].startswith("text/html")
        assert 'lang="id"' in response.text
        assert 'lang="en"' in response.text
        assert f"/problems/{slug}" in response.text


async def test_the_type_of_a_real_422_leads_to_its_page(client: AsyncClient) -> None:
    problem = (await client.post("/api/v1/auth/register", json={})).json()

    page = await client.get(problem["type"])

    assert page.status_code == 200
    assert "Data tidak valid" in page.text
    assert "Invalid data" in page.text
    assert "Periksa kolom yang disebutkan di &#39;errors&#39;." in page.text


async def test_page_leads_with_english_when_the_caller_prefers_it(client: AsyncClient) -> None:
    response = await client.get("/problems/not-found", headers={"Accept-Language": "en"})

    assert response.text.index("Not found") < response.text.index("Tidak ditemukan")
    assert '<html lang="en">' in response.text


async def test_an_unknown_problem_type_is_404_problem(client: AsyncClient) -> None:
    response = await client.get("/problems/no-such-problem")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
