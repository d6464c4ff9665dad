"""Signing in and out, setting a password from an invitation, and the home page that leads each role on."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..invites import InviteError, check_invite, invited_account_id
from ..service import service
from ..store import audit, users
from ..store.accounts import AccountError
from ..store.models import Account
from . import nav
from .access import current_user, safe_next, sign_in, sign_out
from .errors import error_page

bp = Blueprint("account", __name__)

#: Refused passwords allowed per e-mail address and per client address within the window, before a pause.
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
LIMIT_WINDOW = dt.timedelta(minutes=15)
REFUSED = "The e-mail address or the password is not right."
PAUSED = (
    "Too many sign-in attempts were refused. For your security, signing in is paused for {minutes} minutes; "
    "try again after that."
)


class SignInForm(FlaskForm):  # type: ignore[misc]
    email = StringField(
        "E-mail address",
        validators=[DataRequired("Enter your e-mail address."), Length(max=320)],
        render_kw={"autocomplete": "username", "inputmode": "email", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password."), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )


class SetPasswordForm(FlaskForm):  # type: ignore[misc]
    password = PasswordField(
        "New password",
        validators=[DataRequired("Choose a password."), Length(max=1024)],
        render_kw={"autocomplete": "new-password"},
        description="At least 12 characters, not your e-mail address. A few unrelated words make a good password.",
    )
    confirm = PasswordField(
        "New password again",
        validators=[DataRequired("Enter the password again."), EqualTo("password", "The two passwords differ.")],
        render_kw={"autocomplete": "new-password"},
    )


@bp.get("/")
def home() -> ResponseReturnValue:
    """Signed in: the first page of the user's role; otherwise the sign-in page."""
    user = current_user()
    if user is None:
        return redirect(url_for(".sign_in"))
    offered = nav.items(user.role)
    if offered:
        return redirect(offered[0]["url"])
    return render_template("pages/home.html", user=user)


@bp.route("/sign-in", methods=["GET", "POST"], endpoint="sign_in")
def sign_in_page() -> ResponseReturnValue:
    form = SignInForm()
    target = safe_next(request.args.get("next"))
    if not form.validate_on_submit():
        if request.method == "GET" and current_user() is not None:
            return redirect(target or url_for(".home"))
        return render_template("pages/sign_in.html", form=form, refused=None)
    email = str(form.email.data or "")
    password = str(form.password.data or "")
    address = request.remote_addr or ""
    db = service().db
    with db.read() as read:
        by_email, by_address = users.recent_failures(read, email, address, LIMIT_WINDOW)
        if by_email >= ACCOUNT_LIMIT or by_address >= ADDRESS_LIMIT:
            minutes = int(LIMIT_WINDOW.total_seconds() // 60)
            html = render_template("pages/sign_in.html", form=form, refused=PAUSED.format(minutes=minutes))
            return html, 429, {"Retry-After": str(int(LIMIT_WINDOW.total_seconds()))}
        found = users.check_password(read, email, password)
    with db.write() as write:
        if found is None:
            users.record_failure(write, email, address, LIMIT_WINDOW)
        else:
            account = write.get_one(Account, found.id)
            users.refresh_hash(account, password)
            sid = users.open_session(write, account, address)
            user = users.as_user(account)
            audit.record(write, user.principal, "user.sign_in", "account", account.id, supplier_id=user.supplier_id)
    if found is None:
        return render_template("pages/sign_in.html", form=form, refused=REFUSED)
    sign_in(user, sid)
    return redirect(target or url_for(".home"))


@bp.post("/sign-out", endpoint="sign_out")
def sign_out_page() -> ResponseReturnValue:
    user = current_user()
    sid = sign_out()
    if sid is not None:
        with service().db.write() as write:
            users.end_session(write, sid)
            if user is not None:
                audit.record(write, user.principal, "user.sign_out", "account", user.id, supplier_id=user.supplier_id)
    flash("You are signed out.", "info")
    return redirect(url_for(".sign_in"))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str) -> ResponseReturnValue:
    """The page an invitation links to: choose a password, and be signed in."""
    db = service().db
    try:
        account_id, fingerprint = invited_account_id(current_app, token)
        with db.read() as read:
            check_invite(read.get(Account, account_id), fingerprint)
    except InviteError as exc:
        return error_page(400, "This invitation cannot be used", str(exc))
    form = SetPasswordForm()
    problem = None
    if form.validate_on_submit():
        password = str(form.password.data or "")
        try:
            with db.write() as write:
                account = check_invite(write.get(Account, account_id), fingerprint)
                users.set_password(write, account, password)
                users.end_sessions_of(write, account.id)
                sid = users.open_session(write, account, request.remote_addr or "")
                user = users.as_user(account)
                audit.record(
                    write, user.principal, "user.set_password", "account", account.id, supplier_id=user.supplier_id
                )
        except AccountError as exc:
            problem = str(exc)
        except InviteError as exc:
            return error_page(400, "This invitation cannot be used", str(exc))
        else:
            sign_in(user, sid)
            flash("Your password is set and you are signed in.", "success")
            return redirect(url_for(".home"))
    return render_template("pages/set_password.html", form=form, problem=problem)
