"""The ``marketplace`` command."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from marketplace import migrations, server
from marketplace.config import DEFAULT_SECRET_KEY, Environment, Settings, get_settings
from marketplace.core.errors import AppError

if TYPE_CHECKING:
    from marketplace.catalog.csv_transfer import ImportReport
    from marketplace.desk.schemas import StatementResult

app = typer.Typer(help="Marketplace Bangka Belitung", no_args_is_help=True)
app.pretty_exceptions_enable = False  # main() turns them into one line
db_app = typer.Typer(help="Database schema", no_args_is_help=True)
app.add_typer(db_app, name="db")
media_app = typer.Typer(help="Media storage", no_args_is_help=True)
app.add_typer(media_app, name="media")
console = Console()
error_console = Console(stderr=True)
ADMIN_PASSWORD_VARIABLE = "MARKETPLACE_ADMIN_PASSWORD"


def _fail(message: str, code: int = 2) -> NoReturn:
    """One line on standard error, never a traceback."""
    error_console.print(f"[red]Error: {escape(message)}[/red]", soft_wrap=True)
    raise typer.Exit(code=code)


def main() -> None:
    """The ``marketplace`` command: anything a command did not turn into a message itself
    (a refused value, an unreachable database) still ends as one line, exit code 1."""
    try:
        app()
    except ValidationError as error:
        error_console.print(f"[red]Error: {escape(_one_line(error))}[/red]", soft_wrap=True)
        sys.exit(2)
    except Exception as error:  # the one place every other failure is caught, on purpose
        message = f"{type(error).__name__}: {error}".replace("\n", " ")
        error_console.print(f"[red]Error: {escape(message)}[/red]", soft_wrap=True)
        sys.exit(1)


def _one_line(error: ValidationError) -> str:
    parts = []
    for each in error.errors():
        where = ".".join(str(part) for part in each["loc"])
        parts.append(f"{where}: {each['msg']}" if where else each["msg"])
    return "; ".join(parts)


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
    _refuse_built_in_secret_key(get_settings())
    command = server.command_line(host, port, workers)
    os.execv(command[0], command)  # workers without the command line's modules (server.py)


def _refuse_built_in_secret_key(settings: Settings) -> None:
    """The built-in key is public (it is in the source): anyone could sign admin tokens and
    derive guest order tokens. Only an explicit MARKETPLACE_ENVIRONMENT=development runs on it,
    with a warning."""
    if settings.secret_key.get_secret_value() != DEFAULT_SECRET_KEY:
        return
    explicit = os.environ.get("MARKETPLACE_ENVIRONMENT", "").strip().lower()
    if explicit == Environment.DEVELOPMENT.value:
        logging.getLogger("marketplace").warning(
            "serving with the built-in MARKETPLACE_SECRET_KEY: development only, never expose"
        )
        console.print("[yellow]Warning: built-in secret key (development only)[/yellow]")
        return
    _fail(
        "MARKETPLACE_SECRET_KEY is not set. Set it to a random value of at least 32 characters "
        "(python -c 'import secrets; print(secrets.token_urlsafe(48))'), or set "
        "MARKETPLACE_ENVIRONMENT=development to try the service locally."
    )


def _demo_secret_key(database: Path) -> str:
    """A random key made on the demo's first run and kept beside its database, so tokens and
    guest order links keep working across restarts."""
    key_file = database.with_name(database.name + ".secret-key")
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.touch(mode=0o600)
    key_file.write_text(key, encoding="utf-8")
    return key


@app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(help="Admin email")],
    full_name: Annotated[str, typer.Option(help="Shown in the audit log")] = "Admin Diskominfo",
    password: Annotated[
        str | None,
        typer.Option(
            hidden=True,
            help="Visible to other users in the process list and shell history: use the "
            "prompt or MARKETPLACE_ADMIN_PASSWORD instead",
        ),
    ] = None,
) -> None:
    """Create an admin account, or make an existing account an admin.

    The password comes from MARKETPLACE_ADMIN_PASSWORD, or is asked for (twice, hidden)."""
    from marketplace.accounts.admins import create_admin_account  # noqa: PLC0415

    if password is not None:
        error_console.print(
            "[yellow]Warning: --password is visible in the process list and shell history; "
            "use the prompt or MARKETPLACE_ADMIN_PASSWORD.[/yellow]"
        )
    secret = password or os.environ.get(ADMIN_PASSWORD_VARIABLE) or _ask_password()
    try:
        created = asyncio.run(create_admin_account(get_settings(), email, secret, full_name))
    except AppError as error:
        _fail(f"{error.render_title()}: {error.render_detail()}")
    console.print(f"[green]Admin {'created' if created else 'promoted'}: {escape(email)}[/green]")


def _ask_password() -> str:
    if not sys.stdin.isatty():
        _fail(f"no password: set {ADMIN_PASSWORD_VARIABLE} or run in a terminal to be asked")
    entered: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return entered


@app.command("import-products")
def import_products(
    file: Annotated[
        Path,
        typer.Argument(help="CSV (UTF-8, ',' or ';') or XLSX as export-products writes it"),
    ],
    seller: Annotated[str, typer.Option(help="Slug of the seller the products belong to")],
) -> None:
    """Create and update a seller's products from CSV or XLSX; new products are drafts.

    Exit code 0 when every row was imported, 1 when some rows failed (the others are saved),
    2 for an unknown seller or an unreadable file."""
    from marketplace.catalog import csv_transfer  # noqa: PLC0415

    try:
        with file.open("rb") as stream:
            raw = stream.read(csv_transfer.MAX_UPLOAD_BYTES + 1)
    except OSError as error:
        console.print(f"[red]Cannot read {escape(str(file))}: {escape(str(error))}[/red]")
        raise typer.Exit(code=2) from error
    with Progress(console=console) as progress:
        task = progress.add_task("Importing rows", total=None)

        def on_row(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        report = asyncio.run(csv_transfer.run_import(get_settings(), seller, raw, on_row))
    if report is None:
        console.print(f"[red]Unknown seller: {escape(seller)}[/red]")
        raise typer.Exit(code=2)
    _print_import_report(report)
    if report.errors:
        raise typer.Exit(code=1)


def _print_import_report(report: ImportReport) -> None:
    if report.errors:
        table = Table("Row", "Errors", title="Rows not imported", title_justify="left")
        for error in report.errors:
            table.add_row(str(error.row), escape("\n".join(error.errors)))
        console.print(table)
    console.print(f"Products: {report.created_products} created, {report.updated_products} updated")
    console.print(f"Variants: {report.created_variants} created, {report.updated_variants} updated")
    console.print(f"Rows with errors: {len(report.errors)}")


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


@app.command("export-products")
def export_products(
    seller: Annotated[str, typer.Option(help="Slug of the seller whose products to export")],
    output: Annotated[
        Path | None, typer.Option(help="File to write (default: standard output; CSV only)")
    ] = None,
    file_format: Annotated[
        ExportFormat, typer.Option("--format", help="csv, or xlsx for an Excel workbook")
    ] = ExportFormat.CSV,
    excel: Annotated[
        bool,
        typer.Option(help="CSV for Excel in an Indonesian locale: ';' separated, with a BOM"),
    ] = False,
) -> None:
    """Write all of a seller's products, any status, as CSV or XLSX: one row per variant."""
    from marketplace.catalog import product_export  # noqa: PLC0415

    workbook = file_format is ExportFormat.XLSX
    if workbook and output is None:
        _fail("an XLSX workbook is binary: give --output FILE.xlsx")
    content = asyncio.run(
        product_export.run_export(
            get_settings(),
            seller,
            workbook=workbook,
            delimiter=";" if excel else ",",
            byte_order_mark=excel,
        )
    )
    if content is None:
        _fail(f"Unknown seller: {seller}")
    if output is None:
        typer.echo(content, nl=False)
        return
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    try:
        output.write_bytes(data)
    except OSError as error:
        _fail(f"cannot write {output}: {error}")
    console.print(f"[green]Products of {escape(seller)} written to {escape(str(output))}[/green]")


