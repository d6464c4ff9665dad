"""The xlsx eligibility report: one row per bidder, lot and requirement: met, not met or cannot tell, and why.

Every value goes through :func:`.cells.put`, so a bidder's name or a reason that
quotes one can never become a formula.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from supplier_qual.tender import Eligibility

from .cells import SUBTITLE_FONT, CellValue, put
from .report_sheets import DECISION_WORDS, _table

HEADERS = ("Bidder", "Identifier", "Eligible", "Decision", "Score", "Requirement", "Met", "Reason", "Bid file", "Lot")
WIDTHS = (30, 20, 14, 16, 8, 44, 13, 70, 30, 12)
MET_FILL = PatternFill("solid", fgColor="C6EFCE")
NOT_MET_FILL = PatternFill("solid", fgColor="FFC7CE")
CANNOT_TELL_FILL = PatternFill("solid", fgColor="FFEB9C")
ELIGIBLE_WORDS = {"met": "ELIGIBLE", "not_met": "NOT ELIGIBLE", "cannot_tell": "CANNOT TELL"}
MET_WORDS = {"met": "met", "not_met": "NOT MET", "cannot_tell": "CANNOT TELL"}


def build_eligibility_report(eligibility: Eligibility) -> bytes:
    """The eligibility report as .xlsx bytes: a sheet "Eligibility", one row per bidder × requirement."""
    wb = Workbook()
    ws: Worksheet = wb.worksheets[0]
    ws.title = "Eligibility"
    tender = eligibility.tender
    rows: list[tuple[CellValue, ...]] = []
    for bidder in eligibility.bidders:
        supplier = bidder.supplier
        identifier = " ".join(part for part in (supplier.scheme, supplier.id) if part)
        for result in bidder.requirements:
            rows.append(
                (
                    supplier.name,
                    identifier,
                    ELIGIBLE_WORDS.get(bidder.state, bidder.state),
                    DECISION_WORDS.get(bidder.decision, bidder.decision) if bidder.decision else "not assessed",
                    round(bidder.score, 1) if bidder.score is not None else None,
                    result.requirement,
                    MET_WORDS.get(result.state, result.state),
                    result.reason,
                    bidder.source,
                    bidder.lot or "",
                )
            )
    title = f"Tender {tender.id}: {tender.title}" if tender.title else f"Tender {tender.id}"
    last = _table(ws, title, HEADERS, WIDTHS, rows, empty="No bids checked.")
    put(ws, 2, 1, f"Bids checked as of {eligibility.as_of.isoformat()}").font = SUBTITLE_FONT
    for row in range(4, last + 1) if rows else ():
        for column in (3, 7):
            cell = ws.cell(row=row, column=column)
            if cell.value in ("ELIGIBLE", "met"):
                cell.fill = MET_FILL
            else:
                cell.fill = CANNOT_TELL_FILL if cell.value == "CANNOT TELL" else NOT_MET_FILL
    wb.properties.creator = "supplier-qual"
    wb.properties.title = f"Bid eligibility: {tender.id}"[:250]
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
