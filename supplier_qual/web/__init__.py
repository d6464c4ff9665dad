"""The qualification service: a Flask application over the core, with the register behind it.

``create_app(config=None)`` builds everything — plugin manager, policy, database,
blueprints — and nothing happens at import. Plugins add routes through the
``register_routes`` hook.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import pluggy
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .._version import VERSION
from ..plugins import get_plugin_manager
from ..policy import DEFAULT_POLICY, load_policy
from . import config as settings
from . import problems, requestlog
from .service import Service
from .store import migrate
from .store.database import Database

__all__ = ["create_app"]


def create_app(config: Mapping[str, Any] | None = None, *, pm: pluggy.PluginManager | None = None) -> Flask:
    """The service as a WSGI application.

    :param config: settings overriding the ``SUPPLIER_QUAL_*`` environment variables:
        ``DATABASE_URL``, ``POLICY``, ``AS_OF``, ``AUTO_MIGRATE``, ``TRUSTED_PROXIES``,
        ``INSTANCE_PATH``, ``SECRET_KEY``, ``SECURE_COOKIES``, and any Flask setting.
    :param pm: the plugin manager; by default the built-in and installed plugins.
    """
    config = dict(config or {})
    instance = settings.setting(config, "INSTANCE_PATH")
    app = Flask(__name__, instance_path=str(instance) if instance else None)
    app.config.update(API_VERSION=VERSION)
    app.config.update({k: v for k, v in config.items() if k.isupper()})
    pm = pm or get_plugin_manager()
    policy_file = settings.setting(config, "POLICY")
    db = Database(settings.database_url(config, app.instance_path))
    if db.sqlite_path is not None:
        os.makedirs(os.path.dirname(os.path.abspath(db.sqlite_path)), exist_ok=True)
    app.extensions["supplier_qual"] = Service(
        db=db,
        pm=pm,
        policy=load_policy(policy_file) if policy_file else DEFAULT_POLICY,
        as_of=settings.as_of(config),
    )
    if settings.flag(config, "AUTO_MIGRATE", True):
        migrate.upgrade(db)
    proxies = settings.count(config, "TRUSTED_PROXIES")
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    from .api import init_api

    problems.register(app)
    requestlog.register(app)
    app.extensions["supplier_qual_api"] = init_api(app)
    from .pages import init_pages

    init_pages(app, config)
    pm.hook.register_routes(app=app)
    return app
