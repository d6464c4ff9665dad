"""The supplier's pages: its self-assessment (template, upload, result) and the history of its uploads.

A supplier user sees only its own supplier: every page works on the supplier the
account is bound to, and an assessment of any other supplier answers 404, exactly
as one that does not exist.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

import supplier_qual
from supplier_qual import api as core

from ...errors import InputError, Problem
from ...model import Supplier as SupplierDetails
from ...model import Template
from .. import intake, qualification
from ..diff import compare
from ..service import service
from ..store import assessments
from ..store.models import Assessment, Supplier
from ..store.models import Submission as SubmissionRow
from . import results
from .access import accepts_upload, login_required, signed_in_user

bp = Blueprint("supplier", __name__, url_prefix="/supplier")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HISTORY_LIMIT = 100


def _own_supplier() -> Supplier:
    """The supplier the signed-in supplier user speaks for."""
    user = signed_in_user()
    with service().db.read() as session:
        found = session.get(Supplier, user.supplier_id) if user.supplier_id else None
        if found is None:
            abort(404)
    return found


def _latest(supplier_id: str) -> dict[str, Any] | None:
    with service().db.read() as session:
        row = assessments.latest_of(session, supplier_id)
        return _shown(session, row) if row is not None else None


def _shown(session: Session, row: Assessment) -> dict[str, Any]:
    upload = session.get(SubmissionRow, row.submission_id)
    overrides = assessments.overrides(session, [row.id])[row.id]
    return results.summary(
        row,
        json.loads(row.result_json),
        filename=upload.filename if upload is not None else "",
        override=overrides[0] if overrides else None,
    )


@bp.get("/")
@login_required(role="supplier")
def home() -> str:
    """The self-assessment: download the template, upload it filled in, see the latest result."""
    supplier = _own_supplier()
    return render_template(
        "pages/supplier/home.html",
        supplier=supplier,
        latest=_latest(supplier.id),
        problems=None,
        limit=intake.upload_limit(),
    )


@bp.get("/template.xlsx")
@login_required(role="supplier")
def template() -> Response:
    """The Excel self-assessment of the current questionnaire, with the company's details from the register."""
    supplier = _own_supplier()
    svc = service()
    questionnaire = core.catalog(svc.pm).default()
    details = SupplierDetails(
        name=supplier.name,
        id=supplier.id,
        scheme=_scheme(supplier.id),
        country=supplier.country,
        contact=supplier.contact,
        email=supplier.email,
    )
    workbook = supplier_qual.render(Template(questionnaire, details), "xlsx", pm=svc.pm)
    body = workbook if isinstance(workbook, bytes) else workbook.encode("utf-8")
    filename = f"self-assessment-{_file_part(supplier.id)}-{questionnaire.id}-{questionnaire.version}.xlsx"
    return Response(body, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _scheme(supplier_id: str) -> str:
    """The identifier scheme of ids like ``GB-COH-04567123`` (org-id.guide style), else nothing."""
    parts = supplier_id.split("-")
    if len(parts) >= 3 and len(parts[0]) == 2 and parts[0].isalpha() and parts[1].isalnum():
        return f"{parts[0]}-{parts[1]}".upper()
    return ""


def _file_part(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in text)[:80] or "supplier"


@bp.post("/upload")
@login_required(role="supplier")
@accepts_upload
def upload() -> ResponseReturnValue:
    """Assess an uploaded self-assessment: its result, or every problem at its sheet and cell (nothing stored)."""
    supplier = _own_supplier()
    user = signed_in_user()
    part = request.files.get("file")
    data = part.read() if part is not None else b""
    problems: list[Problem] = []
    if part is None or not data:
        problems = [Problem("Choose your filled-in workbook (.xlsx) to upload.")]
    else:
        name = intake.safe_filename(part.filename, part.mimetype, intake.SUBMISSION_MEDIA_TYPES, "self-assessment")
        try:
            stored = qualification.submit(service(), user.principal, supplier.id, data, name, part.mimetype or None)
        except InputError as exc:
            problems = list(exc.problems)
        else:
            if stored.created:
                flash("Your self-assessment was received and assessed.", "success")
            else:
                flash("You uploaded this same file before; here is its assessment.", "info")
            return redirect(url_for(".assessment", assessment_id=stored.assessment.id))
    html = render_template(
        "pages/supplier/home.html",
        supplier=supplier,
        latest=_latest(supplier.id),
        problems=problems,
        refused_file=part.filename if part is not None else "",
        limit=intake.upload_limit(),
    )
    return html, 422


@bp.get("/assessments/<int:assessment_id>")
@login_required(role="supplier")
def assessment(assessment_id: int) -> str:
    """One assessment of the supplier's uploads; another supplier's answers 404 like a missing one."""
    supplier = _own_supplier()
    with service().db.read() as session:
        row = session.get(Assessment, assessment_id)
        if row is None or row.supplier_id != supplier.id:
            abort(404)
        shown = _shown(session, row)
    return render_template("pages/supplier/result.html", supplier=supplier, result=shown)


@bp.get("/history")
@login_required(role="supplier")
def history() -> str:
    """Every upload with its date, decision and score, and what changed from the one before."""
    supplier = _own_supplier()
    with service().db.read() as session:
        rows = assessments.of_supplier(session, supplier.id, before=None, limit=HISTORY_LIMIT + 1)
        overrides = assessments.overrides(session, [r.id for r in rows])
        uploads = select(SubmissionRow.id, SubmissionRow.filename).where(
            SubmissionRow.id.in_({r.submission_id for r in rows})
        )
        names: dict[int, str] = dict(session.execute(uploads).all())
    more = len(rows) > HISTORY_LIMIT
    entries = []
    for index, row in enumerate(rows[:HISTORY_LIMIT]):
        data = json.loads(row.result_json)
        found = overrides.get(row.id, [])
        decision = found[0].decision if found else row.decision
        change = None
        if index + 1 < len(rows):
            before = rows[index + 1]
            earlier = overrides.get(before.id, [])
            change = compare(
                json.loads(before.result_json),
                data,
                decisions=(earlier[0].decision if earlier else before.decision, decision),
            )
        entries.append(
            {
                "row": row,
                "decision": decision,
                "computed": row.decision if found else None,
                "filename": names.get(row.submission_id, ""),
                "change": results.changes(change) if change is not None else None,
            }
        )
    return render_template("pages/supplier/history.html", supplier=supplier, entries=entries, more=more)
