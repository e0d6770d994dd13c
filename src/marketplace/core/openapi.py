"""The OpenAPI schema, shaped once for every route so generated clients work.

Routes keep declaring only what is theirs (``responses=problem_responses(...)``); this module
gives every operation a short id, documents every error as problem+json, marks uploads as
binary, declares the headers the middleware handles and fills in examples."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from fastapi.security.base import SecurityBase
from starlette.routing import BaseRoute

from marketplace.core.errors import PROBLEM_CONTENT_TYPE
from marketplace.core.schema_examples import example_for

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details; `type` is a page explaining the problem.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["loc", "msg", "type"],
                "properties": {
                    "loc": {"type": "array", "items": {"type": ["string", "integer"]}},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
    "examples": [
        {
            "type": "/problems/validation-error",
            "title": "Data tidak valid",
            "status": 422,
            "detail": "Periksa kolom yang disebutkan di 'errors'.",
            "request_id": "4f0c1a9e2b7d4c3a8e6f5d4c3b2a1908",
            "errors": [{"loc": ["body", "quantity"], "msg": "Wajib diisi", "type": "missing"}],
        }
    ],
}

# Operations documented for HEAD besides GET (HEAD is answered for every GET route).
HEAD_DOCUMENTED_PATHS = frozenset({"/media/{key}"})

# Dependencies that make a route require a signed-in caller; the accounts domain registers its
# own (core does not import domains). A route with a bearer scheme but none of these signs in
# optionally.
SIGN_IN_REQUIRED: set[Callable[..., Any]] = set()

_HEADERS: dict[str, dict[str, Any]] = {
    "X-Request-ID": {
        "description": "The request's id (the caller's, when it sent a valid one); quote it "
        "when reporting a problem.",
        "schema": {"type": "string", "examples": ["4f0c1a9e2b7d4c3a8e6f5d4c3b2a1908"]},
    },
    "ETag": {
        "description": "Strong validator of this representation; send it back in If-None-Match.",
        "schema": {"type": "string", "examples": ['"3f9a1c"']},
    },
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "examples": [60]},
    },
    "Content-Language": {
        "description": "Language of the human texts in the body (`id` or `en`).",
        "schema": {"type": "string", "examples": ["id"]},
    },
}

_PARAMETERS: dict[str, dict[str, Any]] = {
    "AcceptLanguage": {
        "name": "Accept-Language",
        "in": "header",
        "required": False,
        "description": "`id` (default) or `en`: the language of titles, details and messages.",
        "schema": {"type": "string", "examples": ["id"]},
    },
    "XRequestId": {
        "name": "X-Request-ID",
        "in": "header",
        "required": False,
        "description": "Your id for this request (1-64 of A-Z a-z 0-9 . _ -), echoed back.",
        "schema": {"type": "string", "examples": ["checkout-7f3a"]},
    },
    "IfNoneMatch": {
        "name": "If-None-Match",
        "in": "header",
        "required": False,
        "description": "An ETag from an earlier answer: 304 without a body when still current.",
        "schema": {"type": "string", "examples": ['"3f9a1c"']},
    },
}

_VERB_NOISE = frozenset({"for", "admin"})


def operation_id(route: APIRoute) -> str:
    """``products_list``, ``orders_place``: the path's first segment, then the function name
    without the words the segment already says. Used as FastAPI's generate_unique_id_function,
    so routes added later get short ids too; ``operation_id=`` on a route still wins."""
    segments = [part for part in route.path_format.split("/") if part and "{" not in part]
    if segments[:2] == ["api", "v1"]:
        segments = segments[2:]
    prefix: list[str] = []
    if segments and segments[0] == "admin":
        prefix, segments = ["admin"], segments[1:]
    namespace = _words(segments[0]) if segments else ["root"]
    said = set(namespace) | {_singular(word) for word in namespace}
    rest = [word for word in _words(route.name) if word not in said and word not in _VERB_NOISE]
    return "_".join([*prefix, *namespace, *rest])


def _words(text: str) -> list[str]:
    return [word for word in re.split(r"[^a-z0-9]+", text.lower()) if word]


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word.removesuffix("s")


def install_openapi(
    app: FastAPI,
    documented_order: Callable[[Sequence[BaseRoute]], Sequence[BaseRoute | RouteContext]] = list,
) -> None:
    """Replace ``app.openapi`` with the shaped schema (built once, then cached), listing the
    app's routes in ``documented_order`` of the order they are matched in."""

    def custom_openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=documented_order(app.routes),
        )
        shape_schema(schema, _optional_sign_in_operations(app))
        app.openapi_schema = schema
        return schema

    app.openapi = custom_openapi  # type: ignore[method-assign]


def shape_schema(schema: dict[str, Any], optional_sign_in: set[tuple[str, str]]) -> None:
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    components.setdefault("headers", {}).update(copy.deepcopy(_HEADERS))
    components.setdefault("parameters", {}).update(copy.deepcopy(_PARAMETERS))
    for component in schemas.values():
        _mark_binary_fields(component)
    _document_head_operations(schema)
    _make_operation_ids_unique(schema)
    for path, method, operation in _operations(schema):
        if operation.get("security"):
            # a token that is present but invalid is refused even where sign-in is optional
            operation["responses"].setdefault("401", {"description": "Authentication required"})
        _document_problems(operation)
        _document_headers(operation, method)
        if (path, method) in optional_sign_in:
            operation["security"] = [{}, *operation.get("security", [])]
    _fill_examples(schema)


