"""The administrator's pages: the users of the register, and adding one (who then chooses its own password)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # newer than the type stubs
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..auth import ROLES
from ..invites import DEFAULT_DAYS, MAX_DAYS, invite, invite_path
from ..service import service
from ..store import users
from ..store.accounts import AccountError
from ..store.models import Account, Supplier
from .access import login_required, signed_in_user
from .present import moment, role_label

bp = Blueprint("admin", __name__, url_prefix="/admin")


class UserForm(FlaskForm):  # type: ignore[misc]
    email = StringField(
        "E-mail address",
        validators=[DataRequired("Enter the e-mail address the user will sign in with."), Length(max=320)],
        render_kw={"inputmode": "email", "autocomplete": "off", "spellcheck": "false"},
    )
    name = StringField("Name", validators=[Optional(), Length(max=200)], description="As the pages show it.")
    role = SelectField("Role", choices=[SelectChoice(r, role_label(r)) for r in ROLES], default="buyer")
    supplier = SelectField("Supplier", choices=[], description="Only for a supplier user: the supplier it answers for.")
    days = IntegerField(
        "Days the invitation link stays valid",
        default=DEFAULT_DAYS,
        validators=[DataRequired("Say how many days."), NumberRange(1, MAX_DAYS, f"From 1 to {MAX_DAYS} days.")],
    )

    def validate_supplier(self, field: SelectField) -> None:
        if self.role.data == "supplier" and not field.data:
            raise ValidationError("Choose the supplier this user answers for.")
        if self.role.data != "supplier" and field.data:
            raise ValidationError("Only a supplier user answers for a supplier: leave this empty.")


def _status(account: Account) -> str:
    if account.disabled_at is not None:
        return "Disabled"
    if account.password_hash is None:
        return "Invited (no password yet)"
    return "Active"


@bp.get("/users")
@login_required(role="admin")
def users_list() -> str:
    """Every user of the pages with role, supplier, state and last sign-in."""
    with service().db.read() as session:
        found = users.list_users(session)
        names: dict[str, str] = dict(session.execute(select(Supplier.id, Supplier.name)).all())
    rows: list[dict[str, Any]] = [
        {
            "email": a.email,
            "name": a.name,
            "role": role_label(a.role),
            "supplier": f"{names.get(a.supplier_id, '')} ({a.supplier_id})" if a.supplier_id else "—",
            "state": _status(a),
            "last": moment(a.last_sign_in_at),
        }
        for a in found
    ]
    return render_template("pages/admin/users.html", rows=rows)


@bp.route("/users/new", methods=["GET", "POST"], endpoint="new_user")
@login_required(role="admin")
def new_user() -> ResponseReturnValue:
    """Add a user; it gets an invitation link with which to choose its password."""
    form = UserForm()
    with service().db.read() as session:
        suppliers = session.execute(select(Supplier.id, Supplier.name).order_by(Supplier.name)).all()
    form.supplier.choices = [SelectChoice("", "— none —")] + [SelectChoice(i, f"{n} ({i})") for i, n in suppliers]
    problem = None
    if form.validate_on_submit():
        admin = signed_in_user()
        days = int(form.days.data or DEFAULT_DAYS)
        try:
            with service().db.write() as session:
                account = users.create_user(
                    session,
                    email=str(form.email.data or ""),
                    role=str(form.role.data),
                    name=str(form.name.data or "").strip(),
                    supplier_id=form.supplier.data or None,
                )
                token = invite(current_app, session, admin.principal, account, days=days)
                email, role = account.email or "", account.role
        except AccountError as exc:
            problem = str(exc)
        else:
            link = request.host_url.rstrip("/") + invite_path(token)
            return render_template("pages/admin/added.html", email=email, role=role, link=link, days=days)
    status = 422 if request.method == "POST" else 200
    return render_template("pages/admin/new_user.html", form=form, problem=problem), status
