"""How much any input may ask of supplier_qual: file size, nesting, digits, dates, and a file read in a child process.

Workbooks have further limits of their own (:mod:`supplier_qual.adapters.xlsx.limits`).
Each limit here has a default and, where a deployment may need another value, an
environment variable; ``docs/security.md`` lists them all.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

from .errors import ConfigurationError

MIB = 1024 * 1024
MAX_DEPTH = 64
"""Deepest nesting of objects and lists a JSON or YAML document may have (a submission needs 4)."""
MAX_VALUES = 250_000
"""Most values (scalars, lists and objects) a YAML document may expand to through its aliases."""
MAX_DIGITS = 40
"""Longest whole number a document may write, in digits: far beyond any count, small enough to stay cheap."""
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2200, 12, 31)
"""Dates outside these are typing mistakes (0202 for 2020, 9999 as "never"): no certificate, tender or
assessment date is that far out, and date arithmetic within them cannot overflow."""


def date_problem(day: dt.date) -> str | None:
    """Why ``day`` is refused, or ``None`` when it lies between :data:`EARLIEST_DATE` and :data:`LATEST_DATE`."""
    if EARLIEST_DATE <= day <= LATEST_DATE:
        return None
    return f"{day.isoformat()} is outside the dates accepted ({EARLIEST_DATE.year} to {LATEST_DATE.year})"


@dataclass(frozen=True)
class ReadLimits:
    """Limits on reading one input file, each set by ``SUPPLIER_QUAL_<FIELD>`` in capitals.

    ``max_bytes`` caps every file supplier_qual reads (submissions, performance and
    certificate files, policies, tenders, questionnaires, registry settings): larger
    files are refused before they are read. ``memory_mb`` and ``seconds`` bound the
    child process that reads an untrusted upload (:func:`supplier_qual.read_upload`).
    """

    max_bytes: int = 5 * MIB
    memory_mb: int = 512
    seconds: int = 30

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> ReadLimits:
        """Defaults, overridden by ``SUPPLIER_QUAL_MAX_BYTES``, ``…_MEMORY_MB`` and ``…_SECONDS``."""
        return cls(**whole_numbers(cls, "SUPPLIER_QUAL_", environ))


def whole_numbers(kind: type, prefix: str, environ: Mapping[str, str]) -> dict[str, int]:
    """The fields of dataclass ``kind`` set in ``environ`` as ``<prefix><FIELD>`` (whole numbers ≥ 1).

    :raises ConfigurationError: a variable that is not a whole number of at least 1.
    """
    values: dict[str, int] = {}
    for spec in fields(kind):
        name = f"{prefix}{spec.name.upper()}"
        raw = environ.get(name)
        if raw is None:
            continue
        try:
            values[spec.name] = int(raw.replace("_", ""))
        except ValueError:
            raise ConfigurationError(f"{name}={raw!r} is not a whole number") from None
        if values[spec.name] < 1:
            raise ConfigurationError(f"{name} must be at least 1")
    return values


def size_text(count: int) -> str:
    """A size as a supplier reads it: ``6.0 MB``, ``20 kB``, ``512 bytes``."""
    if count >= MIB:
        return f"{count / MIB:,.1f} MB"
    if count >= 1024:
        return f"{count / 1024:,.0f} kB"
    return f"{count:,} bytes"
