"""``/api/v1/tokens``: API tokens, for admins: issue (shown once), list, revoke."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from ..auth import current_principal, requires
from ..problems import abort_with
from ..service import service
from ..store import accounts, audit
from ..store.models import utcnow
from . import ID_MAX, PREFIX, errors
from .schemas import TokenCreatedSchema, TokenCreateSchema, TokenSchema

blp = Blueprint("tokens", __name__, url_prefix=f"{PREFIX}/tokens", description="API tokens and their roles.")


def token_view(info: accounts.TokenInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "name": info.name,
        "prefix": info.prefix,
        "role": info.role,
        "supplier_id": info.supplier_id,
        "state": info.state(utcnow()),
        "created_at": info.created_at,
        "expires_at": info.expires_at,
        "revoked_at": info.revoked_at,
        "last_used_at": info.last_used_at,
    }


@blp.route("")
class Tokens(MethodView):
    @blp.response(200, TokenSchema(many=True))
    @errors(blp, 401, 403)
    @requires("tokens.manage")
    def get(self) -> list[dict[str, Any]]:
        """Every token, without the secret: name, role, supplier, state, when last used."""
        with service().db.read() as session:
            return [token_view(t) for t in accounts.list_tokens(session)]

    @blp.arguments(TokenCreateSchema)
    @blp.response(201, TokenCreatedSchema)
    @errors(blp, 401, 403, 422)
    @requires("tokens.manage")
    def post(self, data: dict[str, Any]) -> tuple[dict[str, Any], int]:
        """Issue a token for a new account of a role; the token is in this answer and nowhere else."""
        principal = current_principal()
        name = data["name"] or f"{data['role']} token"
        with service().db.write() as session:
            try:
                account = accounts.create_account(
                    session, name=name, role=data["role"], supplier_id=data["supplier_id"]
                )
            except accounts.AccountError as exc:
                abort_with(422, str(exc), "$.supplier_id" if "supplier" in str(exc) else "$.role")
            token, row = accounts.issue_token(session, account, name=name, expires_days=data["expires_days"])
            audit.record(
                session,
                principal,
                "token.create",
                "token",
                row.id,
                supplier_id=account.supplier_id,
                detail={"role": account.role, "name": name, "prefix": row.prefix, "expires_at": row.expires_at},
            )
            info = accounts.find_token(session, str(row.id))
        if info is None:
            abort_with(404, "the token just issued cannot be found")
        return {**token_view(info), "token": token}, 201


@blp.route(f"/<int(min=1, max={ID_MAX}):token_id>")
class TokenById(MethodView):
    @blp.response(204)
    @errors(blp, 401, 403, 404)
    @requires("tokens.manage")
    def delete(self, token_id: int) -> None:
        """Revoke a token: it stops working at once; its record stays."""
        principal = current_principal()
        with service().db.write() as session:
            info = accounts.find_token(session, str(token_id))
            if info is None:
                abort_with(404, "no such token")
            if accounts.revoke(session, token_id):
                audit.record(
                    session,
                    principal,
                    "token.revoke",
                    "token",
                    token_id,
                    supplier_id=info.supplier_id,
                    detail={"prefix": info.prefix, "role": info.role, "name": info.name},
                )
