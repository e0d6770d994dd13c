"""The ``marketplace`` command."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from marketplace import migrations
from marketplace.config import get_settings
from marketplace.core.errors import AppError

app = typer.Typer(help="Marketplace Bangka Belitung", no_args_is_help=True)
db_app = typer.Typer(help="Database schema", no_args_is_help=True)
app.add_typer(db_app, name="db")
console = Console()


def _ensure_sqlite_folder(database_url: str) -> None:
    prefix = "sqlite:///"
    if database_url.startswith(prefix) and ":memory:" not in database_url:
        Path(database_url[len(prefix) :]).expanduser().parent.mkdir(parents=True, exist_ok=True)


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    url = get_settings().database_url
    _ensure_sqlite_folder(url)
    migrations.upgrade(url, revision)
    console.print(f"[green]Database at {revision}[/green]")


@db_app.command("downgrade")
def db_downgrade(revision: str = "-1") -> None:
    """Undo migrations down to REVISION (default: one step)."""
    migrations.downgrade(get_settings().database_url, revision)
    console.print(f"[yellow]Database downgraded to {revision}[/yellow]")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
) -> None:
    """Serve the API with uvicorn (uvloop, httptools)."""
    settings = get_settings()
    uvicorn.run(
        "marketplace.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        access_log=settings.access_log,
        proxy_headers=True,
        log_config=None,
    )


@app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(help="Admin email")],
    password: Annotated[str, typer.Option(help="At least 10 characters, not a common one")],
    full_name: Annotated[str, typer.Option(help="Shown in the audit log")] = "Admin Diskominfo",
) -> None:
    """Create an admin account, or make an existing account an admin."""
    from marketplace.accounts.admins import create_admin_account  # noqa: PLC0415

    try:
        created = asyncio.run(create_admin_account(get_settings(), email, password, full_name))
    except AppError as error:
        console.print(f"[red]{error.render_title()}: {error.render_detail()}[/red]")
        raise typer.Exit(code=2) from error
    console.print(f"[green]Admin {'created' if created else 'promoted'}: {email}[/green]")


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    database: Annotated[Path, typer.Option(help="SQLite file of the demo")] = Path("var/demo.db"),
) -> None:
    """Migrate a SQLite file, seed demo data, print the credentials, and serve."""
    from marketplace.demo import seed_demo  # noqa: PLC0415

    os.environ.setdefault("MARKETPLACE_DATABASE_URL", f"sqlite:///{database}")
    os.environ.setdefault("MARKETPLACE_PUBLIC_URL", f"http://{host}:{port}")
    get_settings.cache_clear()
    settings = get_settings()
    _ensure_sqlite_folder(settings.database_url)
    migrations.upgrade(settings.database_url)
    credentials = asyncio.run(seed_demo(settings))
    base = settings.public_url
    console.rule("[bold]Marketplace Bangka Belitung: demo")
    console.print(f"API docs      {base}/docs")
    console.print(f"Health        {base}/healthz")
    console.print(f"Sellers       {base}/api/v1/sellers")
    for role, (email, password) in credentials.items():
        console.print(f"{role:<13} {email} / {password}")
    console.rule()
    serve(host=host, port=port, workers=1)


if __name__ == "__main__":  # pragma: no cover
    app()
