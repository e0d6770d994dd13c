"""The OpenAPI schema is one a client generator can use: valid, short unique operation ids,
problem+json errors, binary uploads, optional sign-in, declared headers, examples everywhere."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from fastapi import FastAPI
from openapi_spec_validator import validate
from pydantic import BaseModel
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012 as _DRAFT

from marketplace.main import create_app
from tests.conftest import make_settings

OPERATION_ID = re.compile(r"^[a-z][a-z0-9_]{2,39}$")


@pytest.fixture(scope="module")
def schema(app: FastAPI) -> dict[str, Any]:
    return app.openapi()


def _operations(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def _operation(schema: dict[str, Any], operation_id: str) -> dict[str, Any]:
    found = [op for _, _, op in _operations(schema) if op["operationId"] == operation_id]
    assert len(found) == 1, operation_id
    return found[0]


def test_schema_passes_the_openapi_spec_validator(schema: dict[str, Any]) -> None:
    validate(schema)


def test_operation_ids_are_short_unique_and_named_for_the_resource(
    schema: dict[str, Any],
) -> None:
    ids = [operation["operationId"] for _, _, operation in _operations(schema)]

    assert len(ids) == len(set(ids))
    assert [each for each in ids if not OPERATION_ID.match(each)] == []
    assert {"products_list", "orders_place", "products_upload_image", "admin_payments_confirm"} <= (
        set(ids)
    )


def test_get_and_head_of_media_have_their_own_operation_ids(schema: dict[str, Any]) -> None:
    media = schema["paths"]["/media/{key}"]

    assert media["get"]["operationId"] == "media_read"
    assert media["head"]["operationId"] == "media_read_head"


def test_every_error_response_is_problem_json_and_no_default_422_remains(
    schema: dict[str, Any],
) -> None:
    for path, method, operation in _operations(schema):
        for status, response in operation["responses"].items():
            if status[0] in "45":
                assert list(response["content"]) == ["application/problem+json"], (
                    path,
                    method,
                    status,
                )
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    assert "ValidationError" not in schema["components"]["schemas"]


def test_upload_fields_are_binary(schema: dict[str, Any]) -> None:
    for operation_id in ("products_upload_image", "sellers_import_products"):
        body = _operation(schema, operation_id)["requestBody"]["content"]["multipart/form-data"]
        name = body["schema"]["$ref"].rsplit("/", 1)[-1]
        field = schema["components"]["schemas"][name]["properties"]["file"]
        assert field["type"] == "string"
        assert field["format"] == "binary"


def test_optional_sign_in_is_declared_optional_and_required_sign_in_is_not(
    schema: dict[str, Any],
) -> None:
    bearer = {"OAuth2PasswordBearer": []}

    assert _operation(schema, "products_read")["security"] == [{}, bearer]
    assert _operation(schema, "orders_place")["security"] == [{}, bearer]
    assert _operation(schema, "me_read")["security"] == [bearer]
    assert _operation(schema, "admin_payments_confirm")["security"] == [bearer]
    assert "security" not in _operation(schema, "products_list")
    assert "401" in _operation(schema, "products_read")["responses"]  # a bad token is refused


def test_headers_are_declared(schema: dict[str, Any]) -> None:
    def parameter_names(operation: dict[str, Any]) -> set[str]:
        names = set()
        for parameter in operation["parameters"]:
            declared = parameter
            if "$ref" in parameter:
                declared = schema["components"]["parameters"][parameter["$ref"].split("/")[-1]]
            names.add(declared["name"])
        return names

    products_list = _operation(schema, "products_list")
    assert {"Accept-Language", "X-Request-ID", "If-None-Match"} <= parameter_names(products_list)
    assert {"ETag", "X-Request-ID"} <= set(products_list["responses"]["200"]["headers"])
    orders_place = _operation(schema, "orders_place")
    assert "Idempotency-Key" in parameter_names(orders_place)
    assert "X-Order-Token" in parameter_names(_operation(schema, "orders_read"))
    token = _operation(schema, "auth_issue_token")
    assert "Retry-After" in token["responses"]["429"]["headers"]


def _media_types(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, method, operation in _operations(schema):
        bodies = [("request", operation.get("requestBody", {}))]
        bodies += list(operation["responses"].items())
        for where, body in bodies:
            for media_type, media in body.get("content", {}).items():
                yield f"{method} {path} {where} {media_type}", media


def test_every_request_and_response_schema_has_an_example(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    missing = [name for name, each in components.items() if not _has_example(each)]
    for where, media in _media_types(schema):
        inner = media.get("schema")
        if inner is None or "example" in media or "examples" in media:
            continue
        if "$ref" in inner:
            if not _has_example(components[inner["$ref"].rsplit("/", 1)[-1]]):
                missing.append(where)
        elif not _has_example(inner):
            missing.append(where)

    assert missing == []


def _has_example(schema: dict[str, Any]) -> bool:
    return bool(schema.get("examples")) or "example" in schema


def test_every_component_example_is_valid_against_its_schema(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    document = {"components": {"schemas": components}}
    registry: Registry[Any] = Registry().with_resource(
        "urn:schema", Resource.from_contents(document, default_specification=_DRAFT)
    )
    invalid = []
    for name, component in components.items():
        example = (component.get("examples") or [component.get("example")])[0]
        target = {"$ref": f"urn:schema#/components/schemas/{name}"}
        validator = jsonschema.Draft202012Validator(target, registry=registry)
        errors = [error.message for error in validator.iter_errors(example)]
        if errors:
            invalid.append((name, errors[:2]))

    assert invalid == []


class _Widget(BaseModel):
    name: str
    count: int


def test_a_route_added_later_gets_a_short_id_problem_422_and_an_example(
    migrated_database: str,
) -> None:
    later = create_app(make_settings(migrated_database))

    @later.post("/api/v1/widgets", status_code=201)
    async def create_widget(widget: _Widget) -> _Widget:
        return widget

    operation = later.openapi()["paths"]["/api/v1/widgets"]["post"]

    assert operation["operationId"] == "widgets_create"
    assert list(operation["responses"]["422"]["content"]) == ["application/problem+json"]
    assert later.openapi()["components"]["schemas"]["_Widget"]["examples"] == [
        {"name": "Lada Putih Muntok", "count": 1}
    ]


@pytest.mark.filterwarnings("ignore:Duplicate Operation ID")
def test_two_routes_deriving_the_same_id_still_get_unique_ids(migrated_database: str) -> None:
    later = create_app(make_settings(migrated_database))

    @later.get("/api/v1/widgets", name="list_widgets")
    async def first() -> dict[str, str]:
        return {}

    @later.get("/api/v1/widgets/all", name="list_widgets")
    async def second() -> dict[str, str]:
        return {}

    paths = later.openapi()["paths"]

    assert paths["/api/v1/widgets"]["get"]["operationId"] == "widgets_list"
    assert paths["/api/v1/widgets/all"]["get"]["operationId"] == "widgets_list_get"


def test_the_product_list_declares_each_query_parameter(schema: dict[str, Any]) -> None:
    parameters = schema["paths"]["/api/v1/products"]["get"]["parameters"]
    declared = {
        parameter["name"]: parameter["schema"]
        for parameter in parameters
        if parameter.get("in") == "query"
    }

    def text(max_length: int) -> dict[str, Any]:
        return {"anyOf": [{"type": "string", "maxLength": max_length}, {"type": "null"}]}

    price = {
        "anyOf": [{"type": "integer", "maximum": 1_000_000_000, "minimum": 0}, {"type": "null"}]
    }
    assert {
        name: {k: v for k, v in found.items() if k != "title"} for name, found in declared.items()
    } == {
        "q": text(100),
        "category": text(80),
        "region": text(13),
        "seller": text(100),
        "min_price": price,
        "max_price": price,
        "sort": {"anyOf": [{"$ref": "#/components/schemas/ProductSort"}, {"type": "null"}]},
        "limit": {"type": "integer", "maximum": 100, "minimum": 1, "default": 20},
        "cursor": text(500),
    }
    assert list(declared) == [
        "q",
        "category",
        "region",
        "seller",
        "min_price",
        "max_price",
        "sort",
        "limit",
        "cursor",
    ]
    assert all(parameter.get("required") is False for parameter in parameters if "in" in parameter)
