"""Routes are matched in an order of their own (the busiest public reads first), and that
order never changes which route answers a request: every path still reaches the route the
documented order (the schema's, the order routes were declared in) would choose."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from fastapi import FastAPI
from fastapi.routing import RouteContext, iter_route_contexts
from starlette.routing import Match

from marketplace.api import API_PREFIX, documented_order

PARAMETER = re.compile(r"{[^}]+}")


def _first_full_match(contexts: Sequence[RouteContext], method: str, path: str) -> object:
    scope = {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}
    for context in contexts:
        match, _ = context.matches(scope)
        if match is Match.FULL:
            return context.original_route
    return None


def _requests(contexts: Sequence[RouteContext]) -> Iterator[tuple[str, str]]:
    """Each route's methods on its template with every parameter filled by each literal path
    segment any route uses (where a literal route and a parameter route could collide), and
    by an ordinary value."""
    templates = {context.path_format for context in contexts if context.path_format}
    segments = {part for template in templates for part in template.split("/") if "{" not in part}
    values = sorted(segments - {""}) + ["0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "a/b"]
    for context in contexts:
        if not context.path_format:
            continue
        for method in context.methods or ("GET",):
            for value in values:
                yield method, PARAMETER.sub(value, context.path_format)


def test_every_request_reaches_the_route_the_documented_order_chooses(app: FastAPI) -> None:
    matched = list(iter_route_contexts(app.routes))
    documented = documented_order(app.routes)
    requests = set(_requests(matched))
    assert len(requests) > 10_000
    differ = [
        (method, path)
        for method, path in sorted(requests)
        if _first_full_match(matched, method, path)
        is not _first_full_match(documented, method, path)
    ]
    assert differ == []


def test_the_check_above_sees_routes_shadowing_each_other(app: FastAPI) -> None:
    documented = documented_order(app.routes)
    backwards = documented[::-1]
    shadowed = [
        (method, path)
        for method, path in _requests(documented)
        if _first_full_match(backwards, method, path)
        is not _first_full_match(documented, method, path)
    ]
    assert shadowed != []


def test_the_public_product_reads_are_matched_before_the_other_api_routes(app: FastAPI) -> None:
    matched = [
        (context.path_format, method)
        for context in iter_route_contexts(app.routes)
        for method in context.methods or ()
    ]
    first_api = next(
        index for index, (path, _) in enumerate(matched) if path.startswith(API_PREFIX)
    )
    assert matched[first_api : first_api + 5] == [
        (f"{API_PREFIX}/regions", "GET"),
        (f"{API_PREFIX}/categories", "GET"),
        (f"{API_PREFIX}/admin/categories", "POST"),
        (f"{API_PREFIX}/products", "GET"),
        (f"{API_PREFIX}/products/{{id_or_slug}}", "GET"),
    ]


def test_the_schema_lists_the_api_in_declaration_order(app: FastAPI) -> None:
    paths = list(app.openapi()["paths"])
    assert paths[:2] == [f"{API_PREFIX}/auth/register", f"{API_PREFIX}/auth/token"]
    assert paths.index(f"{API_PREFIX}/products") > paths.index(f"{API_PREFIX}/admin/sellers")
