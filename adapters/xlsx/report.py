"""Renders an assessment as a workbook (``assess -f xlsx``).

openpyxl is imported only when a report is asked for, so that a server that only
reads uploads never loads it; the sheets themselves are in :mod:`.report_sheets`.
"""

from __future__ import annotations

from supplier_qual import hookimpl
from supplier_qual.expiry import ExpiryReport
from supplier_qual.model import Assessment


@hookimpl
def render(result: object, fmt: str) -> bytes | None:
    if fmt != "xlsx":
        return None
    if isinstance(result, Assessment):
        from .report_sheets import build_report

        return build_report(result)
    if isinstance(result, ExpiryReport):
        from .report_sheets import build_expiry_report

        return build_expiry_report(result)
    return None
