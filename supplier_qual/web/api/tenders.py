"""``/api/v1/tenders``: tenders' requirements and each bidder's eligibility, stored with the evidence used."""

from __future__ import annotations

import json
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import intake, tendering
from ..auth import Principal, current_principal, requires
from ..problems import abort_with
from ..service import service
from ..store.models import EligibilityBidder, EligibilityRun, Tender
from . import PREFIX, errors
from .lookup import decode_cursor, encode_cursor, page
from .schemas import (
    EligibilityCreateSchema,
    EligibilityRunSchema,
    PageArgsSchema,
    TenderPageSchema,
    TenderSchema,
)
from .submissions import uploaded_file

blp = Blueprint(
    "tenders", __name__, url_prefix=f"{PREFIX}/tenders", description="Tenders and the eligibility of their bidders."
)
TENDER_BODY = {
    "required": True,
    "description": "The tender in any format the tender readers recognise (the project's YAML or JSON tender file, "
    "an OCDS package or release, an ESPD request, a ProZorro tender), as the form field `file` or as the whole body.",
    "content": {
        "multipart/form-data": {
            "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
        "application/json": {"schema": {"type": "object"}},
        "application/yaml": {"schema": {"type": "string"}},
        "application/xml": {"schema": {"type": "string"}},
    },
}


def run_view(run: EligibilityRun, principal: Principal, own: list[EligibilityBidder]) -> dict[str, Any]:
    """A stored eligibility run; a supplier sees only its own bids, never another bidder."""
    result = json.loads(run.result_json)
    if principal.supplier_scope is not None:
        # Only what concerns this supplier: no lot summaries, duplicates or notices that name other bidders.
        result = {
            "tender": result.get("tender"),
            "as_of": result.get("as_of"),
            "lot": result.get("lot"),
            "bidders": [json.loads(b.result_json) for b in own],
        }
    return {
        "id": run.id,
        "tender_id": run.tender_id,
        "as_of": run.as_of,
        "created_at": run.created_at,
        "result": result,
    }


def tender_view(session: Session, row: Tender, principal: Principal) -> dict[str, Any]:
    runs = list(
        session.scalars(select(EligibilityRun).where(EligibilityRun.tender_id == row.id).order_by(EligibilityRun.id))
    )
    bidders: dict[int, list[EligibilityBidder]] = {run.id: [] for run in runs}
    scope = principal.supplier_scope
    if scope is not None and runs:
        query = select(EligibilityBidder).where(
            EligibilityBidder.run_id.in_(list(bidders)), EligibilityBidder.supplier_id == scope
        )
        for bidder in session.scalars(query.order_by(EligibilityBidder.position)):
            bidders[bidder.run_id].append(bidder)
        runs = [run for run in runs if bidders[run.id]]
    return {
        "id": row.id,
        "title": row.title,
        "closing_date": row.closing_date,
        "contract_end": row.contract_end,
        "requirements": json.loads(row.requirements),
        "lots": json.loads(row.lots),
        "filename": row.filename,
        "file_sha256": row.file_sha256,
        "created_at": row.created_at,
        "eligibility": [run_view(run, principal, bidders[run.id]) for run in runs],
    }


@blp.route("")
class Tenders(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, TenderPageSchema)
    @errors(blp, 401)
    @requires("tenders.read")
    def get(self, args: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
        """The tenders in the register, by id, a page at a time."""
        statement = select(Tender).order_by(Tender.id).limit(args["limit"] + 1)
        after = decode_cursor(args["cursor"])
        if after is not None:
            statement = statement.where(Tender.id > after)
        with service().db.read() as session:
            rows = list(session.scalars(statement))
        items = [
            {
                "id": r.id,
                "title": r.title,
                "closing_date": r.closing_date,
                "contract_end": r.contract_end,
                "created_at": r.created_at,
            }
            for r in rows[: args["limit"]]
        ]
        more = len(rows) > args["limit"]
        return page(items, encode_cursor(rows[args["limit"] - 1].id) if more else None)

    @blp.doc(requestBody=TENDER_BODY)
    @blp.response(201, TenderSchema, description="registered")
    @blp.alt_response(200, schema=TenderSchema, description="the same tender file was registered before", success=True)
    @errors(blp, 401, 403, 409, 413, 422)
    @requires("tenders.create")
    def post(self) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Register a tender's requirements: certificate, minimum scores, minimum decision."""
        principal = current_principal()
        data, name, _ = uploaded_file("tender", intake.TENDER_MEDIA_TYPES)
        svc = service()
        row, created = tendering.register_tender(svc, principal, data, name)
        with svc.db.read() as session:
            shown = tender_view(session, row, principal)
        return shown, 201 if created else 200, {"Location": f"{PREFIX}/tenders/{row.id}"}


@blp.route("/<tender_id>")
class TenderById(MethodView):
    @blp.response(200, TenderSchema)
    @errors(blp, 401, 404)
    @requires("tenders.read")
    def get(self, tender_id: str) -> dict[str, Any]:
        """A tender, its requirements and its eligibility runs (a supplier sees only its own bids)."""
        principal = current_principal()
        with service().db.read() as session:
            row = session.get(Tender, tender_id)
            if row is None:
                abort_with(404, "no such tender")
            return tender_view(session, row, principal)


@blp.route("/<tender_id>/eligibility")
class TenderEligibility(MethodView):
    @blp.arguments(EligibilityCreateSchema)
    @blp.response(201, EligibilityRunSchema)
    @errors(blp, 401, 403, 404, 422)
    @requires("tenders.eligibility")
    def post(self, data: dict[str, Any], tender_id: str) -> tuple[dict[str, Any], int]:
        """Check bidders (by supplier id) against the tender with their latest submissions; the result is stored."""
        principal = current_principal()
        svc = service()
        run = tendering.check_eligibility(svc, principal, tender_id, data["suppliers"], data["as_of"], data["lot"])
        return run_view(run, principal, []), 201
