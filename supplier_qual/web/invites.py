"""Invitations: a signed, expiring link that lets a new user (a supplier, usually) set its password once.

The link carries the account id and a fingerprint of the account's password state,
signed with the application's secret key (itsdangerous). Once a password is set the
fingerprint changes, so the same link cannot be used twice; after ``max_age`` it
has expired.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from flask import Flask
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from .auth import Principal
from .store import audit
from .store.models import Account

SALT = "supplier-qual invitation"
DEFAULT_DAYS = 7
MAX_DAYS = 30


EXPIRED = "This invitation has expired. Ask your contact at the buyer for a new one."


class InviteError(ValueError):
    """An invitation link that cannot be used; the message says why, in the user's words."""


def _serializer(app: Flask) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(app.secret_key or "", salt=SALT)


def _fingerprint(account: Account) -> str:
    state = f"{account.id}:{account.password_hash or ''}:{account.disabled_at or ''}"
    return hashlib.sha256(state.encode("utf-8")).hexdigest()[:16]


def make_invite(app: Flask, account: Account, days: int = DEFAULT_DAYS) -> str:
    """The token for ``account``'s invitation link (``/set-password/<token>``), valid for ``days`` (at most 30)."""
    days = max(1, min(days, MAX_DAYS))
    return str(_serializer(app).dumps({"a": account.id, "f": _fingerprint(account), "d": days}))


def invite(app: Flask, session: Session, principal: Principal, account: Account, days: int = DEFAULT_DAYS) -> str:
    """Invite ``account``: the invitation recorded in the audit log (in the caller's transaction) and its token."""
    audit.record(
        session,
        principal,
        "user.invite",
        "account",
        account.id,
        supplier_id=account.supplier_id,
        detail={"email": account.email, "role": account.role, "days": days},
    )
    return make_invite(app, account, days=days)


def invite_path(token: str) -> str:
    return f"/set-password/{token}"


def invited_account_id(app: Flask, token: str) -> tuple[int, str]:
    """The account id a token invites and the fingerprint it was made for.

    :raises InviteError: the link is damaged or has expired.
    """
    damaged = "This invitation link is not valid. Check that you copied the whole link."
    try:
        data: Any
        data, signed_at = _serializer(app).loads(token, max_age=MAX_DAYS * 86400, return_timestamp=True)
    except SignatureExpired:
        raise InviteError(EXPIRED) from None
    except BadSignature:
        raise InviteError(damaged) from None
    if not isinstance(data, dict) or not isinstance(data.get("a"), int) or not isinstance(data.get("f"), str):
        raise InviteError(damaged)
    days = data.get("d", DEFAULT_DAYS)
    if not isinstance(days, int) or time.time() - signed_at.timestamp() > min(days, MAX_DAYS) * 86400:
        raise InviteError(EXPIRED)
    return data["a"], data["f"]


def check_invite(account: Account | None, fingerprint: str) -> Account:
    """The invited account, if the invitation still stands; :raises InviteError: used already, or account gone."""
    if account is None or account.disabled_at is not None:
        raise InviteError("This invitation is no longer valid. Ask your contact at the buyer for a new one.")
    if _fingerprint(account) != fingerprint:
        raise InviteError("This invitation has been used already. Sign in with the password you chose.")
    return account
