"""JSON Web Tokens signed with HMAC-SHA256 (RFC 7519 in the compact form of RFC 7515), the
only kind this service issues and accepts.

Written with the standard library rather than taken from PyJWT: PyJWT loads the
``cryptography`` package for its public-key algorithms when it is imported, 9 MB in every
worker, for an algorithm that needs only ``hmac``. The checks are PyJWT's for this use: the
header must name HS256 (never ``none``), the signature is compared in constant time, required
claims must be present, ``exp`` must be in the future, ``nbf`` and ``iat`` numbers, ``aud``
must name the expected audience."""

from __future__ import annotations

import base64
import binascii
import calendar
import hashlib
import hmac
import json
import re
import time
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

ALGORITHM = "HS256"
_HEADER_PART = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').rstrip(b"=")
_BASE64URL = re.compile(rb"^[A-Za-z0-9_-]*$")


class InvalidToken(ValueError):
    """Not a token of ours: malformed, forged, expired or for another audience."""


def encode(claims: Mapping[str, Any], secret: str) -> str:
    """``claims`` signed with ``secret``; datetimes become NumericDate (whole seconds)."""
    payload = {
        name: calendar.timegm(value.utctimetuple()) if isinstance(value, datetime) else value
        for name, value in claims.items()
    }
    payload_part = _encode_part(json.dumps(payload, separators=(",", ":")).encode())
    signing_input = _HEADER_PART + b"." + payload_part
    return (signing_input + b"." + _encode_part(_sign(signing_input, secret))).decode("ascii")


def decode(token: str, secret: str, *, audience: str, required: Iterable[str]) -> dict[str, Any]:
    """The claims of a valid, unexpired token for ``audience``; InvalidToken otherwise."""
    try:
        header_part, payload_part, signature_part = token.encode("ascii").split(b".")
    except (UnicodeEncodeError, ValueError) as error:
        raise InvalidToken("not a compact JWS") from error
    if _json_object(header_part).get("alg") != ALGORITHM:
        raise InvalidToken("not signed with HS256")
    expected = _sign(header_part + b"." + payload_part, secret)
    if not hmac.compare_digest(expected, _decode_part(signature_part)):
        raise InvalidToken("bad signature")
    claims = _json_object(payload_part)
    if any(name not in claims for name in required):
        raise InvalidToken("a required claim is missing")
    _check_times(claims, time.time())
    _check_audience(claims, audience)
    return claims


def _sign(signing_input: bytes, secret: str) -> bytes:
    return hmac.new(secret.encode("utf-8"), signing_input, hashlib.sha256).digest()


def _encode_part(raw: bytes) -> bytes:
    return base64.urlsafe_b64encode(raw).rstrip(b"=")


def _decode_part(part: bytes) -> bytes:
    if not _BASE64URL.match(part):
        raise InvalidToken("not base64url")
    try:
        return base64.urlsafe_b64decode(part + b"=" * (-len(part) % 4))
    except (binascii.Error, ValueError) as error:
        raise InvalidToken("not base64url") from error


def _json_object(part: bytes) -> dict[str, Any]:
    try:
        value = json.loads(_decode_part(part))
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise InvalidToken("not JSON") from error
    if not isinstance(value, dict):
        raise InvalidToken("not a JSON object")
    return value


def _numeric(claims: Mapping[str, Any], name: str) -> float | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidToken(f"{name} is not a NumericDate")
    return float(value)


def _check_times(claims: Mapping[str, Any], now: float) -> None:
    expires = _numeric(claims, "exp")
    if expires is not None and expires <= now:
        raise InvalidToken("expired")
    not_before = _numeric(claims, "nbf")
    if not_before is not None and not_before > now:
        raise InvalidToken("not yet valid")
    _numeric(claims, "iat")


def _check_audience(claims: Mapping[str, Any], audience: str) -> None:
    value = claims.get("aud")
    audiences = [value] if isinstance(value, str) else value
    if not isinstance(audiences, list) or audience not in audiences:
        raise InvalidToken("for another audience")
