"""The buyer's register as rows: what the dashboard shows of each supplier, and the list as a workbook.

Each row comes from the register's one query (``store.suppliers.search``, as the API
uses it) and the stored assessment it joins; nothing is scored here.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from ..store import assessments
from ..store.models import Assessment, Override, Supplier
from ..store.suppliers import SupplierRow
from .present import certificate_label, decision_label

# The xlsx adapter's cell writer, the one every workbook of supplier_qual goes through: text that a spreadsheet
# would take for a formula (=, +, -, @ …) is stored as plain text with a quote prefix.
_CELLS = importlib.import_module("supplier_qual.adapters.xlsx.cells")
put: Callable[..., Any] = _CELLS.put


@dataclass(frozen=True)
class Certificate:
    number: str
    status: str
    expires: dt.date | None


@dataclass(frozen=True)
class Summary:
    """One supplier as the dashboard shows it."""

    supplier: Supplier
    assessment: Assessment | None
    override: Override | None
    weakest: tuple[str, float] | None = None
    certificate: Certificate | None = None
    more_certificates: int = 0
    corrective_actions: int = 0
    titles: dict[str, str] = field(default_factory=dict)

    @property
    def decision(self) -> str | None:
        if self.override is not None:
            return self.override.decision
        return self.assessment.decision if self.assessment is not None else None

    @property
    def computed(self) -> str | None:
        """The computed decision, when an override stands beside it."""
        if self.override is None or self.assessment is None:
            return None
        return self.assessment.decision


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def summaries(session: Session, rows: Sequence[SupplierRow]) -> list[Summary]:
    """The rows of the dashboard, their stored results read in one query."""
    found = assessments.results(session, [r.latest.id for r in rows if r.latest is not None])
    return [summary(r, found.get(r.latest.id, "{}") if r.latest is not None else "{}") for r in rows]


def summary(row: SupplierRow, result_json: str) -> Summary:
    """What a row of the dashboard shows, read from the supplier's latest stored assessment (its JSON)."""
    if row.latest is None:
        return Summary(row.supplier, None, row.override)
    result = json.loads(result_json)
    outcomes = result.get("outcomes", {})
    scores = [(oid, float(o["score"])) for oid, o in sorted(outcomes.items()) if o.get("score") is not None]
    weakest = min(scores, key=lambda pair: pair[1]) if scores else None
    certificates = [
        Certificate(str(c.get("number", "")), str(c.get("status", "")), _date(c.get("expires")))
        for c in result.get("certificates", [])
    ]
    # The certificate that expires first is the one to watch; one without a date comes last.
    certificates.sort(key=lambda c: (c.expires is None, c.expires or dt.date.max, c.number))
    return Summary(
        row.supplier,
        row.latest,
        row.override,
        weakest=weakest,
        certificate=certificates[0] if certificates else None,
        more_certificates=max(len(certificates) - 1, 0),
        corrective_actions=len(result.get("corrective_actions", [])),
        titles={oid: str(o.get("title", "")) for oid, o in outcomes.items()},
    )


HEADINGS = (
    "Supplier ID",
    "Supplier",
    "Decision",
    "Computed decision",
    "Override reason",
    "Overall score",
    "Weakest outcome",
    "Weakest score",
    "Certificate",
    "Certificate status",
    "Certificate expires",
    "Open corrective actions",
    "Assessed as of",
)
WIDTHS = (20, 36, 16, 18, 40, 12, 12, 12, 20, 18, 16, 14, 14)


def workbook(rows: list[Summary], *, as_of: dt.date, filters: str) -> bytes:
    """The (filtered) register as an Excel workbook; no text from a supplier can become a formula."""
    book = Workbook()
    ws: Worksheet = book.create_sheet("Suppliers")
    book.remove(book.worksheets[0])
    put(ws, 1, 1, f"Suppliers as of {as_of.isoformat()}").font = _CELLS.TITLE_FONT
    put(ws, 2, 1, f"Filters: {filters or 'none'}")
    for column, (heading, width) in enumerate(zip(HEADINGS, WIDTHS, strict=True), start=1):
        cell = put(ws, 4, column, heading)
        cell.font, cell.fill = _CELLS.HEADER_FONT, _CELLS.HEADER_FILL
        ws.column_dimensions[cell.column_letter].width = width
    for number, row in enumerate(rows, start=5):
        cert = row.certificate
        values: tuple[Any, ...] = (
            row.supplier.id,
            row.supplier.name,
            decision_label(row.decision) if row.decision else "Not assessed",
            decision_label(row.computed) if row.computed else "",
            row.override.reason if row.override is not None else "",
            row.assessment.overall_score if row.assessment is not None else None,
            row.weakest[0] if row.weakest else "",
            row.weakest[1] if row.weakest else None,
            cert.number if cert else "",
            certificate_label(cert.status) if cert else "",
            cert.expires if cert else None,
            row.corrective_actions if row.assessment is not None else None,
            row.assessment.as_of if row.assessment is not None else None,
        )
        for column, value in enumerate(values, start=1):
            fmt = "yyyy-mm-dd" if isinstance(value, dt.date) else "0.0" if isinstance(value, float) else ""
            put(ws, number, column, value, number_format=fmt)
    ws.freeze_panes = "C5"
    if rows:
        ws.auto_filter.ref = f"A4:M{4 + len(rows)}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
