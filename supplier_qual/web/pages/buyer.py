"""The buyer's pages: the register of suppliers, one supplier, and the expiry watch.

Buyers and administrators use them; a tender officer may read them (to look a bidder
up) but neither overrides a decision nor sends performance data, exactly as the API
allows only a buyer to (``assessments.override``, ``performance.write``). Supplier
users have their own pages and are refused these (403).
"""

from __future__ import annotations

import json
import math
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; its stubs lag
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ...errors import InputError, Problem
from .. import qualification
from ..auth import PERMISSIONS
from ..diff import compare
from ..intake import safe_filename
from ..service import service
from ..store import assessments, submissions
from ..store import suppliers as register
from ..store.models import Assessment
from ..watch import expiring
from .access import accepts_upload, login_required, signed_in_user
from .buyer_chart import chart
from .buyer_rows import summaries, summary, workbook

bp = Blueprint("buyer", __name__, url_prefix="/buyer")

READERS = ("buyer", "admin", "tender_officer")
PER_PAGE = 25
HISTORY = 50
OUTCOMES = tuple("ABCDEFGHI")
DECISIONS = {"qualified": "Qualified", "conditional": "Conditional", "not_qualified": "Not qualified"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SORT_LABELS = {
    "id": "identifier",
    "name": "supplier",
    "decision": "decision",
    "score": "overall score",
    "weakest": "weakest outcome",
    "expiry": "certificate expiry",
}
#: The override form's fields are named override-decision, override-reason …: its ids never clash with the page's.
OVERRIDE = "override"
FILTER_KEYS = ("q", "decision", "outcome", "below", "expiring")


def _choices() -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in DECISIONS.items()]


class FilterForm(FlaskForm):  # type: ignore[misc]
    """The dashboard's filters, sent with GET so a filtered list is a link."""

    class Meta:
        csrf = False

    q = StringField("Search", validators=[Optional(), Length(max=200)], description="Name or identifier")
    decision = SelectField("Decision", choices=[SelectChoice("", "Any decision"), *_choices()], validators=[Optional()])
    outcome = SelectField(
        "Outcome",
        choices=[SelectChoice("", "Any outcome"), *(SelectChoice(o, f"Outcome {o}") for o in OUTCOMES)],
        validators=[Optional()],
    )
    below = IntegerField("Scoring below", validators=[Optional(), NumberRange(0, 100, "Give a score from 0 to 100.")])
    expiring = IntegerField(
        "Certificate expiring within (days)",
        validators=[Optional(), NumberRange(0, 3650, "Give a number of days from 0 to 3650.")],
    )


class OverrideForm(FlaskForm):  # type: ignore[misc]
    assessment_id = HiddenField(validators=[DataRequired()])
    decision = SelectField("Decision to record", choices=_choices(), validators=[InputRequired("Choose the decision.")])
    reason = TextAreaField(
        "Reason",
        validators=[
            DataRequired("Give the reason for overriding the computed decision."),
            Length(3, 4000, "The reason must be from 3 to 4,000 characters."),
        ],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        description="Kept in the audit log and shown beside the decision, e.g. the audit visit that supports it.",
    )


class PerformanceForm(FlaskForm):  # type: ignore[misc]
    file = FileField(
        "Performance data (JSON or CSV)",
        validators=[FileRequired("Choose the file with the supplier's performance data.")],
        description="Deliveries, on-time delivery, defect rate, complaints and corrective actions, as measured by you.",
        render_kw={"accept": ".json,.csv,application/json,text/csv"},
    )


def _may(action: str) -> bool:
    return signed_in_user().role in PERMISSIONS[action]


