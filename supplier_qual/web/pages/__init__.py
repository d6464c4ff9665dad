"""The pages: server-rendered HTML for suppliers, buyers and tender officers, over the same service as the API.

``init_pages(app)`` sets up the session cookie, CSRF protection and the error pages,
and registers one blueprint, ``pages``, at ``/``, with a child blueprint per page
module listed in :data:`PAGE_MODULES` (endpoints ``pages.<module>.<view>``). Every
request to a page loads the signed-in user and has its form checked for a CSRF
token; ``/api`` is left exactly as it was. How to add a page: ``docs/pages.md``.
"""

from __future__ import annotations

import importlib
from typing import Any

from flask import Blueprint, Flask

from . import errors, nav, security
from .access import current_user
from .present import register_filters

#: The page modules (``supplier_qual.web.pages.<name>``), each with a ``bp`` Blueprint named like the module.
PAGE_MODULES: tuple[str, ...] = ("account", "supplier", "buyer", "invites", "admin", "tender")

__all__ = ["PAGE_MODULES", "init_pages"]


def _root() -> Blueprint:
    root = Blueprint("pages", __name__)

    @root.before_request
    def _protect() -> None:
        security.csrf.protect()  # refuses (400) a form sent without this session's token; GET passes

    return root


def _globals() -> dict[str, Any]:
    if errors.is_api_request():
        return {}
    user = current_user()
    return {"current_user": user, "nav_items": nav.items(user.role) if user else []}


def init_pages(app: Flask, config: dict[str, Any]) -> None:
    """Add the pages to ``app``."""
    security.configure(app, config)
    register_filters(app)
    root = _root()
    for name in PAGE_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        root.register_blueprint(module.bp)
    app.register_blueprint(root)
    app.context_processor(_globals)
    errors.register(app)
