"""Users of the pages: created and invited from the command line, the invitation link, the demonstration's users."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from supplier_qual.cli import cli
from supplier_qual.web.invites import InviteError, check_invite, invited_account_id, make_invite
from supplier_qual.web.store import users
from supplier_qual.web.store.accounts import AccountError

from .conftest import NORTHWIND, Register
from .pages_support import Browserless, csrf_token

NEW_PASSWORD = "kettle lantern orchard"


def invite(register: Register, days: int = 7) -> str:
    with register.service.db.write() as session:
        account = users.create_user(session, email="quality@northwind.example", role="supplier", supplier_id=NORTHWIND)
        return make_invite(register.app, account, days=days)


def test_an_invited_supplier_sets_its_password_once_and_is_signed_in(register: Register) -> None:
    token = invite(register)
    person = Browserless(register.app, register.app.test_client())
    page = person.client.get(f"/set-password/{token}")
    assert page.status_code == 200 and "Choose your password" in page.text
    weak = person.client.post(
        f"/set-password/{token}", data={"password": "short", "confirm": "short", "csrf_token": csrf_token(page.text)}
    )
    assert "at least 12 characters" in weak.text
    differ = person.client.post(
        f"/set-password/{token}",
        data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x", "csrf_token": csrf_token(page.text)},
    )
    assert "The two passwords differ." in differ.text
    done = person.client.post(
        f"/set-password/{token}",
        data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    assert done.status_code == 302
    assert "Your password is set and you are signed in." in person.client.get("/", follow_redirects=True).text
    again = register.app.test_client().get(f"/set-password/{token}")
    assert again.status_code == 400 and "has been used already" in again.text
    fresh = Browserless(register.app, register.app.test_client())
    assert fresh.sign_in("quality@northwind.example", NEW_PASSWORD).status_code == 302


def test_a_damaged_or_expired_invitation_says_so(register: Register, monkeypatch: pytest.MonkeyPatch) -> None:
    token = invite(register, days=1)
    damaged = register.app.test_client().get(f"/set-password/{token[:-3]}abc")
    assert damaged.status_code == 400 and "not valid" in damaged.text
    later = time.time() + 2 * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(InviteError, match="expired"):
        invited_account_id(register.app, token)


def test_an_invitation_of_another_application_is_not_accepted(register: Register, web_pm: object) -> None:
    token = invite(register)
    account_id, fingerprint = invited_account_id(register.app, token)
    with register.service.db.read() as session:
        from supplier_qual.web.store.models import Account

        assert check_invite(session.get(Account, account_id), fingerprint).email == "quality@northwind.example"
    other = register.app.secret_key
    register.app.secret_key = "another key entirely"
    try:
        with pytest.raises(InviteError, match="not valid"):
            invited_account_id(register.app, token)
    finally:
        register.app.secret_key = other


def test_user_rules(register: Register) -> None:
    with register.service.db.write() as session:
        with pytest.raises(AccountError, match="not an e-mail address"):
            users.create_user(session, email="nobody", role="buyer")
        with pytest.raises(AccountError, match="needs the supplier"):
            users.create_user(session, email="s@x.example", role="supplier")
        users.create_user(session, email="b@x.example", role="buyer", password="a long enough password")
        with pytest.raises(AccountError, match=r"already a user b@x\.example"):
            users.create_user(session, email="B@X.example", role="buyer")
        with pytest.raises(AccountError, match="at least 12"):
            users.create_user(session, email="c@x.example", role="buyer", password="short")


def test_user_create_reads_the_password_from_stdin_and_invite_prints_a_working_link(
    register: Register, sqlite_url: str
) -> None:
    runner = CliRunner()
    made = runner.invoke(
        cli,
        [
            "user",
            "create",
            "--email",
            "ops@register.example",
            "--role",
            "buyer",
            "--password-stdin",
            "--db",
            sqlite_url,
        ],
        input=NEW_PASSWORD + "\n",
    )
    assert made.exit_code == 0, made.output
    assert "user ops@register.example (buyer) created" in made.stdout
    weak = runner.invoke(
        cli,
        ["user", "create", "--email", "o2@register.example", "--role", "buyer", "--password-stdin", "--db", sqlite_url],
        input="short\n",
    )
    assert weak.exit_code == 2 and "at least 12 characters" in weak.stderr
    person = Browserless(register.app, register.app.test_client())
    assert person.sign_in("ops@register.example", NEW_PASSWORD).status_code == 302


def test_user_invite_link_opens_the_password_page(sqlite_url: str, tmp_path: Path) -> None:
    from supplier_qual.web import create_app

    config = {"DATABASE_URL": sqlite_url, "INSTANCE_PATH": str(tmp_path / "instance")}
    app = create_app(config)
    try:
        with app.extensions["supplier_qual"].db.write() as session:
            from supplier_qual.web.store.models import Supplier, utcnow

            session.add(Supplier(id=NORTHWIND, name="Northwind", created_at=utcnow(), updated_at=utcnow()))
        result = CliRunner().invoke(
            cli,
            ["user", "invite", "--email", "q@northwind.example", "--supplier", NORTHWIND, "--db", sqlite_url],
            env={"SUPPLIER_QUAL_INSTANCE_PATH": str(tmp_path / "instance")},
        )
        assert result.exit_code == 0, result.output
        link = result.stdout.strip()
        assert link.startswith("http://127.0.0.1:5000/set-password/")
        page = app.test_client().get(link.removeprefix("http://127.0.0.1:5000"))
        assert page.status_code == 200 and "Choose your password" in page.text
    finally:
        app.extensions["supplier_qual"].db.dispose()


def test_the_demonstration_has_a_user_per_role_who_can_sign_in(sqlite_url: str, web_pm: object) -> None:
    from supplier_qual.web import demo
    from supplier_qual.web.pages.present import role_label

    from .conftest import make_app

    app = make_app(sqlite_url, web_pm)  # type: ignore[arg-type]
    try:
        access = demo.seed(app.extensions["supplier_qual"])
        assert sorted(access.sign_ins) == ["admin", "buyer", "supplier", "tender_officer"]
        for role, (email, password) in access.sign_ins.items():
            person = Browserless(app, app.test_client())
            assert person.sign_in(email, password).status_code == 302, role
            shown = person.client.get("/", follow_redirects=True).text
            assert f'<span class="role">({role_label(role)})</span>' in shown
    finally:
        app.extensions["supplier_qual"].db.dispose()