def _filter() -> tuple[FilterForm, register.SupplierFilter, dict[str, str]]:
    form = FilterForm(request.args)
    form.validate()
    if form.outcome.data and form.below.data is None and not form.below.errors:
        form.below.errors = ["Give the score the outcome should be below."]
    ok = {name: not getattr(form, name).errors for name in FILTER_KEYS}
    where = register.SupplierFilter(
        decision=form.decision.data or None if ok["decision"] else None,
        outcome=form.outcome.data or None if ok["outcome"] and ok["below"] else None,
        below=float(form.below.data) if ok["below"] and form.below.data is not None else None,
        expiring_within=form.expiring.data if ok["expiring"] else None,
        text=(form.q.data or "").strip() or None if ok["q"] else None,
    )
    args = {k: v for k in FILTER_KEYS if (v := request.args.get(k, "").strip())}
    return form, where, args


def _sort() -> tuple[str, bool]:
    key = request.args.get("sort", "name")
    if key not in register.SORTS:
        key = "name"
    return key, request.args.get("order") == "desc"


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


@bp.get("/")
@login_required(role=READERS)
def dashboard() -> str:
    form, where, args = _filter()
    key, descending = _sort()
    svc = service()
    as_of = svc.today()
    with svc.db.read() as session:
        total = register.count(session, where, as_of=as_of)
        pages = max(1, math.ceil(total / PER_PAGE))
        number = min(_page_number(), pages)
        rows, _ = register.search(
            session,
            where,
            as_of=as_of,
            after=None,
            limit=PER_PAGE,
            sort=key,
            descending=descending,
            offset=(number - 1) * PER_PAGE,
        )
        shown = summaries(session, rows)
    sort_args = {**args, "sort": key, "order": "desc" if descending else "asc"}
    return render_template(
        "pages/buyer/dashboard.html",
        form=form,
        rows=shown,
        total=total,
        page=number,
        pages=pages,
        sort={"key": key, "desc": descending, "label": SORT_LABELS[key]},
        args=args,
        sort_args=sort_args,
        export_query=urlencode(sort_args),
        as_of=as_of,
    )


@bp.get("/suppliers.xlsx")
@login_required(role=READERS)
def export() -> Response:
    """The filtered register, in the dashboard's order, as a workbook."""
    _, where, args = _filter()
    key, descending = _sort()
    svc = service()
    as_of = svc.today()
    with svc.db.read() as session:
        total = register.count(session, where, as_of=as_of)
        rows, _ = register.search(
            session, where, as_of=as_of, after=None, limit=max(total, 1), sort=key, descending=descending
        )
        listed = summaries(session, rows)
    described = "; ".join(f"{k}={v}" for k, v in args.items())
    body = workbook(listed, as_of=as_of, filters=described)
    return Response(
        body, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="suppliers-{as_of}.xlsx"'}
    )


def _choice(name: str, ids: list[int]) -> int | None:
    raw = request.args.get(name, "")
    return int(raw) if raw.isdigit() and int(raw) in ids else None


