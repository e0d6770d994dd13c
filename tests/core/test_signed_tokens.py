"""Our HS256 tokens against PyJWT, the reference: each reads the other's, and every token
PyJWT refuses for our use is refused here too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from marketplace.core import signed_tokens
from marketplace.core.signed_tokens import InvalidToken

SECRET = "a-secret-that-is-long-enough-for-hs256-0123456789"
AUDIENCE = "marketplace-api"
REQUIRED = ("exp", "sub", "aud", "sid")


def claims(**changes: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    values: dict[str, Any] = {
        "sub": "user",
        "sid": "sign-in",
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + timedelta(minutes=5),
    }
    values.update(changes)
    return {name: value for name, value in values.items() if value is not None}


def ours(token: str) -> dict[str, Any]:
    return signed_tokens.decode(token, SECRET, audience=AUDIENCE, required=REQUIRED)


def pyjwt_reads(token: str) -> dict[str, Any]:
    options: Any = {"require": list(REQUIRED)}
    return jwt.decode(token, SECRET, algorithms=["HS256"], audience=AUDIENCE, options=options)


def test_a_token_of_ours_is_read_by_pyjwt_with_the_same_claims() -> None:
    issued = claims()

    token = signed_tokens.encode(issued, SECRET)

    read = pyjwt_reads(token)
    assert read["sub"] == "user"
    assert read["exp"] == int(issued["exp"].timestamp())
    assert ours(token) == read


def test_a_token_of_pyjwt_is_read_here() -> None:
    token = jwt.encode(claims(), SECRET, algorithm="HS256")

    assert ours(token) == pyjwt_reads(token)


def test_an_audience_list_naming_ours_is_accepted() -> None:
    token = jwt.encode(claims(aud=["other", AUDIENCE]), SECRET, algorithm="HS256")

    assert ours(token)["aud"] == ["other", AUDIENCE]


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(
            lambda: jwt.encode(claims(), "another-secret-long-enough-000000"), id="other-secret"
        ),
        pytest.param(lambda: jwt.encode(claims(), SECRET, algorithm="HS512"), id="hs512"),
        pytest.param(lambda: jwt.encode(claims(), None, algorithm="none"), id="alg-none"),
        pytest.param(
            lambda: jwt.encode(claims(exp=datetime.now(UTC) - timedelta(seconds=1)), SECRET),
            id="expired",
        ),
        pytest.param(
            lambda: jwt.encode(claims(nbf=datetime.now(UTC) + timedelta(minutes=1)), SECRET),
            id="not-yet-valid",
        ),
        pytest.param(lambda: jwt.encode(claims(aud="another-api"), SECRET), id="other-audience"),
        pytest.param(lambda: jwt.encode(claims(aud=None), SECRET), id="no-audience"),
        pytest.param(lambda: jwt.encode(claims(exp=None), SECRET), id="no-expiry"),
        pytest.param(lambda: jwt.encode(claims(sid=None), SECRET), id="no-sign-in"),
        pytest.param(lambda: jwt.encode(claims(exp="tomorrow"), SECRET), id="expiry-not-a-number"),
        pytest.param(lambda: jwt.encode(claims(iat="today"), SECRET), id="issued-at-not-a-number"),
        pytest.param(lambda: "a.b", id="two-parts"),
        pytest.param(lambda: "a.b.c.d", id="four-parts"),
        pytest.param(lambda: "é.é.é", id="not-ascii"),
        pytest.param(lambda: "", id="empty"),
    ],
)
def test_a_token_pyjwt_refuses_is_refused(make_token: Callable[[], str]) -> None:
    token = make_token()  # made now: times taken at collection may be long past on a slow run
    with pytest.raises(jwt.PyJWTError):
        pyjwt_reads(token)
    with pytest.raises(InvalidToken):
        ours(token)


def test_a_token_with_a_changed_payload_or_a_padded_signature_is_refused() -> None:
    header, payload, signature = signed_tokens.encode(claims(), SECRET).split(".")
    other_payload = signed_tokens.encode(claims(sub="admin"), SECRET).split(".")[1]

    for token in (f"{header}.{other_payload}.{signature}", f"{header}.{payload}.{signature}="):
        with pytest.raises(InvalidToken):
            ours(token)
