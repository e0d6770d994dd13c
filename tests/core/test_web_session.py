"""The cookie session of human pages: signed, HttpOnly, SameSite=Lax, Secure behind https; a
tampered cookie is a fresh session; CSRF tokens and the same-origin check refuse forgeries."""

from __future__ import annotations

import uuid

import pytest
from starlette.requests import Request
from starlette.responses import Response

from marketplace.core.web_session import (
    CsrfCheckFailed,
    read_web_session,
    require_csrf,
    require_same_origin,
    save_web_session,
)
from tests.conftest import make_settings


def _request(headers: dict[str, str]) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "method": "POST", "path": "/", "headers": raw})


def _cookie_header(response: Response) -> str:
    return response.headers["set-cookie"]


def test_session_survives_a_round_trip_and_a_signed_in_user_with_it() -> None:
    settings = make_settings("sqlite://", public_url="https://pasar.babelprov.go.id")
    session = read_web_session(_request({}), settings)
    user_id, sign_in_id = uuid.uuid4(), uuid.uuid4()
    session.sign_in(user_id, sign_in_id)
    response = Response()

    save_web_session(response, settings, session)
    header = _cookie_header(response)
    value = header.split(";")[0].split("=", 1)[1]
    again = read_web_session(_request({"cookie": f"mp_session={value}"}), settings)

    assert "HttpOnly" in header
    assert "SameSite=lax" in header
    assert "Secure" in header
    assert again.user_id == user_id
    assert again.sign_in_id == sign_in_id
    assert again.csrf_token == session.csrf_token


def test_cookie_is_not_secure_on_plain_http_for_local_runs() -> None:
    settings = make_settings("sqlite://", public_url="http://127.0.0.1:8000")
    response = Response()
    save_web_session(response, settings, read_web_session(_request({}), settings))
    assert "Secure" not in _cookie_header(response)


def test_a_tampered_cookie_reads_as_a_new_anonymous_session() -> None:
    settings = make_settings("sqlite://")
    forged = f'{{"c":"x","u":"{uuid.uuid4()}"}}'
    session = read_web_session(_request({"cookie": f"mp_session={forged}"}), settings)
    assert session.user_id is None
    assert session.changed


def test_sign_in_replaces_the_csrf_token() -> None:
    settings = make_settings("sqlite://")
    session = read_web_session(_request({}), settings)
    before = session.csrf_token
    session.sign_in(uuid.uuid4(), uuid.uuid4())
    assert session.csrf_token != before
    with pytest.raises(CsrfCheckFailed):
        require_csrf(session, before)
    require_csrf(session, session.csrf_token)


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({"sec-fetch-site": "same-origin"}, True),
        ({"sec-fetch-site": "cross-site"}, False),
        ({"sec-fetch-site": "same-site"}, False),
        ({"origin": "http://testserver"}, True),
        ({"origin": "https://evil.example"}, False),
        ({"referer": "http://testserver/produk/lada"}, True),
        ({}, False),
    ],
)
def test_same_origin_check(headers: dict[str, str], allowed: bool) -> None:
    settings = make_settings("sqlite://")
    if allowed:
        require_same_origin(_request(headers), settings)
    else:
        with pytest.raises(CsrfCheckFailed):
            require_same_origin(_request(headers), settings)
