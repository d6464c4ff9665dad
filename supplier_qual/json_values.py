"""Values read out of tender systems' JSON (OCDS, ProZorro): objects, lists of objects and dates, never a surprise.

Tender-system data is loosely typed: a field that should hold an object may hold a
string, a list may hold nulls, a date may be a date-time. These readers return an
empty object, the objects of a list, or ``None`` rather than fail, so that the
adapter reports what is missing in the tender officer's words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any


def mapping(value: object) -> Mapping[str, Any]:
    """``value`` if it is an object, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def mappings(value: object) -> list[Mapping[str, Any]]:
    """The objects of ``value`` if it is a list, else none."""
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def iso_date(value: object) -> dt.date | None:
    """The date an ISO 8601 date or date-time starts with (``2026-12-15T12:00:00Z`` → 2026-12-15), else ``None``."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
