"""``supplier-qual token create|list|revoke``: API tokens for the qualification service."""

from __future__ import annotations

import datetime as dt
import getpass
import json

import click

from ..errors import InputError, Problem
from .common import reports_problems
from .serve import DB, open_register


def operator() -> object:
    from ..web.auth import Principal

    return Principal(name=f"command line ({getpass.getuser()})", role="admin")


@click.group(help="API tokens: create one per user or integration, list them, revoke them.")
def token() -> None:
    pass


@token.command(help="Create a token; it is printed once, on standard output, and stored only as a digest.")
@click.option("--role", required=True, type=click.Choice(["supplier", "buyer", "tender_officer", "admin"]))
@click.option("--supplier", "supplier_id", help="The supplier a supplier token speaks for (its id in the register).")
@click.option("--name", default="", help="Who or what uses it, e.g. 'ERP integration'.")
@click.option("--expires", type=click.IntRange(1, 3650), help="Days until it stops working (default: never).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON with the token and its details.")
@DB
@reports_problems
def create(
    role: str, supplier_id: str | None, name: str, expires: int | None, as_json: bool, db_url: str | None
) -> None:
    from ..web.store import accounts, audit

    name = name or f"{role} token"
    with open_register(db_url) as service, service.db.write() as session:
        try:
            account = accounts.create_account(session, name=name, role=role, supplier_id=supplier_id)
        except accounts.AccountError as exc:
            raise InputError([Problem(str(exc))]) from exc
        secret, row = accounts.issue_token(session, account, name=name, expires_days=expires)
        audit.record(
            session,
            operator(),  # type: ignore[arg-type]
            "token.create",
            "token",
            row.id,
            supplier_id=supplier_id,
            detail={"role": role, "name": name, "prefix": row.prefix, "expires_at": row.expires_at},
        )
    if as_json:
        details = {
            "id": row.id,
            "token": secret,
            "role": role,
            "supplier_id": supplier_id,
            "name": name,
            "expires_at": row.expires_at.isoformat() if row.expires_at else None,
        }
        click.echo(json.dumps(details, indent=2))
        return
    until = f"until {row.expires_at:%Y-%m-%d %H:%M} UTC" if row.expires_at else "with no expiry"
    scope = f" for supplier {supplier_id}" if supplier_id else ""
    click.echo(
        f"Token {row.id} ({row.prefix}…): {role}{scope}, {until}. Keep it safe: it is not shown again.", err=True
    )
    click.echo(secret)


@token.command("list", help="List tokens (never the secrets): id, prefix, role, supplier, state, last use.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@DB
@reports_problems
def list_tokens(as_json: bool, db_url: str | None) -> None:
    from ..web.store import accounts

    with open_register(db_url) as service, service.db.read() as session:
        found = accounts.list_tokens(session)
    now = dt.datetime.now(dt.UTC)

    def when(moment: dt.datetime | None) -> str:
        return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"

    if as_json:
        items = [
            {
                "id": t.id,
                "prefix": t.prefix,
                "name": t.name,
                "role": t.role,
                "supplier_id": t.supplier_id,
                "state": t.state(now),
                "created_at": t.created_at.isoformat(),
                "expires_at": t.expires_at.isoformat() if t.expires_at else None,
                "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
            }
            for t in found
        ]
        click.echo(json.dumps(items, indent=2))
        return
    if not found:
        click.echo("no tokens")
        return
    rows = [("ID", "PREFIX", "ROLE", "SUPPLIER", "STATE", "EXPIRES", "LAST USED", "NAME")]
    rows += [
        (
            str(t.id),
            t.prefix,
            t.role,
            t.supplier_id or "-",
            t.state(now),
            when(t.expires_at),
            when(t.last_used_at),
            t.name,
        )
        for t in found
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for r in rows:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=False)) + "  " + r[-1])


@token.command(help="Revoke a token by its id or prefix: it stops working at once.")
@click.argument("ref")
@DB
@reports_problems
def revoke(ref: str, db_url: str | None) -> None:
    from ..web.store import accounts, audit

    with open_register(db_url) as service, service.db.write() as session:
        info = accounts.find_token(session, ref)
        if info is None:
            raise InputError([Problem(f"no token {ref} (give the id or prefix from 'supplier-qual token list')")])
        if not accounts.revoke(session, info.id):
            click.echo(f"token {info.id} ({info.prefix}…) was already revoked")
            return
        audit.record(
            session,
            operator(),  # type: ignore[arg-type]
            "token.revoke",
            "token",
            info.id,
            supplier_id=info.supplier_id,
            detail={"prefix": info.prefix, "role": info.role, "name": info.name},
        )
    click.echo(f"revoked token {info.id} ({info.prefix}…, {info.role}{' ' + info.name if info.name else ''})")
