"""What every request of one application shares: the register's database, the plugins and the policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pluggy
from flask import current_app

from ..policy import Policy
from .store.database import Database


@dataclass
class Service:
    """The register, the plugin manager and the policy assessments are made under.

    ``as_of`` pins the reference date (for demonstrations and tests); by default each
    assessment is made as of the day it runs (UTC).
    """

    db: Database
    pm: pluggy.PluginManager
    policy: Policy
    as_of: dt.date | None = None

    def today(self) -> dt.date:
        return self.as_of or dt.datetime.now(dt.UTC).date()


def service() -> Service:
    """The service of the current application."""
    found = current_app.extensions["supplier_qual"]
    if not isinstance(found, Service):
        raise RuntimeError("the application was not built by create_app")
    return found
