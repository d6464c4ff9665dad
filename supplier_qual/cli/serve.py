"""``supplier-qual serve`` and ``db upgrade|current``: run the qualification service, keep its register current."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from .common import reports_problems

DB = click.option(
    "--db",
    "db_url",
    metavar="URL",
    help="The register's database, e.g. postgresql://user@host/dbname "
    "(default: SUPPLIER_QUAL_DATABASE_URL, else SQLite in the instance folder).",
)


def register_config(db_url: str | None) -> dict[str, Any]:
    return {"DATABASE_URL": db_url} if db_url else {}


@contextmanager
def open_app(db_url: str | None, *, migrate_first: bool = True) -> Iterator[Any]:
    """The service's application (its secret key signs invitations); its connections close afterwards."""
    from ..web import create_app

    app = create_app({**register_config(db_url), "AUTO_MIGRATE": migrate_first})
    try:
        yield app
    finally:
        app.extensions["supplier_qual"].db.dispose()


@contextmanager
def open_register(db_url: str | None, *, migrate_first: bool = True) -> Iterator[Any]:
    """The service (database, plugins, policy) a command works on; its connections close afterwards."""
    with open_app(db_url, migrate_first=migrate_first) as app:
        yield app.extensions["supplier_qual"]


@click.command(
    help="Serve the pages (sign in at /sign-in) and the qualification API (reference at /api/docs) under gunicorn."
)
@DB
@click.option(
    "--demo",
    is_flag=True,
    help="Serve a fresh demonstration register: example suppliers, a tender, a user and a token per role.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@reports_problems
def serve(db_url: str | None, demo: bool, host: str, port: int, workers: int) -> None:
    from ..web import create_app
    from ..web import demo as demonstration
    from ..web.server import serve as run

    config = register_config(db_url)
    if demo and not db_url:
        probe = create_app({"AUTO_MIGRATE": False})
        path = Path(probe.instance_path) / "demo.db"
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        config = {"DATABASE_URL": f"sqlite:///{path}"}
    app = create_app(config)
    service = app.extensions["supplier_qual"]
    url = f"http://{host}:{port}"
    click.echo(f"Register: {_where(service.db)}")
    if demo:
        access = demonstration.seed(service)
        click.echo("Demonstration register: 2 suppliers assessed, tender T-2026-014 checked.")
        click.echo(f"Sign in at {url}/sign-in as (passwords shown once):")
        for role, (email, password) in access.sign_ins.items():
            click.echo(f"  {role:<15} {email:<28} {password}")
        click.echo("API tokens (shown once):")
        for role, token in access.tokens.items():
            click.echo(f"  {role:<15} {token}")
        click.echo(f'Try: curl -H "Authorization: Bearer {access.tokens["buyer"]}" {url}/api/v1/suppliers')
    service.db.dispose()
    click.echo(f"Serving on {url}  (sign in: {url}/sign-in, API reference: {url}/api/docs)")
    os.environ.setdefault("SUPPLIER_QUAL_AUTO_MIGRATE", "0")
    run(config, host=host, port=port, workers=workers)


def _where(db: Any) -> str:
    """The register's database as a person reads it: a relative SQLite path, or the URL without its password."""
    path = db.sqlite_path
    if path is None:
        return str(db.url.render_as_string(hide_password=True))
    try:
        return f"{Path(path).resolve().relative_to(Path.cwd())} (SQLite)"
    except ValueError:
        return f"{path} (SQLite)"


@click.group(help="The register's database: bring its tables up to date, or see their revision.")
def db() -> None:
    pass


@db.command(help="Migrate the register's tables to the newest revision (or --revision).")
@DB
@click.option("--revision", default="head", show_default=True, help="Revision to migrate to.")
@reports_problems
def upgrade(db_url: str | None, revision: str) -> None:
    from ..web.store import migrate

    with open_register(db_url, migrate_first=False) as service:
        before = migrate.current(service.db)
        after = migrate.upgrade(service.db, revision)
    if before == after:
        click.echo(f"already at revision {after}")
    else:
        click.echo(f"migrated from {before or 'an empty database'} to revision {after}")


@db.command(help="Show the revision the register's tables are at, and the newest one.")
@DB
@reports_problems
def current(db_url: str | None) -> None:
    from ..web.store import migrate

    with open_register(db_url, migrate_first=False) as service:
        found, head = migrate.current(service.db), migrate.head()
    if found == head:
        click.echo(f"{found} (head)")
    else:
        click.echo(f"{found or 'none: empty database'} (newest is {head}: run supplier-qual db upgrade)")
