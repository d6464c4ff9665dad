"""Accounts and their API tokens: creating, authenticating, listing and revoking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..auth import LAST_USED_RESOLUTION, ROLES, Principal, digests_match, new_token, token_digest
from .database import Database
from .models import Account, ApiToken, Supplier, utcnow


class AccountError(ValueError):
    """An account or token cannot be made as asked (unknown role, supplier not in the register …)."""


@dataclass(frozen=True)
class TokenInfo:
    """A token as an administrator sees it: never the token itself."""

    id: int
    name: str
    prefix: str
    role: str
    supplier_id: str | None
    account_id: int
    account: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None

    def state(self, now: dt.datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


def create_account(
    session: Session, *, name: str, role: str, supplier_id: str | None = None, email: str | None = None
) -> Account:
    """A new account; a ``supplier`` account must name a supplier in the register, other roles none.

    :raises AccountError: the role is unknown or the supplier binding is wrong.
    """
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
    if role == "supplier":
        if not supplier_id:
            raise AccountError("a supplier token needs the supplier it speaks for (--supplier ID)")
        if session.get(Supplier, supplier_id) is None:
            raise AccountError(f"no supplier {supplier_id} in the register: add it first")
    elif supplier_id:
        raise AccountError(f"only a supplier token is bound to a supplier, not a {role} token")
    account = Account(name=name, role=role, supplier_id=supplier_id, email=email, created_at=utcnow())
    session.add(account)
    session.flush()
    return account


def issue_token(
    session: Session, account: Account, *, name: str = "", expires_days: int | None = None
) -> tuple[str, ApiToken]:
    """A new token for ``account``: the token (to show once) and its stored row."""
    token = new_token()
    now = utcnow()
    row = ApiToken(
        account_id=account.id,
        name=name or account.name,
        token_sha256=token_digest(token),
        prefix=token[: len("sq_") + 6],
        created_at=now,
        expires_at=now + dt.timedelta(days=expires_days) if expires_days else None,
    )
    session.add(row)
    session.flush()
    return token, row


def authenticate(db: Database, token: str) -> Principal | None:
    """The principal behind ``token``, or ``None`` when it is unknown, revoked, expired or its account disabled."""
    if len(token) > 200:
        return None
    digest = token_digest(token)
    now = utcnow()
    with db.read() as session:
        found = session.execute(
            select(ApiToken, Account)
            .join(Account, Account.id == ApiToken.account_id)
            .where(ApiToken.token_sha256 == digest)
        ).first()
    if found is None:
        return None
    row, account = found
    if not digests_match(row.token_sha256, token):
        return None
    if row.revoked_at is not None or account.disabled_at is not None:
        return None
    if row.expires_at is not None and row.expires_at <= now:
        return None
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        with db.write() as session:
            session.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now))
    return Principal(
        name=account.name, role=account.role, account_id=account.id, supplier_id=account.supplier_id, token_id=row.id
    )


def list_tokens(session: Session) -> list[TokenInfo]:
    rows = session.execute(
        select(ApiToken, Account).join(Account, Account.id == ApiToken.account_id).order_by(ApiToken.id)
    ).all()
    return [_info(token, account) for token, account in rows]


def find_token(session: Session, ref: str) -> TokenInfo | None:
    """A token by its id or the prefix shown in ``token list``."""
    query = select(ApiToken, Account).join(Account, Account.id == ApiToken.account_id)
    query = query.where(ApiToken.id == int(ref)) if ref.isdigit() else query.where(ApiToken.prefix == ref)
    rows = session.execute(query).all()
    return _info(*rows[0]) if len(rows) == 1 else None


def revoke(session: Session, token_id: int) -> bool:
    """Revoke a token; ``False`` when it was revoked already."""
    result = session.execute(
        update(ApiToken).where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None)).values(revoked_at=utcnow())
    )
    return bool(getattr(result, "rowcount", 0))


def _info(token: ApiToken, account: Account) -> TokenInfo:
    return TokenInfo(
        id=token.id,
        name=token.name,
        prefix=token.prefix,
        role=account.role,
        supplier_id=account.supplier_id,
        account_id=account.id,
        account=account.name,
        created_at=token.created_at,
        expires_at=token.expires_at,
        revoked_at=token.revoked_at,
        last_used_at=token.last_used_at,
    )
