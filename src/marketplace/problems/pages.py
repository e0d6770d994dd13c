"""``/problems/{slug}``: the human page behind each problem ``type`` URI (RFC 9457 §3.1.1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from starlette.responses import HTMLResponse

from marketplace.core.errors import NotFound, problem_responses
from marketplace.core.i18n import Language, current_language
from marketplace.core.templating import environment
from marketplace.problems.catalogue import describe, problem_statuses

router = APIRouter(tags=["problems"])


@router.get(
    "/problems/{slug}",
    response_class=HTMLResponse,
    responses={
        200: {
            "content": {"text/html": {"example": "<!doctype html><title>Tidak ditemukan</title>"}},
            "description": "What the problem means and what to do, in Indonesian and English",
        },
        **problem_responses(404),
    },
)
async def problem_page(slug: Annotated[str, Path(max_length=80)]) -> HTMLResponse:
    """The meaning of one problem type, in Bahasa Indonesia and English."""
    status = problem_statuses().get(slug)
    if status is None:
        raise NotFound()
    languages = [Language.INDONESIAN, Language.ENGLISH]
    if current_language.get() is Language.ENGLISH:
        languages.reverse()
    texts = [(language.value, describe(slug, status, language)) for language in languages]
    html = (
        environment()
        .get_template("problems/page.html")
        .render(slug=slug, status=status, texts=texts, lang=languages[0].value)
    )
    return HTMLResponse(html, headers={"Cache-Control": "public, max-age=3600"})
