"""Serves images stored by LocalStorage, with headers that let browsers and CDNs keep them."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, Response

from marketplace.core.errors import NotFound, problem_responses
from marketplace.media.images import WEBP_CONTENT_TYPE
from marketplace.media.storage import IMMUTABLE_CACHE_CONTROL, InvalidMediaKey, local_path

router = APIRouter(tags=["media"])


@router.get(
    "/media/{key:path}",
    response_class=FileResponse,
    responses={
        200: {
            "content": {WEBP_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            "description": "The image",
        },
        304: {"description": "The copy named in If-None-Match is still current"},
        **problem_responses(404),
    },
)
async def read_media(key: str, request: Request) -> Response:
    """One stored image; keys never change content, so it may be cached for a year."""
    root = Path(request.app.state.settings.media_root)
    found = await run_in_threadpool(_find_file, root, key)
    if found is None:
        raise NotFound()
    path, file_stat = found
    etag = _etag(file_stat)
    headers = {
        "Cache-Control": IMMUTABLE_CACHE_CONTROL,
        "ETag": etag,
        "X-Content-Type-Options": "nosniff",
    }
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    # Photos are WebP; link-preview images (storefront/sharing.py) are JPEG.
    media_type = "image/jpeg" if path.suffix == ".jpg" else WEBP_CONTENT_TYPE
    return FileResponse(path, media_type=media_type, headers=headers, stat_result=file_stat)


def _find_file(root: Path, key: str) -> tuple[Path, os.stat_result] | None:
    """The regular file stored under ``key`` and its stat, or None (missing or escaping key)."""
    try:
        path = local_path(root, key)
        file_stat = path.stat()
    except (InvalidMediaKey, OSError):
        return None
    if not stat.S_ISREG(file_stat.st_mode):
        return None
    return path, file_stat


def _etag(file_stat: os.stat_result) -> str:
    return f'"{file_stat.st_size:x}-{file_stat.st_mtime_ns:x}"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison of If-None-Match against our ETag."""
    if not if_none_match:
        return False
    candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in candidates or etag in candidates
