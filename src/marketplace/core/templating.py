"""Jinja2 templates (``templates/``), autoescaped, with the money and time filters."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from marketplace.core.formatting import format_rupiah, format_wib

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def templates_dir() -> Path:
    """The checkout's templates (editable installs), else ./templates (the Docker image)."""
    for candidate in (PROJECT_ROOT / "templates", Path.cwd() / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("templates/ not found beside the project or in the working directory")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir()),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        enable_async=False,
    )
    env.filters["rupiah"] = format_rupiah
    env.filters["wib"] = format_wib
    return env