def _operations(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                yield path, method, operation


def _make_operation_ids_unique(schema: dict[str, Any]) -> None:
    """Two routes whose names derive the same id (FastAPI only warns) would break generated
    clients: the later one gets its method appended, then a number. Give such a route an
    explicit ``operation_id=`` to choose a better name."""
    seen: set[str] = set()
    for _path, method, operation in _operations(schema):
        wanted = operation.get("operationId", "")
        candidate = wanted if wanted not in seen else f"{wanted}_{method}"
        counter = 2
        while candidate in seen:
            candidate, counter = f"{wanted}_{method}_{counter}", counter + 1
        operation["operationId"] = candidate
        seen.add(candidate)


def _document_problems(operation: dict[str, Any]) -> None:
    """Every 4xx/5xx answer is problem+json; FastAPI's default 422 body is replaced."""
    for status, response in operation["responses"].items():
        if status[0] in "45":
            response["content"] = {PROBLEM_CONTENT_TYPE: {"schema": dict(PROBLEM_REF)}}
            if status == "422":
                response["description"] = "Validation error (`errors` lists each field)"


def _document_headers(operation: dict[str, Any], method: str) -> None:
    parameters = operation.setdefault("parameters", [])
    names = {parameter.get("name", "").lower() for parameter in parameters}
    for key in ("AcceptLanguage", "XRequestId"):
        if _PARAMETERS[key]["name"].lower() not in names:
            parameters.append({"$ref": f"#/components/parameters/{key}"})
    responses = operation["responses"]
    conditional = "304" in responses and method in ("get", "head")
    if conditional and "if-none-match" not in names:
        parameters.append({"$ref": "#/components/parameters/IfNoneMatch"})
    for status, response in responses.items():
        headers = response.setdefault("headers", {})
        headers.setdefault("X-Request-ID", {"$ref": "#/components/headers/X-Request-ID"})
        headers.setdefault("Content-Language", {"$ref": "#/components/headers/Content-Language"})
        if conditional and status in ("200", "304"):
            headers.setdefault("ETag", {"$ref": "#/components/headers/ETag"})
        if status in ("429", "503"):
            headers.setdefault("Retry-After", {"$ref": "#/components/headers/Retry-After"})


def _mark_binary_fields(component: dict[str, Any]) -> None:
    """Uploads (``UploadFile``) as ``format: binary``, which client generators understand."""
    for field in component.get("properties", {}).values():
        for candidate in [field, field.get("items", {}), *field.get("anyOf", [])]:
            if candidate.get("type") == "string" and "contentMediaType" in candidate:
                candidate["format"] = "binary"


def _document_head_operations(schema: dict[str, Any]) -> None:
    for path in HEAD_DOCUMENTED_PATHS:
        item = schema.get("paths", {}).get(path)
        if not item or "get" not in item:
            continue
        head = copy.deepcopy(item["get"])
        head["operationId"] = f"{item['get']['operationId']}_head"
        head["summary"] = f"{head.get('summary', '')} (headers only)".strip()
        for response in head["responses"].values():
            if not response.get("content", {}).get(PROBLEM_CONTENT_TYPE):
                response.pop("content", None)
        item["head"] = head


def _fill_examples(schema: dict[str, Any]) -> None:
    """An example on each component schema and each inline request/response schema."""
    schemas = schema["components"]["schemas"]
    for component in schemas.values():
        if "examples" not in component and "example" not in component:
            component["examples"] = [example_for(component, schemas)]
    for _path, _method, operation in _operations(schema):
        bodies = [operation.get("requestBody", {})]
        bodies += list(operation["responses"].values())
        for body in bodies:
            for media in body.get("content", {}).values():
                _fill_media_example(media, schemas)


def _fill_media_example(media: dict[str, Any], schemas: dict[str, Any]) -> None:
    inner = media.get("schema")
    if inner is None or "example" in media or "examples" in media:
        return
    if "$ref" in inner or "examples" in inner:
        return
    media["example"] = example_for(inner, schemas)


def _optional_sign_in_operations(app: FastAPI) -> set[tuple[str, str]]:
    """(path, method) of the operations that accept a bearer token without requiring one."""
    found: set[tuple[str, str]] = set()
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        calls = set(_dependency_calls(route.dependant))
        if _uses_security(route.dependant) and not calls & SIGN_IN_REQUIRED:
            path = context.path_format or route.path_format
            for method in route.methods or ():
                found.add((path, method.lower()))
    return found


def _dependency_calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for child in dependant.dependencies:
        if child.call is not None:
            yield child.call
        yield from _dependency_calls(child)


def _uses_security(dependant: Dependant) -> bool:
    return any(
        isinstance(child.call, SecurityBase) or _uses_security(child)
        for child in dependant.dependencies
    )