@app.command("expire-orders")
def expire_orders() -> None:
    """Cancel unpaid orders past their expiry and return their stock (for cron); open card
    payments are cancelled at Stripe too, as the ``serve`` sweep does."""
    from marketplace.gateways import started  # noqa: PLC0415
    from marketplace.orders.tasks import expire_due_orders  # noqa: PLC0415

    async def run() -> int:
        async with started(get_settings()) as (sessionmaker, gateways):
            return await expire_due_orders(sessionmaker, gateways)

    console.print(f"[green]{asyncio.run(run())} orders expired[/green]")


@app.command("settle")
def settle() -> None:
    """Release to sellers the money of seller-orders delivered more than
    MARKETPLACE_SETTLEMENT_HOLD_DAYS ago with no open complaint (for cron)."""
    from marketplace.gateways import started  # noqa: PLC0415
    from marketplace.payments.tasks import settle_due_seller_orders  # noqa: PLC0415

    async def run() -> int:
        async with started(get_settings()) as (sessionmaker, gateways):
            return await settle_due_seller_orders(sessionmaker, gateways)

    console.print(f"[green]{asyncio.run(run())} seller-orders settled[/green]")


@app.command("reconcile-payments")
def reconcile_payments(
    older_than_minutes: Annotated[int, typer.Option(help="Only payments older than this")] = 5,
) -> None:
    """Ask Stripe about pending card payments and apply what webhooks missed."""
    from datetime import timedelta  # noqa: PLC0415

    from marketplace.gateways import started  # noqa: PLC0415
    from marketplace.payments.tasks import reconcile_card_payments  # noqa: PLC0415

    settings = get_settings()

    async def run() -> dict[str, int]:
        async with started(settings) as (sessionmaker, gateways):
            older_than = timedelta(minutes=older_than_minutes)
            outcomes = await reconcile_card_payments(sessionmaker, gateways, older_than=older_than)
        return dict(outcomes)

    if not settings.stripe_secret_key.get_secret_value():
        console.print("[red]MARKETPLACE_STRIPE_SECRET_KEY is not set[/red]")
        raise typer.Exit(code=2)
    console.print(f"[green]Reconciled: {asyncio.run(run())}[/green]")


