"""The compose stack and image: pinned, maintained images, the bucket made at start, and a
build context without local state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from marketplace.cli import app as cli_app

ROOT = Path(__file__).resolve().parents[1]


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def test_compose_pins_every_image_and_names_no_archived_minio() -> None:
    images = [s["image"] for s in _compose()["services"].values() if "image" in s]

    assert images, "no images"
    assert all(":" in image and not image.endswith(":latest") for image in images), images
    assert not [image for image in images if "minio" in image]


def test_compose_runs_media_init_before_the_app_and_has_the_dev_services() -> None:
    services = _compose()["services"]

    assert services["media-init"]["command"] == ["marketplace", "media", "init"]
    assert services["app"]["depends_on"]["media-init"] == {
        "condition": "service_completed_successfully"
    }
    assert {"db", "redis", "s3", "mail"} <= set(services)
    assert services["app"]["environment"]["MARKETPLACE_SMTP_URL"] == "smtp://mail:1025"
    result = CliRunner().invoke(cli_app, ["media", "init", "--help"])
    assert result.exit_code == 0


def test_image_is_python_313_and_the_build_context_leaves_local_state_out() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    ignored = (ROOT / ".dockerignore").read_text().split()

    assert "FROM python:3.13-slim AS build" in dockerfile
    assert "FROM python:3.13-slim AS runtime" in dockerfile
    assert {".git", ".venv", "var", "tests", ".env"} <= set(ignored)
