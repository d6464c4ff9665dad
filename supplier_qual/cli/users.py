"""``supplier-qual user create|invite``: people who sign in to the pages."""

from __future__ import annotations

import sys

import click

from ..errors import InputError, Problem
from .common import reports_problems
from .serve import DB, open_app, open_register
from .tokens import operator

ROLES = ["supplier", "buyer", "tender_officer", "admin"]


@click.group(help="Users of the pages: create one with a password, or invite one to choose its own.")
def user() -> None:
    pass


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise InputError([Problem("standard input: no password given (one line expected)")])
        return password
    return str(click.prompt("Password", hide_input=True, confirmation_prompt="Password again"))


@user.command(help="Create a user who signs in with an e-mail address and a password (asked for, never an argument).")
@click.option("--email", required=True, help="The e-mail address the user signs in with.")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option(
    "--supplier", "supplier_id", help="For a supplier user: the supplier it speaks for (its id in the register)."
)
@click.option("--name", default="", help="The user's name as the pages show it (default: the e-mail address).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@DB
@reports_problems
def create(email: str, role: str, supplier_id: str | None, name: str, password_stdin: bool, db_url: str | None) -> None:
    from ..web.store import audit, users
    from ..web.store.accounts import AccountError

    password = _read_password(password_stdin)
    with open_register(db_url) as service, service.db.write() as session:
        try:
            account = users.create_user(
                session, email=email, role=role, name=name, supplier_id=supplier_id, password=password
            )
        except AccountError as exc:
            raise InputError([Problem(str(exc))]) from exc
        audit.record(
            session,
            operator(),  # type: ignore[arg-type]
            "user.create",
            "account",
            account.id,
            supplier_id=supplier_id,
            detail={"email": account.email, "role": role},
        )
    scope = f" for supplier {supplier_id}" if supplier_id else ""
    click.echo(f"user {account.email} ({role}{scope}) created; it can sign in at /sign-in")


@user.command(help="Invite a user: print a link, valid for --days, with which it chooses its password.")
@click.option("--email", required=True, help="The e-mail address the user will sign in with.")
@click.option("--role", default="supplier", show_default=True, type=click.Choice(ROLES))
@click.option(
    "--supplier", "supplier_id", help="For a supplier user: the supplier it speaks for (its id in the register)."
)
@click.option("--name", default="", help="The user's name as the pages show it (default: the e-mail address).")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True, help="Where the pages are served.")
@click.option("--days", default=7, show_default=True, type=click.IntRange(1, 30), help="Days the link stays valid.")
@DB
@reports_problems
def invite(
    email: str, role: str, supplier_id: str | None, name: str, base_url: str, days: int, db_url: str | None
) -> None:
    from ..web.invites import invite
    from ..web.store import users
    from ..web.store.accounts import AccountError

    with open_app(db_url) as app, app.extensions["supplier_qual"].db.write() as session:
        account = users.find_by_email(session, email)
        try:
            if account is None:
                account = users.create_user(session, email=email, role=role, name=name, supplier_id=supplier_id)
            elif account.role != role or account.supplier_id != supplier_id:
                raise AccountError(
                    f"there is already a user {account.email} with role {account.role}"
                    + (f" for supplier {account.supplier_id}" if account.supplier_id else "")
                )
        except AccountError as exc:
            raise InputError([Problem(str(exc))]) from exc
        token = invite(app, session, operator(), account, days=days)  # type: ignore[arg-type]
    click.echo(f"Invitation for {account.email}, valid for {days} days (send it to the user):", err=True)
    click.echo(f"{base_url.rstrip('/')}/set-password/{token}")
