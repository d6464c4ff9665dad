"""``/api/v1/audit``: the append-only log of uploads, overrides, performance data, tokens and eligibility runs."""

from __future__ import annotations

import json
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from ..auth import requires
from ..service import service
from ..store import audit as log
from . import PREFIX, errors
from .lookup import decode_int_cursor, encode_cursor, page
from .schemas import AuditArgsSchema, AuditPageSchema

blp = Blueprint("audit", __name__, url_prefix=f"{PREFIX}/audit", description="Who did what, when and from where.")


@blp.route("")
class Audit(MethodView):
    @blp.arguments(AuditArgsSchema, location="query")
    @blp.response(200, AuditPageSchema)
    @errors(blp, 401, 403)
    @requires("audit.read")
    def get(self, args: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
        """The audit log, newest first, optionally of one action (`submission.upload` …) or one supplier."""
        statement = log.query(
            action=args.get("action"), supplier_id=args.get("supplier_id"), before=decode_int_cursor(args["cursor"])
        ).limit(args["limit"] + 1)
        with service().db.read() as session:
            rows = list(session.scalars(statement))
        items = [
            {
                "id": r.id,
                "at": r.at,
                "action": r.action,
                "subject_type": r.subject_type,
                "subject_id": r.subject_id,
                "supplier_id": r.supplier_id,
                "actor": r.actor,
                "role": r.role,
                "account_id": r.account_id,
                "token_id": r.token_id,
                "remote_addr": r.remote_addr,
                "request_id": r.request_id,
                "detail": json.loads(r.detail),
            }
            for r in rows[: args["limit"]]
        ]
        more = len(rows) > args["limit"]
        return page(items, encode_cursor(items[-1]["id"]) if more else None)
