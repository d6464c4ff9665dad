"""``/health`` (the process answers) and ``/ready`` (the register is reachable and its tables current)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy.exc import SQLAlchemyError

from ..service import service
from ..store import migrate
from .schemas import HealthSchema, ReadySchema

blp = Blueprint("health", __name__, url_prefix="", description="Liveness and readiness, for load balancers.")


@blp.route("/health")
class Health(MethodView):
    @blp.doc(security=[])
    @blp.response(200, HealthSchema)
    def get(self) -> dict[str, Any]:
        """The service process is up."""
        return {"status": "ok"}


@blp.route("/ready")
class Ready(MethodView):
    @blp.doc(security=[])
    @blp.response(200, ReadySchema)
    @blp.alt_response(503, schema=ReadySchema, description="the database is unreachable or its tables are not current")
    def get(self) -> tuple[dict[str, Any], int]:
        """The register's database answers and its tables are at the revision this version needs."""
        head = migrate.head()
        try:
            revision = migrate.current(service().db)
        except SQLAlchemyError:
            return {"status": "unavailable", "database": "unreachable", "revision": None, "head": head}, 503
        if revision != head:
            return {"status": "unavailable", "database": "not migrated", "revision": revision, "head": head}, 503
        return {"status": "ok", "database": "ok", "revision": revision, "head": head}, 200
