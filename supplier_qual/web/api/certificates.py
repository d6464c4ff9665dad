"""``/api/v1/certificates/expiring``: the expiry watch over every supplier's latest certificates."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from ..auth import current_principal, requires
from ..service import service
from ..watch import expiring
from . import PREFIX, errors
from .schemas import ExpiringArgsSchema, ExpiringSchema

blp = Blueprint(
    "certificates", __name__, url_prefix=f"{PREFIX}/certificates", description="Watching certificates' dates."
)


@blp.route("/expiring")
class Expiring(MethodView):
    @blp.arguments(ExpiringArgsSchema, location="query")
    @blp.response(200, ExpiringSchema)
    @errors(blp, 401)
    @requires("certificates.watch")
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Certificates expiring and surveillance audits due within `days`, soonest first; and those already expired.

        Over each supplier's latest assessment; a supplier token sees its own certificates only.
        """
        return expiring(service(), days=args["days"], supplier_scope=current_principal().supplier_scope)
