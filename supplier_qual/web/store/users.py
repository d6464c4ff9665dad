"""The pages' users: accounts with an e-mail address and a password, their sign-in sessions and refused passwords.

A *user* is an :class:`~.models.Account` that can sign in. The browser holds only a
random session id inside its signed cookie; the register keeps its SHA-256, so
signing out (or disabling the account) ends the session at once, wherever the
cookie has gone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from .. import passwords
from ..auth import Principal
from .accounts import AccountError, create_account
from .models import Account, SignInFailure, SignInSession, utcnow

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
#: A sign-in session ends after this long without a request, and after the absolute limit in any case.
IDLE_LIMIT = dt.timedelta(hours=2)
ABSOLUTE_LIMIT = dt.timedelta(hours=12)
# Refreshing "last seen" on every request would make every read a write.
LAST_SEEN_RESOLUTION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class User:
    """A signed-in person as the pages see them."""

    id: int
    email: str
    name: str
    role: str
    supplier_id: str | None

    @property
    def principal(self) -> Principal:
        """The same principal an API token of this account would give: what the core and the audit log see."""
        return Principal(name=self.name, role=self.role, account_id=self.id, supplier_id=self.supplier_id)

    def sees_supplier(self, supplier_id: str) -> bool:
        return self.principal.sees_supplier(supplier_id)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> str:
    """``email`` normalised; :raises AccountError: it is not an e-mail address."""
    found = normalise_email(email)
    if len(found) > 320 or not EMAIL.match(found):
        raise AccountError(f"{email!r} is not an e-mail address")
    return found


def create_user(
    session: Session,
    *,
    email: str,
    role: str,
    name: str = "",
    supplier_id: str | None = None,
    password: str | None = None,
) -> Account:
    """A new user; without a password it cannot sign in until it sets one (through an invitation).

    :raises AccountError: bad e-mail, e-mail taken, role or supplier binding wrong, password too weak.
    """
    email = check_email(email)
    if find_by_email(session, email) is not None:
        raise AccountError(f"there is already a user {email}")
    account = create_account(session, name=name or email, role=role, supplier_id=supplier_id, email=email)
    if password is not None:
        set_password(session, account, password)
    return account


def find_by_email(session: Session, email: str) -> Account | None:
    return session.scalars(select(Account).where(Account.email == normalise_email(email))).first()


def set_password(session: Session, account: Account, password: str) -> None:
    """Store a new password for ``account``; :raises AccountError: it breaks a rule (the message says which)."""
    wrong = passwords.problems(password, account.email or "")
    if wrong:
        raise AccountError(" ".join(wrong))
    account.password_hash = passwords.hash_password(password)
    account.password_changed_at = utcnow()
    session.flush()


def as_user(account: Account) -> User:
    return User(
        id=account.id,
        email=account.email or "",
        name=account.name,
        role=account.role,
        supplier_id=account.supplier_id,
    )


def check_password(session: Session, email: str, password: str) -> Account | None:
    """The enabled account ``email`` names when ``password`` is its password, else ``None`` (same time either way)."""
    account = find_by_email(session, email)
    usable = account is not None and account.disabled_at is None
    stored = account.password_hash if usable and account is not None else None
    if not passwords.verify(stored, password) or account is None:
        return None
    return account


def refresh_hash(account: Account, password: str) -> None:
    """Re-hash a just-checked password when its stored hash was made with weaker settings than today's."""
    if account.password_hash is not None and passwords.needs_rehash(account.password_hash):
        account.password_hash = passwords.hash_password(password)


def session_digest(sid: str) -> str:
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


def open_session(session: Session, account: Account, remote_addr: str) -> str:
    """A new sign-in session for ``account``; the random id to give the browser (stored only as its digest)."""
    sid = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        SignInSession(
            sid_sha256=session_digest(sid),
            account_id=account.id,
            created_at=now,
            last_seen_at=now,
            remote_addr=remote_addr[:64],
        )
    )
    account.last_sign_in_at = now
    session.execute(delete(SignInFailure).where(SignInFailure.email == normalise_email(account.email or "")))
    session.flush()
    return sid


def session_user(session: Session, sid: str, now: dt.datetime | None = None) -> tuple[User, bool] | None:
    """The user of a live sign-in session, and whether its "last seen" is due a refresh; ``None`` when it has ended."""
    now = now or utcnow()
    found = session.execute(
        select(SignInSession, Account)
        .join(Account, Account.id == SignInSession.account_id)
        .where(SignInSession.sid_sha256 == session_digest(sid))
    ).first()
    if found is None:
        return None
    row, account = found
    if row.ended_at is not None or account.disabled_at is not None:
        return None
    if now - row.created_at > ABSOLUTE_LIMIT or now - row.last_seen_at > IDLE_LIMIT:
        return None
    return as_user(account), now - row.last_seen_at > LAST_SEEN_RESOLUTION


def touch_session(session: Session, sid: str) -> None:
    session.execute(
        update(SignInSession).where(SignInSession.sid_sha256 == session_digest(sid)).values(last_seen_at=utcnow())
    )


def end_session(session: Session, sid: str) -> None:
    """End a sign-in session (sign-out); its cookie no longer signs anyone in."""
    session.execute(
        update(SignInSession)
        .where(SignInSession.sid_sha256 == session_digest(sid), SignInSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_sessions_of(session: Session, account_id: int) -> None:
    """End every sign-in session of an account (its password changed, or it was disabled)."""
    session.execute(
        update(SignInSession)
        .where(SignInSession.account_id == account_id, SignInSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def record_failure(session: Session, email: str, remote_addr: str, window: dt.timedelta) -> None:
    """Remember a refused password (for an existing e-mail or not); forget those older than ``window``."""
    now = utcnow()
    session.execute(delete(SignInFailure).where(SignInFailure.at < now - window))
    session.add(SignInFailure(at=now, email=normalise_email(email)[:320], remote_addr=remote_addr[:64]))


def recent_failures(session: Session, email: str, remote_addr: str, window: dt.timedelta) -> tuple[int, int]:
    """Refused passwords within ``window``: for this e-mail address, and from this client address."""
    since = utcnow() - window
    recent = select(func.count()).select_from(SignInFailure).where(SignInFailure.at >= since)
    by_email = session.execute(recent.where(SignInFailure.email == normalise_email(email))).scalar_one()
    by_address = session.execute(recent.where(SignInFailure.remote_addr == remote_addr[:64])).scalar_one()
    return int(by_email), int(by_address)


def list_users(session: Session) -> list[Account]:
    """Every account that signs in to the pages (has an e-mail address), by role and e-mail address."""
    return list(
        session.scalars(select(Account).where(Account.email.is_not(None)).order_by(Account.role, Account.email))
    )
