"""``/api/v1/assessments``: one assessment in JSON, text or Excel, what changed between two, and overrides."""

from __future__ import annotations

import json
from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

import supplier_qual

from .. import qualification
from ..auth import current_principal, requires
from ..diff import compare
from ..problems import abort_with
from ..service import service
from ..store import assessments as stored
from ..store import submissions
from ..store.models import Assessment, PerformanceRecord
from ..store.models import Submission as SubmissionRow
from . import ID_MAX, PREFIX, errors
from .lookup import NO_ASSESSMENT, assessment_or_404
from .present import account_names, assessment, override
from .schemas import AssessmentSchema, DiffSchema, FormatArgsSchema, OverrideCreateSchema, OverrideSchema

blp = Blueprint(
    "assessments",
    __name__,
    url_prefix=f"{PREFIX}/assessments",
    description="Assessments as stored, with the decision computed and any buyer's override beside it.",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@blp.route(f"/<int(min=1, max={ID_MAX}):assessment_id>")
class AssessmentById(MethodView):
    @blp.arguments(FormatArgsSchema, location="query")
    @blp.response(200, AssessmentSchema)
    @blp.alt_response(200, description="`format=text`: the buyer's report", content_type="text/plain", success=True)
    @blp.alt_response(200, description="`format=xlsx`: the assessment as a workbook", content_type=XLSX, success=True)
    @errors(blp, 401, 404, 409)
    @requires("assessments.read")
    def get(self, args: dict[str, Any], assessment_id: int) -> Any:
        """An assessment: JSON (default), the text report, or an Excel workbook (`?format=text|xlsx`).

        The JSON's `assessment` is exactly what `supplier-qual assess -f json`
        prints; `decision` is the latest override's, `computed_decision` the
        engine's, and `overrides` lists every override with its reason.
        """
        principal = current_principal()
        svc = service()
        with svc.db.read() as session:
            row = assessment_or_404(session, principal, assessment_id)
            shown = assessment(session, row)
        fmt = args["format"]
        if fmt == "json":
            return shown
        if fmt == "text":
            text = row.result_text + _override_text(shown["overrides"])
            return Response(text, mimetype="text/plain")
        return _workbook(row.id)


def _override_text(overrides: list[dict[str, Any]]) -> str:
    if not overrides:
        return ""
    lines = ["", "Overrides (the computed decision above stands beside them)"]
    for item in overrides:
        lines.append(
            f"  {item['created_at']:%Y-%m-%d %H:%M} UTC  {item['decision'].replace('_', ' ').upper()} by {item['by']}: "
            f"{item['reason']}"
        )
    return "\n".join(lines) + "\n"


def _workbook(assessment_id: int) -> Response:
    """The workbook of a stored assessment, re-made from the stored upload; refused if it would differ."""
    svc = service()
    with svc.db.read() as session:
        row = session.get(Assessment, assessment_id)
        if row is None:
            abort_with(404, NO_ASSESSMENT)
        upload = session.get(SubmissionRow, row.submission_id)
        if upload is None:
            abort_with(404, NO_ASSESSMENT)
        data = submissions.blob(session, upload.file_sha256)
        performance = session.get(PerformanceRecord, row.performance_id) if row.performance_id else None
        figures = qualification.performance_of(session, performance)
    submission = qualification.stored_submission(svc, upload, data)
    remade = qualification.compute(svc, submission, figures, row.as_of)
    if remade.json != row.result_json:
        abort_with(
            409,
            "this assessment cannot be re-made byte for byte under the installed engine, plugins and policy; "
            "use format=json or format=text, or re-assess",
        )
    workbook = supplier_qual.render(remade.assessment, "xlsx", pm=svc.pm)
    body = workbook if isinstance(workbook, bytes) else workbook.encode("utf-8")
    return Response(
        body,
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="assessment-{assessment_id}.xlsx"'},
    )


@blp.route(f"/<int(min=1, max={ID_MAX}):before_id>/diff/<int(min=1, max={ID_MAX}):after_id>")
class AssessmentDiff(MethodView):
    @blp.response(200, DiffSchema)
    @errors(blp, 401, 404, 422)
    @requires("assessments.read")
    def get(self, before_id: int, after_id: int) -> dict[str, Any]:
        """What changed from one assessment of a supplier to another: decision, scores, certificates, findings."""
        principal = current_principal()
        with service().db.read() as session:
            before = assessment_or_404(session, principal, before_id)
            after = assessment_or_404(session, principal, after_id)
            if before.supplier_id != after.supplier_id:
                abort_with(422, f"assessments {before_id} and {after_id} are of different suppliers", "path.after_id")
            found = stored.overrides(session, [before.id, after.id])
        decisions = tuple(found[r.id][0].decision if found[r.id] else r.decision for r in (before, after))
        diff = compare(json.loads(before.result_json), json.loads(after.result_json), decisions=decisions)  # type: ignore[arg-type]
        return {"supplier_id": before.supplier_id, "before": before.id, "after": after.id, **diff}


@blp.route(f"/<int(min=1, max={ID_MAX}):assessment_id>/override")
class AssessmentOverride(MethodView):
    @blp.arguments(OverrideCreateSchema)
    @blp.response(201, OverrideSchema)
    @errors(blp, 401, 403, 404)
    @requires("assessments.override")
    def post(self, data: dict[str, Any], assessment_id: int) -> tuple[dict[str, Any], int]:
        """Override the decision, giving the reason; the computed decision is kept and shown beside it."""
        principal = current_principal()
        svc = service()
        with svc.db.read() as session:
            row = assessment_or_404(session, principal, assessment_id)
        made = qualification.override(svc, principal, assessment_id, data["decision"], data["reason"])
        with svc.db.read() as session:
            names = account_names(session, [made.created_by])
        return override(made, row.decision, names), 201
