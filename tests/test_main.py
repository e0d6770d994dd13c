"""What creating the app builds and loads: each worker holds it for its whole life (issue 17,
memory per worker)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from marketplace.main import create_app
from tests.conftest import make_settings

# Libraries only some requests need (sign-in, rate limits, e-mail, formatted pages): each is
# imported where it is used, so a worker serving the catalog's JSON never loads them.
LOADED_ON_FIRST_USE = ("aiosmtplib", "argon2", "babel", "limits")


def test_creating_the_app_builds_only_the_routes_it_declares_itself(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """FastAPI builds a route (dependencies, body and response validators) where it is declared,
    then once more for the app on the first request that walks past it. Including a router that
    holds routers without a prefix made it build a third copy of each of those routes at once,
    and keep it: 152 routes, ~3.6 MB per worker."""
    built: list[str] = []
    build = APIRoute.get_route_handler

    def counting_build(
        route: APIRoute,
    ) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        built.append(route.path)
        return build(route)

    monkeypatch.setattr(APIRoute, "get_route_handler", counting_build)

    create_app(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"))

    assert sorted(built) == ["/healthz", "/readyz"]


def test_creating_the_app_loads_no_library_only_some_requests_need(tmp_path: Path) -> None:
    """In a fresh interpreter, as a worker starts (this one has loaded everything already)."""
    script = (
        "import sys\n"
        "from marketplace.main import create_app\n"
        "create_app()\n"
        "print(' '.join(sorted(name for name in sys.argv[1:] if name in sys.modules)))\n"
    )
    environment = {key: value for key, value in os.environ.items() if "MARKETPLACE_" not in key}
    environment["MARKETPLACE_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"
    environment["MARKETPLACE_LOG_LEVEL"] = "ERROR"

    finished = subprocess.run(
        [sys.executable, "-c", script, *LOADED_ON_FIRST_USE],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )

    assert finished.stdout.split() == []
