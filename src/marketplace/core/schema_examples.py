"""Examples for OpenAPI schemas that do not carry their own: built from the schema's types,
formats, bounds and the field's name, in the marketplace's own words (a Bangka pepper seller),
so a schema added later still documents a realistic value. A model's own ``examples`` win."""

from __future__ import annotations

from typing import Any

_MAX_DEPTH = 6
_EXAMPLE_ID = "0193a5c2-7d4e-7b1a-9c3f-2e8d5a6b4c10"
_EXAMPLE_TIME = "2026-11-27T08:00:00Z"

# field name -> example value, for the names the API uses again and again
_BY_NAME: dict[str, Any] = {
    "email": "siti.aminah@contoh.id",
    "username": "siti.aminah@contoh.id",
    "password": "lada-putih-muntok-2026",
    "current_password": "lada-putih-muntok-2026",
    "new_password": "madu-pelawan-bangka-2027",
    "full_name": "Siti Aminah",
    "name": "Lada Putih Muntok",
    "recipient": "Siti Aminah",
    "title": "Lada Putih Muntok 250 g",
    "description": "Lada putih asli Muntok, dijemur di bawah matahari Bangka.",
    "slug": "lada-putih-muntok",
    "sku": "LADA-250",
    "phone": "+6281234567890",
    "whatsapp": "+6281234567890",
    "region_code": "19.05",
    "region": "19.05",
    "code": "19.05",
    "category": "rempah",
    "currency": "IDR",
    "price": 85000,
    "min_price": 50000,
    "max_price": 150000,
    "amount": 170000,
    "total": 187000,
    "subtotal": 170000,
    "shipping_cost": 17000,
    "stock": 25,
    "quantity": 2,
    "weight_grams": 250,
    "limit": 20,
    "street": "Jl. Jenderal Sudirman No. 12",
    "village": "Sungai Daeng",
    "district": "Muntok",
    "postal_code": "33311",
    "city": "Muntok",
    "courier": "JNE",
    "tracking_number": "JNE0012345678",
    "reason": "Dokumen izin usaha belum lengkap",
    "note": "Tolong dibungkus rapi",
    "token_type": "bearer",
    "access_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwMTkzIn0.c2lnbmF0dXJl",
    "refresh_token": "rt_9f8e7d6c5b4a39281706f5e4d3c2b1a0",
    "expires_in": 900,
    "cursor": "eyJrIjoiMjAyNi0xMS0yNyJ9.c2ln",
    "width": 1200,
    "height": 900,
    "number": "BB261127-K7Q2MX",
    "pirt_number": "2061971010123-26",
    "bpom_number": "MD 224310001019",
    "halal_certificate": "ID19110000123450824",
    "province": "Kepulauan Bangka Belitung",
    "seat": "Muntok",
    "address": "Jl. Raya Muntok No. 7, Muntok",
    "notes": "Tolong dibungkus rapi",
    "shipping_total": 17000,
    "next_cursor": "eyJrIjoiMjAyNi0xMS0yNyJ9.c2ln",
}

# ``name`` means a person, a store, a region...: the owning schema's title decides.
_NAME_BY_OWNER = (
    ("Buyer", "Budi Santoso"),
    ("Member", "Siti Aminah"),
    ("FeaturedSeller", "KIM Lada Muntok"),
    ("Seller", "KIM Lada Muntok"),
    ("Region", "Kabupaten Bangka Barat"),
    ("Category", "Rempah"),
    ("Variant", "250 g"),
)

_BY_FORMAT: dict[str, Any] = {
    "uuid": _EXAMPLE_ID,
    "date-time": _EXAMPLE_TIME,
    "date": "2026-11-27",
    "email": "siti.aminah@contoh.id",
    "uri": "https://pasar.babelprov.go.id/produk/lada-putih-muntok",
    "binary": "lada-putih.jpg",
}


def example_for(schema: dict[str, Any], components: dict[str, Any], name: str = "") -> Any:
    """An example value that validates against ``schema`` (refs resolved in ``components``)."""
    return _example(schema, components, name, 0)


def _example(schema: dict[str, Any], components: dict[str, Any], name: str, depth: int) -> Any:
    if depth > _MAX_DEPTH:
        return None
    if "$ref" in schema:
        target = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
        return _example(target, components, name, depth + 1)
    return _example_of(schema, components, name, depth)


def _example_of(schema: dict[str, Any], components: dict[str, Any], name: str, depth: int) -> Any:
    for key in ("examples", "example", "const", "default", "enum"):
        if key in schema:
            value = schema[key]
            return value[0] if key in ("examples", "enum") and value else value
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return _first_branch(schema[key], components, name, depth)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((each for each in kind if each != "null"), "null")
    if kind == "object" or "properties" in schema:
        return _object(schema, components, depth)
    if kind == "array":
        item = _example(schema.get("items", {}), components, _singular(name), depth + 1)
        return [item] if item is not None else []
    return _scalar(schema, kind, name)


def _first_branch(branches: list[Any], components: dict[str, Any], name: str, depth: int) -> Any:
    usable = [branch for branch in branches if branch.get("type") != "null"]
    return _example(usable[0], components, name, depth + 1) if usable else None


def _object(schema: dict[str, Any], components: dict[str, Any], depth: int) -> dict[str, Any]:
    properties = schema.get("properties", {})
    if not properties and isinstance(schema.get("additionalProperties"), dict):
        value = _example(schema["additionalProperties"], components, "", depth + 1)
        return {"kunci": value}
    owned_name = _owned_name(str(schema.get("title", "")))
    return {
        key: owned_name
        if key == "name" and owned_name
        else _example(field, components, key, depth + 1)
        for key, field in properties.items()
    }


def _owned_name(owner: str) -> str | None:
    return next((name for prefix, name in _NAME_BY_OWNER if owner.startswith(prefix)), None)


def _scalar(schema: dict[str, Any], kind: Any, name: str) -> Any:
    if kind in ("integer", "number"):
        return _number(schema, name)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    text = _BY_FORMAT.get(schema.get("format", ""), _BY_NAME.get(name))
    if not isinstance(text, str):
        text = _EXAMPLE_ID if name == "id" or name.endswith("_id") else _text_for(name)
    return _fit_length(text, schema)


def _number(schema: dict[str, Any], name: str) -> int:
    value = _BY_NAME.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        value = 1
    low = schema.get("minimum")
    if "exclusiveMinimum" in schema:
        low = schema["exclusiveMinimum"] + 1
    high = schema.get("maximum")
    if low is not None and value < low:
        value = int(low)
    if high is not None and value > high:
        value = int(high)
    return value


def _text_for(name: str) -> str:
    if name.endswith("_at"):
        return _EXAMPLE_TIME
    if name.endswith("url"):
        return "https://pasar.babelprov.go.id/media/lada-putih.webp"
    return name.replace("_", " ") or "contoh"


def _fit_length(text: str, schema: dict[str, Any]) -> str:
    minimum = int(schema.get("minLength", 0))
    maximum = schema.get("maxLength")
    if len(text) < minimum:
        text = text + "x" * (minimum - len(text))
    if maximum is not None:
        text = text[: int(maximum)]
    return text


def _singular(name: str) -> str:
    return name.removesuffix("s")
