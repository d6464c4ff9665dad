"""Renders an assessment as a workbook (``assess -f xlsx``).

openpyxl is imported only when a report is asked for, so that a server that only
reads uploads never loads it; the sheets themselves are in :mod:`.report_sheets`.
"""

from __future__ import annotations

from supplier_qual import hookimpl
from supplier_qual.model import Assessment


@hookimpl
def render(result: object, fmt: str) -> bytes | None:
    if fmt != "xlsx" or not isinstance(result, Assessment):
        return None
    from .report_sheets import build_report

    return build_report(result)
