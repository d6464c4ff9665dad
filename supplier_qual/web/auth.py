"""Who is asking, and what their role lets them do: bearer tokens, roles and supplier ownership.

Roles:

- ``supplier``: bound to one supplier; uploads its own self-assessments and reads
  only what concerns it. Anything of another supplier answers exactly like
  something that does not exist;
- ``buyer``: keeps the register, adds its own performance data and may override a
  decision, giving a reason;
- ``tender_officer``: registers tenders and checks bidders' eligibility;
- ``admin``: administers the service — accounts, tokens, the audit log — and reads
  everything; the judgements that belong to a buyer or a tender officer stay theirs.

A token is 256 random bits, shown once, stored only as its SHA-256 and compared in
constant time. The same :class:`Principal` will stand behind a signed-in person of
the pages: accounts, not tokens, carry the role.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import current_app, g, request

from .problems import abort_with

ROLES: tuple[str, ...] = ("supplier", "buyer", "tender_officer", "admin")
TOKEN_PREFIX = "sq_"  # noqa: S105 (a marker that makes leaked tokens findable, not a secret)
# Refreshing "last used" on every request would make every read a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="supplier_qual"'}
INVALID_TOKEN = {"WWW-Authenticate": 'Bearer realm="supplier_qual", error="invalid_token"'}

_ALL = frozenset(ROLES)
#: What each role may do. ``supplier`` rights apply to its own supplier only.
PERMISSIONS: dict[str, frozenset[str]] = {
    "suppliers.read": _ALL,
    "suppliers.create": frozenset({"buyer", "tender_officer", "admin"}),
    "suppliers.update": frozenset({"buyer", "admin"}),
    "submissions.upload": _ALL,
    "performance.write": frozenset({"buyer"}),
    "assessments.read": _ALL,
    "assessments.override": frozenset({"buyer"}),
    "tenders.read": _ALL,
    "tenders.create": frozenset({"tender_officer", "admin"}),
    "tenders.eligibility": frozenset({"tender_officer"}),
    "certificates.watch": _ALL,
    "audit.read": frozenset({"admin"}),
    "tokens.manage": frozenset({"admin"}),
}
ACTIONS_WORDING: dict[str, str] = {
    "suppliers.create": "add suppliers to the register",
    "suppliers.update": "change a supplier's details",
    "performance.write": "record the buyer's performance data",
    "assessments.override": "override a qualification decision",
    "tenders.create": "register tenders",
    "tenders.eligibility": "check bidders' eligibility",
    "audit.read": "read the audit log",
    "tokens.manage": "manage API tokens",
}
ROLE_WORDING = {"supplier": "a supplier", "buyer": "a buyer", "tender_officer": "a tender officer", "admin": "an admin"}


@dataclass(frozen=True)
class Principal:
    """Who is acting: an account (through a token, or later a signed-in session) or the command line."""

    name: str
    role: str
    account_id: int | None = None
    supplier_id: str | None = None
    token_id: int | None = None

    def may(self, action: str) -> bool:
        return self.role in PERMISSIONS[action]

    def sees_supplier(self, supplier_id: str) -> bool:
        """Whether this principal may know that ``supplier_id`` exists at all."""
        return self.role != "supplier" or self.supplier_id == supplier_id

    @property
    def supplier_scope(self) -> str | None:
        """The only supplier this principal sees, ``None`` when it sees every one."""
        return self.supplier_id if self.role == "supplier" else None


def new_token() -> str:
    """A fresh API token: the prefix and 256 random bits, URL-safe."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def digests_match(stored: str, token: str) -> bool:
    """Compare a stored digest with a presented token's in constant time."""
    return hmac.compare_digest(stored.encode("ascii"), token_digest(token).encode("ascii"))


def bearer_token() -> str | None:
    """The token of ``Authorization: Bearer …``, or ``None`` when there is none."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def current_principal() -> Principal:
    """The authenticated principal of this request; answers 401 when there is none."""
    found = g.get("principal")
    if isinstance(found, Principal):
        return found
    token = bearer_token()
    if token is None:
        abort_with(401, "send an API token: Authorization: Bearer <token>", "header.Authorization", CHALLENGE)
    from .store import accounts

    principal = accounts.authenticate(current_app.extensions["supplier_qual"].db, token)
    if principal is None:
        abort_with(401, "the API token is unknown, revoked or expired", "header.Authorization", INVALID_TOKEN)
    g.principal = principal
    return principal


F = TypeVar("F", bound=Callable[..., Any])


def requires(action: str) -> Callable[[F], F]:
    """Let a view run only for a principal whose role may do ``action``; 401 without a token, 403 otherwise."""
    allowed = PERMISSIONS[action]

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            principal = current_principal()
            if principal.role not in allowed:
                wording = ACTIONS_WORDING.get(action, action)
                roles = " or ".join(ROLE_WORDING[r] for r in ROLES if r in allowed)
                abort_with(403, f"only {roles} may {wording}", "header.Authorization")
            return view(*args, **kwargs)

        wrapper.required_action = action  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