def _supplier_page(
    supplier_id: str,
    *,
    override_form: OverrideForm | None = None,
    performance_form: PerformanceForm | None = None,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    svc = service()
    with svc.db.read() as session:
        found = register.get(session, supplier_id)
        if found is None:
            abort(404)
        history = assessments.of_supplier(session, supplier_id, before=None, limit=HISTORY)
        overrides = assessments.overrides(session, [a.id for a in history])
        performance = submissions.latest_performance(session, supplier_id)
        stored = {a.id: a.result_json for a in history}
    latest = found.latest
    latest_json = stored.get(latest.id, "{}") if latest is not None else "{}"
    result: dict[str, Any] = json.loads(latest_json)
    decisions = {a.id: overrides[a.id][0].decision if overrides[a.id] else a.decision for a in history}
    ids = [a.id for a in history]
    before_id = _choice("before", ids) or (ids[1] if len(ids) > 1 else None)
    after_id = _choice("after", ids) or (ids[0] if ids else None)
    diff = None
    if before_id is not None and after_id is not None and before_id != after_id:
        diff = compare(
            json.loads(stored[before_id]),
            json.loads(stored[after_id]),
            decisions=(decisions[before_id], decisions[after_id]),
        )
    if override_form is None:
        override_form = OverrideForm(formdata=None, prefix=OVERRIDE, assessment_id=latest.id if latest else "")
    limits = result.get("overall", {}).get("limits", [])
    page = render_template(
        "pages/buyer/supplier.html",
        found=found,
        row=summary(found, latest_json),
        result=result,
        chart=chart(result) if result else None,
        thresholds=result.get("overall", {}).get("thresholds", {}),
        gates=[limit for limit in limits if limit.get("kind") == "kpi_gate"],
        history=history,
        overrides=overrides,
        decisions=decisions,
        before_id=before_id,
        after_id=after_id,
        diff=diff,
        performance=performance,
        figures=json.loads(performance.data) if performance is not None else None,
        override_form=override_form,
        performance_form=performance_form or PerformanceForm(formdata=None),
        may_override=_may("assessments.override"),
        may_record=_may("performance.write"),
        problems=problems or [],
    )
    return page, status


@bp.get("/suppliers/<supplier_id>")
@login_required(role=READERS)
def supplier(supplier_id: str) -> ResponseReturnValue:
    return _supplier_page(supplier_id)


@bp.post("/suppliers/<supplier_id>/override")
@login_required(role=READERS)
def override(supplier_id: str) -> ResponseReturnValue:
    if not _may("assessments.override"):
        abort(403)
    form = OverrideForm(prefix=OVERRIDE)
    if not form.validate():
        return _supplier_page(supplier_id, override_form=form, status=422)
    svc = service()
    raw = str(form.assessment_id.data)
    with svc.db.read() as session:
        found = session.get(Assessment, int(raw)) if raw.isdigit() else None
    if found is None or found.supplier_id != supplier_id:
        abort(404)
    user = signed_in_user()
    qualification.override(svc, user.principal, found.id, str(form.decision.data), str(form.reason.data))
    flash(f"The decision is now recorded as {DECISIONS[str(form.decision.data)]}, beside the computed one.", "success")
    return redirect(url_for(".supplier", supplier_id=supplier_id, _anchor="decision"))


@bp.post("/suppliers/<supplier_id>/performance")
@login_required(role=READERS)
@accepts_upload
def performance(supplier_id: str) -> ResponseReturnValue:
    if not _may("performance.write"):
        abort(403)
    svc = service()
    with svc.db.read() as session:
        if register.get(session, supplier_id) is None:
            abort(404)
    form = PerformanceForm()
    if not form.validate():
        return _supplier_page(supplier_id, performance_form=form, status=422)
    upload = form.file.data
    data = upload.read()
    name = safe_filename(
        upload.filename, upload.mimetype, {"application/json": ".json", "text/csv": ".csv"}, "performance"
    )
    try:
        _, stored = qualification.record_performance(
            svc, signed_in_user().principal, supplier_id, data, name, upload.mimetype
        )
    except InputError as exc:
        return _supplier_page(
            supplier_id,
            performance_form=form,
            problems=[Problem(p.message, f"{name}: {p.location}" if p.location else name) for p in exc.problems],
            status=422,
        )
    if stored is None:
        flash(f"The performance data in {name} is kept; it counts from the supplier's first self-assessment.", "info")
    else:
        flash(f"The performance data in {name} is kept and the supplier re-assessed with it.", "success")
    return redirect(url_for(".supplier", supplier_id=supplier_id, _anchor="performance"))


@bp.get("/expiry")
@login_required(role=READERS)
def expiry() -> ResponseReturnValue:
    raw = request.args.get("days", "90").strip()
    error = None
    days = 90
    if raw.isdigit() and int(raw) <= 3650:
        days = int(raw)
    else:
        error = "Give a number of days from 0 to 3650."
    report = expiring(service(), days=days)
    return render_template("pages/buyer/expiry.html", report=report, days=raw if error else days, error=error)


__all__ = ["bp"]
