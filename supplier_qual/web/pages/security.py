"""The pages' session cookie, secret key and CSRF protection.

- the secret key signs the session cookie and invitation links: ``SECRET_KEY`` (or
  ``SUPPLIER_QUAL_SECRET_KEY``), else a random key kept in the instance folder
  (``secret-key``, readable by its owner only) so every server process shares it;
- the cookie is ``HttpOnly``, ``SameSite=Lax``, and ``Secure`` whenever the request
  came over HTTPS (behind a proxy: ``SUPPLIER_QUAL_TRUSTED_PROXIES``) or
  ``SUPPLIER_QUAL_SECURE_COOKIES`` is set;
- every form of the pages carries a CSRF token (Flask-WTF); the bearer-token API
  needs none, since a browser never sends a token on its own.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect

from .. import config as settings

SECRET_FILE = "secret-key"  # noqa: S105 (the file's name, not a secret)
COOKIE_NAME = "sq_session"
csrf = CSRFProtect()


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed cookie, marked ``Secure`` on HTTPS even when the configuration does not insist."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def secret_key(config: dict[str, Any], instance_path: str) -> str:
    """The configured secret key, else the instance folder's (made on first use)."""
    configured = settings.setting(config, "SECRET_KEY")
    if configured:
        return str(configured)
    if config.get("TESTING"):
        return secrets.token_hex(32)
    path = Path(instance_path) / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip()


def configure(app: Flask, config: dict[str, Any]) -> None:
    """Set the secret key, the cookie's attributes and CSRF protection on ``app``."""
    if not app.secret_key:
        app.secret_key = secret_key(config, app.instance_path)
    app.session_interface = SessionCookies()
    app.config["SESSION_COOKIE_NAME"] = config.get("SESSION_COOKIE_NAME") or COOKIE_NAME
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_SECURE"] = settings.flag(config, "SECURE_COOKIES", False)
    # Checked by the pages' own before-request hook (and by every form), so the API is left alone.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", 8 * 3600)
    csrf.init_app(app)
