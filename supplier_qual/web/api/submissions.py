"""``/api/v1/suppliers/{id}/…``: a supplier's uploads, the buyer's performance data, its assessment history."""

from __future__ import annotations

import json
from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from werkzeug.http import parse_options_header

from .. import intake, qualification
from ..auth import current_principal, requires
from ..problems import abort_with
from ..service import service
from ..store import assessments
from . import PREFIX, errors
from .lookup import decode_int_cursor, encode_cursor, page, supplier_or_404
from .present import assessment, assessment_list
from .schemas import AssessmentPageSchema, AssessmentSchema, PageArgsSchema, PerformanceResultSchema

blp = Blueprint(
    "submissions",
    __name__,
    url_prefix=f"{PREFIX}/suppliers",
    description="A supplier's submissions, the buyer's performance data and the assessments made of them.",
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_BODY = {
    "required": True,
    "description": "The supplier's filled-in Excel self-assessment, or its submission as JSON (or any format an "
    "installed reader takes), as the form field `file` or as the whole body.",
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        },
        "application/json": {"schema": {"type": "object", "description": "a submission (see the README)"}},
        XLSX: {"schema": {"type": "string", "format": "binary"}},
    },
}
PERFORMANCE_BODY = {
    "required": True,
    "description": "The buyer's measurements of this supplier over a period: on-time delivery, defect ppm, lots, "
    "complaints, corrective actions; JSON (optionally with `supplier_id`) or CSV with a header row.",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "supplier_id": {"type": "string"},
                    "period_months": {"type": "integer"},
                    "deliveries": {"type": "integer"},
                    "on_time_delivery_pct": {"type": "number"},
                    "defect_ppm": {"type": "number"},
                },
            }
        },
        "text/csv": {"schema": {"type": "string"}},
    },
}


def uploaded_file(default: str, known: dict[str, str]) -> tuple[bytes, str, str | None]:
    """The uploaded bytes, the name they go by, and their declared media type."""
    if request.mimetype == "multipart/form-data":
        part = request.files.get("file")
        if part is None:
            abort_with(422, "send the file in the form field 'file'", "files.file")
        data = part.read()
        name = intake.safe_filename(part.filename, part.mimetype, known, default)
        media_type = part.mimetype or None
    else:
        data = request.get_data(cache=False)
        _, options = parse_options_header(request.headers.get("Content-Disposition", ""))
        media_type = request.mimetype or None
        name = intake.safe_filename(options.get("filename"), media_type, known, default)
    if not data:
        abort_with(422, "the file is empty", "files.file")
    return data, name, media_type


@blp.route("/<supplier_id>/submissions")
class Submissions(MethodView):
    @blp.doc(requestBody=UPLOAD_BODY)
    @blp.response(201, AssessmentSchema, description="assessed and stored")
    @blp.alt_response(200, schema=AssessmentSchema, description="the same file was uploaded before", success=True)
    @errors(blp, 401, 404, 413, 422)
    @requires("submissions.upload")
    def post(self, supplier_id: str) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Upload a self-assessment and get its assessment.

        The same bytes again answer 200 with the assessment already made (no
        duplicate is stored, however many retries race). A refused file answers
        422 with every problem at its cell or JSON path, and nothing is stored.
        """
        principal = current_principal()
        svc = service()
        with svc.db.read() as session:
            supplier_or_404(session, principal, supplier_id)
        data, name, media_type = uploaded_file("submission", intake.SUBMISSION_MEDIA_TYPES)
        stored = qualification.submit(svc, principal, supplier_id, data, name, media_type)
        with svc.db.read() as session:
            shown = assessment(session, stored.assessment)
        status = 201 if stored.created else 200
        return shown, status, {"Location": f"{PREFIX}/assessments/{stored.assessment.id}"}


@blp.route("/<supplier_id>/performance")
class Performance(MethodView):
    @blp.doc(requestBody=PERFORMANCE_BODY)
    @blp.response(200, PerformanceResultSchema)
    @errors(blp, 401, 403, 404, 413, 422)
    @requires("performance.write")
    def put(self, supplier_id: str) -> dict[str, Any]:
        """Record the buyer's performance data and re-assess the supplier's latest submission with it.

        What the buyer measured replaces what the supplier declared. Figures that
        name another supplier are refused. Every later assessment uses the newest
        figures; earlier assessments stay as they were.
        """
        principal = current_principal()
        svc = service()
        with svc.db.read() as session:
            supplier_or_404(session, principal, supplier_id)
        data, name, media_type = uploaded_file("performance", {"application/json": ".json", "text/csv": ".csv"})
        row, stored = qualification.record_performance(svc, principal, supplier_id, data, name, media_type)
        with svc.db.read() as session:
            shown = assessment(session, stored) if stored is not None else None
        return {
            "performance_id": row.id,
            "supplier_id": supplier_id,
            "performance": json.loads(row.data),
            "assessment": shown,
        }


@blp.route("/<supplier_id>/assessments")
class SupplierAssessments(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, AssessmentPageSchema)
    @errors(blp, 401, 404)
    @requires("assessments.read")
    def get(self, args: dict[str, Any], supplier_id: str) -> tuple[dict[str, Any], int, dict[str, str]]:
        """The supplier's assessments, newest first: its history in the register."""
        principal = current_principal()
        with service().db.read() as session:
            supplier_or_404(session, principal, supplier_id)
            rows = assessments.of_supplier(
                session, supplier_id, before=decode_int_cursor(args["cursor"]), limit=args["limit"] + 1
            )
            items = assessment_list(session, rows[: args["limit"]])
        more = len(rows) > args["limit"]
        return page(items, encode_cursor(items[-1]["id"]) if more else None)
