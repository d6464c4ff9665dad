"""How much a workbook may ask of the server: size, ZIP package, rows, cells and text, each configurable."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from supplier_qual.limits import whole_numbers

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much a workbook may ask of the server. Each can be set by an environment variable.

    ``SUPPLIER_QUAL_XLSX_MAX_BYTES`` and so on: the field name in capitals. Together they
    bound what reading a workbook costs (see ``docs/security.md`` and ``bench/xlsx_worst.py``):
    ``max_rows`` and the last column (AX) bound the grid of each sheet, ``max_cells`` the
    cells of the sheets read, ``max_text_total`` the characters those cells hold (a
    shared string counts once per cell that shows it, plus once in the table),
    ``max_text`` the characters of any one cell the reader accepts.
    """

    max_bytes: int = 5 * MIB
    max_members: int = 100
    max_member_bytes: int = 40 * MIB
    max_total_bytes: int = 80 * MIB
    max_ratio: int = 200
    max_rows: int = 20_000
    max_cells: int = 250_000
    max_text_total: int = 10_000_000
    max_text: int = 4_000

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Limits:
        """Defaults, overridden by ``SUPPLIER_QUAL_XLSX_<FIELD>`` variables (whole numbers ≥ 1)."""
        return cls(**whole_numbers(cls, "SUPPLIER_QUAL_XLSX_", environ))
