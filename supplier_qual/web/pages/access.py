"""Who is signed in to the pages, and what they may open: ``current_user``, ``login_required``, ``sign_in``.

Page views never read the session themselves::

    @bp.get("/suppliers/<supplier_id>")
    @login_required(role=("buyer", "admin"))
    def supplier(supplier_id: str) -> str:
        require_supplier(supplier_id)       # a supplier user sees only its own: 404 otherwise
        user = current_user()               # never None inside a login_required view
        ...

``user.principal`` is the :class:`~supplier_qual.web.auth.Principal` to hand to the
service functions (``qualification.submit``, ``tendering.check_eligibility`` …), so
the audit log names the person.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, g, redirect, request, session, url_for
from flask_wtf.csrf import generate_csrf

from ..service import service
from ..store import users
from ..store.users import User

F = TypeVar("F", bound=Callable[..., Any])
SESSION_KEY = "sid"
_MISSING = object()


def current_user() -> User | None:
    """The signed-in user of this request, ``None`` when no one is signed in (loaded once per request)."""
    found = g.get("user", _MISSING)
    if found is not _MISSING:
        return found  # type: ignore[no-any-return]
    user = None
    sid = session.get(SESSION_KEY)
    if isinstance(sid, str):
        db = service().db
        with db.read() as read:
            live = users.session_user(read, sid)
        if live is None:
            session.pop(SESSION_KEY, None)
        else:
            user, stale = live
            if stale:
                with db.write() as write:
                    users.touch_session(write, sid)
            g.principal = user.principal
    g.user = user
    return user


def signed_in_user() -> User:
    """The signed-in user, for code that runs only inside a ``login_required`` view."""
    user = current_user()
    if user is None:
        abort(401)
    return user


def _roles(role: str | Iterable[str] | None) -> frozenset[str] | None:
    if role is None:
        return None
    return frozenset((role,) if isinstance(role, str) else role)


def login_required(role: str | Iterable[str] | None = None) -> Callable[[F], F]:
    """Let a page view run only for a signed-in user (of ``role``, one role or several).

    Not signed in: to the sign-in page, coming back here afterwards. Signed in with
    another role: the 403 page.
    """
    allowed = _roles(role)

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                return redirect(url_for("pages.account.sign_in", next=_here()))
            if allowed is not None and user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapper.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def require_supplier(supplier_id: str) -> None:
    """404 — as for a supplier that does not exist — when the signed-in user may not see ``supplier_id``."""
    user = current_user()
    if user is None or not user.sees_supplier(supplier_id):
        abort(404)


def sign_in(user: User, sid: str) -> None:
    """Start the browser's signed-in session: everything of the visit before it is dropped, the session id is new."""
    session.clear()
    session[SESSION_KEY] = sid
    session.permanent = False
    g.user = user
    g.principal = user.principal
    g.pop("csrf_token", None)
    generate_csrf()  # a fresh CSRF token belongs to the fresh session


def sign_out() -> str | None:
    """Forget the browser's session; the session id it had (to end in the register), if any."""
    sid = session.get(SESSION_KEY)
    session.clear()
    g.user = None
    return sid if isinstance(sid, str) else None


def _here() -> str:
    return request.full_path.rstrip("?") if request.query_string else request.path


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site (never another site, never ``//host``), else ``None``."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def accepts_upload(view: F) -> F:
    """Mark a page view that receives a file: its request may be as large as the upload limit, not 256 kB."""
    view.accepts_upload = True  # type: ignore[attr-defined]
    return view
