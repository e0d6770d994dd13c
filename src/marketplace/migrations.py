"""Running Alembic from code: the CLI, the demo and the tests all migrate the same way."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def alembic_ini_path() -> Path:
    """The checkout's alembic.ini (editable installs), else the one in the working directory
    (the Docker image keeps it in /app beside an installed package)."""
    for candidate in (PROJECT_ROOT / "alembic.ini", Path.cwd() / "alembic.ini"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("alembic.ini not found beside the project or in the working directory")


def alembic_config(database_url: str | None = None) -> Config:
    config = Config(str(alembic_ini_path()))
    config.attributes["configure_logger"] = False
    if database_url:
        config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str | None = None, revision: str = "-1") -> None:
    command.downgrade(alembic_config(database_url), revision)
