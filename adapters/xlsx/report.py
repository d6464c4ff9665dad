"""Renders an assessment, the expiry watch, a tender's eligibility or a blank template as a workbook (``xlsx``).

openpyxl is imported only when a report is asked for, so that a server that only
reads uploads never loads it; the sheets themselves are in :mod:`.report_sheets` and
:mod:`.eligibility_sheet`.
"""

from __future__ import annotations

from supplier_qual import hookimpl
from supplier_qual.expiry import ExpiryReport
from supplier_qual.model import Assessment, Template
from supplier_qual.tender import Eligibility


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
    if isinstance(result, Eligibility):
        from .eligibility_sheet import build_eligibility_report

        return build_eligibility_report(result)
    if isinstance(result, Template):
        from .template import build_template

        return build_template(result.questionnaire, result.supplier)
    return None