@app.command("match-statement")
def match_statement(
    file: Annotated[Path, typer.Argument(help="The bank's statement export (CSV)")],
    statement_format: Annotated[
        str,
        typer.Option("--format", help="generic, bca, bri, mandiri, bni or bank_sumsel_babel"),
    ] = "generic",
    apply: Annotated[bool, typer.Option(help="Confirm the matched payments")] = False,
    admin: Annotated[
        str | None, typer.Option(help="E-mail of the admin the confirmations are recorded as")
    ] = None,
) -> None:
    """Match a bank statement's credits to open transfers; a preview unless --apply.

    Exit code 0 when done, 2 for an unreadable file, an unknown format or admin."""
    from marketplace.desk import service as desk_service  # noqa: PLC0415
    from marketplace.payments.bank_statements import StatementFormat  # noqa: PLC0415

    try:
        chosen = StatementFormat(statement_format)
        raw = file.read_bytes()
    except (ValueError, OSError) as error:
        console.print(f"[red]{escape(str(error))}[/red]")
        raise typer.Exit(code=2) from error
    with Progress(console=console) as progress:
        task = progress.add_task("Matching lines", total=None)

        def on_line(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        try:
            result = asyncio.run(
                desk_service.run_match_statement(
                    get_settings(), raw, chosen, admin_email=admin, apply=apply, progress=on_line
                )
            )
        except desk_service.UnknownAdmin as error:
            console.print("[red]--apply needs --admin with the e-mail of an admin[/red]")
            raise typer.Exit(code=2) from error
        except AppError as error:
            console.print(f"[red]{escape(error.render_detail() or error.problem)}[/red]")
            raise typer.Exit(code=2) from error
    _print_statement_result(result)


def _print_statement_result(result: StatementResult) -> None:
    from marketplace.core.formatting import format_rupiah  # noqa: PLC0415

    matched = Table("Line", "Order", "Amount", "Outcome", title="Matched", title_justify="left")
    for line in result.matched:
        matched.add_row(
            str(line.line), line.order_number, format_rupiah(line.amount), line.outcome or "-"
        )
    console.print(matched)
    unmatched = Table("Line", "Amount", "Description", "Why", title="Not matched")
    for other in result.unmatched:
        amount = format_rupiah(other.amount) if other.amount is not None else "-"
        unmatched.add_row(str(other.line), amount, escape(other.description), other.reason)
    console.print(unmatched)
    verb = "confirmed" if result.applied else "would be confirmed (preview; add --apply)"
    console.print(f"{len(result.matched)} of {result.credits} credits {verb}")


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    database: Annotated[Path, typer.Option(help="SQLite file of the demo")] = Path("var/demo.db"),
) -> None:
    """Migrate a SQLite file, seed demo data, print the credentials, and serve."""
    from marketplace.demo import seed_demo  # noqa: PLC0415

    os.environ.setdefault("MARKETPLACE_DATABASE_URL", f"sqlite:///{database}")
    os.environ.setdefault("MARKETPLACE_SECRET_KEY", _demo_secret_key(database))
    os.environ.setdefault("MARKETPLACE_PUBLIC_URL", f"http://{host}:{port}")
    # The demo's widgets may be framed by any page, so they can be tried from a local file.
    os.environ.setdefault("MARKETPLACE_EMBED_ALLOWED_ORIGINS", "*")
    get_settings.cache_clear()
    settings = get_settings()
    _ensure_sqlite_folder(settings.database_url)
    migrations.upgrade(settings.database_url)
    credentials = asyncio.run(seed_demo(settings))
    base = settings.public_url
    console.rule("[bold]Marketplace Bangka Belitung: demo")
    console.print(f"Storefront    {base}/")
    console.print(f"API docs      {base}/docs")
    console.print(f"Health        {base}/healthz")
    console.print(f"Sellers       {base}/api/v1/sellers")
    console.print(f"Featured page {base}/featured")
    console.print(f"Embed widget  {base}/embed/featured  (script: {base}/embed.js)")
    console.print(f"Stats widget  {base}/embed/stats")
    console.print(f"Seller pages  {base}/penjual/")
    console.print(f"Admin pages   {base}/admin/")
    for role, (email, password) in credentials.items():
        console.print(f"{role:<13} {email} / {password}")
    console.rule()
    serve(host=host, port=port, workers=1)


