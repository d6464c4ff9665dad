"""How much an upload may ask of the server: size, ZIP package, rows and text, each configurable."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

from supplier_qual.errors import ConfigurationError

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much an upload may ask of the server. Each can be set by an environment variable.

    ``SUPPLIER_QUAL_XLSX_MAX_BYTES`` and so on: the field name in capitals.
    """

    max_bytes: int = 5 * MIB
    max_members: int = 100
    max_member_bytes: int = 40 * MIB
    max_total_bytes: int = 80 * MIB
    max_ratio: int = 200
    max_rows: int = 20_000
    max_text: int = 4_000

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Limits:
        """Defaults, overridden by ``SUPPLIER_QUAL_XLSX_<FIELD>`` variables (whole numbers ≥ 1)."""
        values: dict[str, int] = {}
        for spec in fields(cls):
            name = f"SUPPLIER_QUAL_XLSX_{spec.name.upper()}"
            raw = environ.get(name)
            if raw is None:
                continue
            try:
                values[spec.name] = int(raw.replace("_", ""))
            except ValueError:
                raise ConfigurationError(f"{name}={raw!r} is not a whole number") from None
            if values[spec.name] < 1:
                raise ConfigurationError(f"{name} must be at least 1")
        return cls(**values)
