"""``/api/v1/suppliers``: the register of suppliers, searched and kept up to date."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy.exc import IntegrityError

from ..auth import current_principal, requires
from ..problems import abort_with
from ..service import service
from ..store import audit
from ..store import suppliers as register
from ..store.models import Supplier, utcnow
from . import PREFIX, errors
from .lookup import NO_SUPPLIER, decode_cursor, encode_cursor, page, supplier_or_404
from .present import supplier as present
from .schemas import (
    SupplierCreateSchema,
    SupplierListArgsSchema,
    SupplierPageSchema,
    SupplierPatchSchema,
    SupplierSchema,
)

blp = Blueprint("suppliers", __name__, url_prefix=f"{PREFIX}/suppliers", description="The register of suppliers.")


@blp.route("")
class Suppliers(MethodView):
    @blp.arguments(SupplierListArgsSchema, location="query")
    @blp.response(200, SupplierPageSchema)
    @errors(blp, 401)
    @requires("suppliers.read")
    def get(self, args: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Search the register.

        By effective decision (an override counts), an outcome scoring below a
        score, a certificate expiring within N days (or already expired), or text
        in the name or id; ordered by id, a page at a time (pass `next_cursor`
        back as `cursor`). A supplier token sees only its own supplier.
        """
        principal = current_principal()
        where = register.SupplierFilter(
            decision=args.get("decision"),
            outcome=args.get("outcome"),
            below=args.get("below"),
            expiring_within=args.get("expiring_within"),
            text=args.get("q"),
            only=principal.supplier_scope,
        )
        svc = service()
        with svc.db.read() as session:
            rows, more = register.search(
                session, where, as_of=svc.today(), after=decode_cursor(args["cursor"]), limit=args["limit"]
            )
        items = [present(r.supplier, r.latest, r.override) for r in rows]
        return page(items, encode_cursor(rows[-1].supplier.id) if more and rows else None)

    @blp.arguments(SupplierCreateSchema)
    @blp.response(201, SupplierSchema)
    @errors(blp, 401, 403, 409)
    @requires("suppliers.create")
    def post(self, data: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Add a supplier to the register, under its identifier (a company or tax number, say)."""
        principal = current_principal()
        now = utcnow()
        row = Supplier(created_at=now, updated_at=now, **data)
        try:
            with service().db.write() as session:
                if session.get(Supplier, row.id) is not None:
                    abort_with(409, f"supplier {row.id} is already in the register", "$.id")
                session.add(row)
                session.flush()
                audit.record(session, principal, "supplier.create", "supplier", row.id, supplier_id=row.id, detail=data)
        except IntegrityError:
            abort_with(409, f"supplier {row.id} is already in the register", "$.id")
        return present(row, None, None), 201, {"Location": f"{PREFIX}/suppliers/{row.id}"}


@blp.route("/<supplier_id>")
class SupplierById(MethodView):
    @blp.response(200, SupplierSchema)
    @errors(blp, 401, 404)
    @requires("suppliers.read")
    def get(self, supplier_id: str) -> dict[str, Any]:
        """A supplier, with its latest assessment's decision and score."""
        principal = current_principal()
        with service().db.read() as session:
            supplier_or_404(session, principal, supplier_id)
            found = register.get(session, supplier_id)
        if found is None:
            abort_with(404, NO_SUPPLIER)
        return present(found.supplier, found.latest, found.override)

    @blp.arguments(SupplierPatchSchema)
    @blp.response(200, SupplierSchema)
    @errors(blp, 401, 403, 404)
    @requires("suppliers.update")
    def patch(self, data: dict[str, Any], supplier_id: str) -> dict[str, Any]:
        """Change a supplier's name, country, contact, email or notes."""
        principal = current_principal()
        with service().db.write() as session:
            row = supplier_or_404(session, principal, supplier_id)
            before = {key: getattr(row, key) for key in data}
            for key, value in data.items():
                setattr(row, key, value)
            row.updated_at = utcnow()
            audit.record(
                session,
                principal,
                "supplier.update",
                "supplier",
                supplier_id,
                supplier_id=supplier_id,
                detail={"before": before, "after": data},
            )
        with service().db.read() as session:
            found = register.get(session, supplier_id)
        if found is None:
            abort_with(404, NO_SUPPLIER)
        return present(found.supplier, found.latest, found.override)