@app.command()
def openapi(
    output: Annotated[
        Path | None, typer.Option(help="File to write (default: standard output)")
    ] = None,
) -> None:
    """Write the API's OpenAPI schema as JSON (for client generators)."""
    import json  # noqa: PLC0415

    from marketplace.main import create_app  # noqa: PLC0415

    text = json.dumps(create_app(get_settings()).openapi(), ensure_ascii=False, indent=1)
    if output is None:
        typer.echo(text)
        return
    output.write_text(text + "\n", encoding="utf-8")


@media_app.command("init")
def media_init() -> None:
    """Create the media folder, or the S3 bucket with its public-read policy (safe to repeat)."""
    from marketplace.media.storage import StorageError, storage_from_settings  # noqa: PLC0415

    try:
        done = asyncio.run(storage_from_settings(get_settings()).prepare())
    except (StorageError, ValueError) as error:
        _fail(str(error))
    console.print(f"[green]{escape(done)}[/green]")
    _prepare_private_storage()


def _prepare_private_storage() -> None:
    """Where proofs of transfer go: a private folder or bucket (issue 11)."""
    from marketplace.media.storage import (  # noqa: PLC0415
        StorageError,
        private_storage_from_settings,
    )

    try:
        done = asyncio.run(private_storage_from_settings(get_settings()).prepare())
    except (StorageError, ValueError) as error:
        _fail(str(error))
    console.print(f"[green]{escape(done)}[/green]")


@app.command("compliance-sweep")
def compliance_sweep() -> None:
    """E-mail sellers whose P-IRT or halal certificate lapses within 30 days and put listings
    with a lapsed P-IRT back in review (daily; also run by ``serve``'s timer)."""
    from marketplace.catalog.tasks import sweep_compliance  # noqa: PLC0415
    from marketplace.gateways import started  # noqa: PLC0415

    async def run() -> int:
        async with started(get_settings()) as (sessionmaker, gateways):
            report = await sweep_compliance(sessionmaker, gateways.mailer)
            return report.notices

    console.print(f"[green]{asyncio.run(run())} expiry notices queued[/green]")


@app.command("rebuild-reports")
def rebuild_reports() -> None:
    """Build the economic reports' facts and rollups again from orders, payments and refunds."""
    from marketplace.gateways import started  # noqa: PLC0415
    from marketplace.reports.tasks import rebuild_reports as rebuild  # noqa: PLC0415

    async def run() -> bool:
        async with started(get_settings()) as (sessionmaker, _gateways):
            return await rebuild(sessionmaker)

    if not asyncio.run(run()):
        _fail("a report sweep is running; try again in a moment")
    console.print("[green]Reports rebuilt[/green]")


if __name__ == "__main__":  # pragma: no cover
    main()
