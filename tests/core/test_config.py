"""Settings from the environment, and the database URLs they accept."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from marketplace.config import DEFAULT_SECRET_KEY, Environment, Settings
from marketplace.db.session import async_database_url


@pytest.fixture(autouse=True)
def _no_outside_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test states the variables it needs; none leak in from the shell running pytest."""
    for name in (
        "MARKETPLACE_ENVIRONMENT",
        "MARKETPLACE_SECRET_KEY",
        "MARKETPLACE_EMBED_ALLOWED_ORIGINS",
        "MARKETPLACE_PUBLIC_URL",
    ):
        monkeypatch.delenv(name, raising=False)


def test_production_with_the_default_secret_key_refuses_to_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MARKETPLACE_ENVIRONMENT", "production")

    with pytest.raises(ValidationError, match="MARKETPLACE_SECRET_KEY must be set"):
        Settings()


def test_production_with_a_31_character_secret_key_refuses_to_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MARKETPLACE_ENVIRONMENT", "production")
    monkeypatch.setenv("MARKETPLACE_SECRET_KEY", "k" * 31)

    with pytest.raises(ValidationError, match="at least 32 characters"):
        Settings()


def test_production_with_a_32_character_secret_key_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MARKETPLACE_ENVIRONMENT", "production")
    monkeypatch.setenv("MARKETPLACE_SECRET_KEY", "k" * 32)

    settings = Settings()

    assert settings.environment is Environment.PRODUCTION
    assert settings.secret_key.get_secret_value() == "k" * 32


def test_development_accepts_the_default_secret_key() -> None:
    settings = Settings(environment=Environment.DEVELOPMENT)

    assert settings.secret_key == SecretStr(DEFAULT_SECRET_KEY)


def test_secret_key_is_not_shown_when_settings_are_printed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MARKETPLACE_SECRET_KEY", "rahasia-negara-" + "x" * 30)

    settings = Settings()

    assert "rahasia-negara" not in repr(settings)
    assert "rahasia-negara" not in str(settings.model_dump())


@pytest.mark.parametrize(
    ("configured", "used"),
    [
        ("postgresql://postgres@127.0.0.1/mp", "postgresql+asyncpg://postgres@127.0.0.1/mp"),
        ("postgres://app:pw@db:5432/mp", "postgresql+asyncpg://app:pw@db:5432/mp"),
        ("postgresql+psycopg://app@db/mp", "postgresql+asyncpg://app@db/mp"),
        ("postgresql+asyncpg://app@db/mp", "postgresql+asyncpg://app@db/mp"),
        ("sqlite:///var/marketplace.db", "sqlite+aiosqlite:///var/marketplace.db"),
        ("sqlite:////srv/data/marketplace.db", "sqlite+aiosqlite:////srv/data/marketplace.db"),
        ("sqlite+aiosqlite:///var/marketplace.db", "sqlite+aiosqlite:///var/marketplace.db"),
    ],
)
def test_async_database_url_picks_the_driver_for_plain_urls(configured: str, used: str) -> None:
    assert async_database_url(configured) == used


def test_embed_allowed_origins_are_read_from_a_comma_separated_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "MARKETPLACE_EMBED_ALLOWED_ORIGINS",
        " https://babelprov.go.id , https://pangkalpinangkota.go.id,,",
    )

    settings = Settings()

    assert settings.embed_allowed_origins == [
        "https://babelprov.go.id",
        "https://pangkalpinangkota.go.id",
    ]


def test_embed_allowed_origins_default_to_none() -> None:
    assert Settings().embed_allowed_origins == []


def test_public_url_loses_its_trailing_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARKETPLACE_PUBLIC_URL", "https://pasar.babelprov.go.id/")

    assert Settings().public_url == "https://pasar.babelprov.go.id"
