"""The service's settings: the application's config first, then ``SUPPLIER_QUAL_*`` environment variables.

``SUPPLIER_QUAL_DATABASE_URL``  the register (default: SQLite in the instance folder)
``SUPPLIER_QUAL_POLICY``        a policy file for every assessment (default: the standard policy)
``SUPPLIER_QUAL_AS_OF``         pin the reference date (YYYY-MM-DD), for demonstrations
``SUPPLIER_QUAL_AUTO_MIGRATE``  ``0`` to leave migrations to ``supplier-qual db upgrade``
``SUPPLIER_QUAL_TRUSTED_PROXIES`` how many reverse proxies set ``X-Forwarded-For`` (default 0)
``SUPPLIER_QUAL_INSTANCE_PATH`` where the default SQLite file (and the generated secret key) live
``SUPPLIER_QUAL_SECRET_KEY``    signs the pages' session cookie and invitation links (default: a random key
                                kept in the instance folder, ``secret-key``)
``SUPPLIER_QUAL_SECURE_COOKIES`` ``1`` to mark the session cookie ``Secure`` even when a request is not HTTPS
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import ConfigurationError

ENV_PREFIX = "SUPPLIER_QUAL_"
DEFAULT_DB_FILE = "supplier-qual.db"


def setting(config: Mapping[str, Any], name: str, default: Any = None) -> Any:
    """``name`` from the config (as ``NAME`` or ``SUPPLIER_QUAL_NAME``), else the environment, else ``default``."""
    for key in (name, ENV_PREFIX + name):
        if config.get(key) is not None:
            return config[key]
    return os.environ.get(ENV_PREFIX + name, default)


def database_url(config: Mapping[str, Any], instance_path: str | Path) -> str:
    url = setting(config, "DATABASE_URL")
    if url:
        return str(url)
    return f"sqlite:///{Path(instance_path) / DEFAULT_DB_FILE}"


def as_of(config: Mapping[str, Any]) -> dt.date | None:
    value = setting(config, "AS_OF")
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigurationError(f"SUPPLIER_QUAL_AS_OF={value!r} is not a date (YYYY-MM-DD)") from None


def flag(config: Mapping[str, Any], name: str, default: bool) -> bool:
    value = setting(config, name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() not in ("0", "false", "no", "off", "")


def count(config: Mapping[str, Any], name: str) -> int:
    value = setting(config, name, 0)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ConfigurationError(f"{ENV_PREFIX}{name}={value!r} is not a whole number") from None
    if number < 0:
        raise ConfigurationError(f"{ENV_PREFIX}{name} must not be negative")
    return number
