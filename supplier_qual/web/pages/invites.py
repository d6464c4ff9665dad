"""The buyer's "invite a supplier" page: a signed, expiring link with which a supplier's user chooses its password.

The buyer picks a supplier in the register, or adds one (name and identifier), and
gives the e-mail address of the person who will answer for it. The page shows the
link to send; the register itself sends no e-mail.
"""

from __future__ import annotations

import re

from flask import Blueprint, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # newer than the type stubs
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..invites import DEFAULT_DAYS, MAX_DAYS, invite, invite_path
from ..service import service
from ..store import audit, users
from ..store.accounts import AccountError
from ..store.models import Supplier, utcnow
from .access import login_required, signed_in_user

bp = Blueprint("invites", __name__, url_prefix="/invite")

NEW = "__new__"
SUPPLIER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")


class InviteForm(FlaskForm):  # type: ignore[misc]
    supplier = SelectField("Supplier", choices=[], validate_choice=True)
    new_name = StringField(
        "New supplier's legal name",
        validators=[Length(max=300)],
        description="Only when the supplier is not in the register yet.",
    )
    new_id = StringField(
        "New supplier's identifier",
        validators=[Length(max=64)],
        description="Its company or tax number with the register's prefix, for example GB-COH-04567123.",
    )
    new_country = StringField(
        "New supplier's country",
        validators=[Optional(), Length(max=64)],
        description="Two-letter code, for example GB.",
    )
    email = StringField(
        "E-mail address of the supplier's contact",
        validators=[
            DataRequired("Enter the e-mail address the supplier's contact will sign in with."),
            Length(max=320),
        ],
        render_kw={"inputmode": "email", "autocomplete": "off", "spellcheck": "false"},
    )
    name = StringField("Contact's name", validators=[Optional(), Length(max=200)])
    days = IntegerField(
        "Days the link stays valid",
        default=DEFAULT_DAYS,
        validators=[
            DataRequired("Say how many days the link stays valid."),
            NumberRange(1, MAX_DAYS, f"From 1 to {MAX_DAYS} days."),
        ],
    )

    def validate_new_name(self, field: StringField) -> None:
        if self.supplier.data == NEW and not (field.data or "").strip():
            raise ValidationError("Give the new supplier's legal name.")

    def validate_new_id(self, field: StringField) -> None:
        if self.supplier.data != NEW:
            return
        value = (field.data or "").strip()
        if not value:
            raise ValidationError("Give the new supplier's identifier.")
        if not SUPPLIER_ID.match(value):
            raise ValidationError("Use 1 to 64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit.")


def _choices() -> list[SelectChoice]:
    with service().db.read() as session:
        rows = session.execute(select(Supplier.id, Supplier.name).order_by(Supplier.name, Supplier.id)).all()
    return [SelectChoice(NEW, "A new supplier (give its name and identifier below)")] + [
        SelectChoice(i, f"{n} ({i})") for i, n in rows
    ]


@bp.route("/", methods=["GET", "POST"])
@login_required(role=("buyer", "admin"))
def new() -> ResponseReturnValue:
    """Invite a supplier's contact: the form, then the link to send."""
    form = InviteForm()
    form.supplier.choices = _choices()
    if request.method == "GET" and request.args.get("supplier"):
        form.supplier.data = request.args["supplier"]
    problem = None
    if form.validate_on_submit():
        try:
            invited = _invite(form)
        except AccountError as exc:
            problem = str(exc)
        else:
            return render_template("pages/invites/sent.html", **invited)
    status = 422 if request.method == "POST" else 200
    return render_template("pages/invites/new.html", form=form, problem=problem), status


def _invite(form: InviteForm) -> dict[str, object]:
    user = signed_in_user()
    days = int(form.days.data or DEFAULT_DAYS)
    with service().db.write() as session:
        if form.supplier.data == NEW:
            supplier_id = str(form.new_id.data).strip()
            if session.get(Supplier, supplier_id) is not None:
                raise AccountError(f"Supplier {supplier_id} is already in the register: choose it in the list.")
            now = utcnow()
            details = {"name": str(form.new_name.data).strip(), "country": str(form.new_country.data or "").strip()}
            supplier = Supplier(id=supplier_id, created_at=now, updated_at=now, **details)
            session.add(supplier)
            session.flush()
            audit.record(
                session,
                user.principal,
                "supplier.create",
                "supplier",
                supplier_id,
                supplier_id=supplier_id,
                detail=details,
            )
        else:
            chosen = session.get(Supplier, form.supplier.data)
            if chosen is None:
                raise AccountError("That supplier is no longer in the register.")
            supplier = chosen
        email = str(form.email.data or "")
        account = users.find_by_email(session, email)
        if account is None:
            account = users.create_user(
                session, email=email, role="supplier", name=str(form.name.data or "").strip(), supplier_id=supplier.id
            )
        elif account.role != "supplier" or account.supplier_id != supplier.id:
            raise AccountError(f"{account.email} is already the e-mail address of another user of the register.")
        elif account.password_hash is not None:
            raise AccountError(
                f"{account.email} has chosen a password already and signs in at the sign-in page; "
                "no invitation is needed."
            )
        token = invite(current_app, session, user.principal, account, days=days)
        shown = {"supplier_name": supplier.name, "supplier_id": supplier.id, "email": account.email}
    link = request.host_url.rstrip("/") + invite_path(token)
    return {**shown, "link": link, "days": days}
