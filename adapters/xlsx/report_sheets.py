"""The xlsx reports: an assessment (summary, outcomes A–I with a chart, findings, certificates,
corrective actions) and the certificate expiry watch.

Supplier text (names, evidence, certificate details, findings that quote them) is
written only through :func:`.cells.put`, so no cell of a report is ever a formula.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.marker import DataPoint
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from supplier_qual.certificates import why_not_counting
from supplier_qual.expiry import COLUMNS, ExpiryReport
from supplier_qual.model import Assessment, CertificateResult
from supplier_qual.outcomes import CERTIFICATION_CAVEAT
from supplier_qual.scope import scope_in_words

from .cells import BOLD, GRID, SUBTITLE_FONT, TITLE_FONT, WRAP, CellValue, fit_height, header_row, print_setup, put

DECISION_WORDS = {"qualified": "QUALIFIED", "conditional": "CONDITIONAL", "not_qualified": "NOT QUALIFIED"}
DECISION_FILLS = {
    "qualified": PatternFill("solid", fgColor="C6EFCE"),
    "conditional": PatternFill("solid", fgColor="FFEB9C"),
    "not_qualified": PatternFill("solid", fgColor="FFC7CE"),
}
BELOW_FILLS = {"conditional": "FFEB9C", "not_qualified": "FFC7CE"}
BELOW_WORDS = {"conditional": "below the line to qualify", "not_qualified": "below the minimum: not qualified"}
CAP_WORDS = {"conditional": "at best conditional", "not_qualified": "not qualified"}
SCORE_FORMAT = "0.0"
LEFT = Alignment(horizontal="left", vertical="top")
DATE_FORMAT = "yyyy-mm-dd"


def build_report(assessment: Assessment) -> bytes:
    """The report workbook as .xlsx bytes."""
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    summary: Worksheet = wb.create_sheet("Summary")
    _summary(summary, assessment)
    _outcomes(wb.create_sheet("Outcomes"), assessment)
    _findings(wb.create_sheet("Findings"), assessment)
    _certificates(wb.create_sheet("Certificates"), assessment.certificates)
    _actions(wb.create_sheet("Corrective actions"), assessment)
    wb.properties.creator = "supplier-qual"
    wb.properties.title = f"Supplier qualification: {assessment.supplier.name}"[:250]
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def build_expiry_report(report: ExpiryReport) -> bytes:
    """The expiry watch as .xlsx bytes: one row per expiry or surveillance audit due."""
    wb = Workbook()
    ws: Worksheet = wb.worksheets[0]
    ws.title = "Due"
    title = f"Certificates due within {report.days} days of {report.as_of.isoformat()}"
    widths = (12, 8, 18, 30, 18, 16, 30, 12, 30)
    _table(ws, title, COLUMNS, widths, list(report.rows()), empty="Nothing falls due in this window.")
    wb.properties.creator = "supplier-qual"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _table(
    ws: Worksheet,
    title: str,
    headers: tuple[str, ...],
    widths: tuple[float, ...],
    rows: list[tuple[CellValue, ...]],
    *,
    empty: str,
) -> int:
    """A titled table starting at row 1; returns the last row written."""
    put(ws, 1, 1, title).font = TITLE_FONT
    header_row(ws, 3, headers, widths)
    if not rows:
        put(ws, 4, 1, empty).font = SUBTITLE_FONT
        return 4
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            cell = put(ws, 4 + offset, column, value)
            cell.alignment = WRAP
            cell.border = GRID
            if isinstance(value, float):
                cell.number_format = SCORE_FORMAT
        fit_height(ws, 4 + offset, len(headers))
    ws.freeze_panes = "A4"
    ws.auto_filter.ref = f"A3:{ws.cell(row=3 + len(rows), column=len(headers)).coordinate}"
    print_setup(ws, title_rows="3:3")
    return 3 + len(rows)


def _summary(ws: Worksheet, assessment: Assessment) -> None:
    supplier = assessment.supplier
    put(ws, 1, 1, "Supplier qualification report").font = TITLE_FONT
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 100
    decision = assessment.decision
    facts: list[tuple[str, CellValue]] = [
        ("Supplier", supplier.name),
        ("Identifier", " ".join(part for part in (supplier.scheme, supplier.id) if part)),
        ("Country", supplier.country),
        ("Questionnaire", f"{assessment.questionnaire.id} {assessment.questionnaire.version}"),
        ("Assessed as of", assessment.as_of),
        ("Scope of supply", scope_in_words(assessment.scope_of_supply)),
    ]
    row = 3
    for label, value in facts:
        put(ws, row, 1, label).font = BOLD
        put(ws, row, 2, value, number_format=DATE_FORMAT if label == "Assessed as of" else "").alignment = LEFT
        row += 1
    row += 1
    if decision is not None:
        put(ws, row, 1, "Decision").font = BOLD
        cell = put(ws, row, 2, DECISION_WORDS.get(decision.decision, decision.decision))
        cell.font = Font(bold=True, size=14)
        fill = DECISION_FILLS.get(decision.decision)
        if fill is not None:
            cell.fill = fill
        put(ws, row + 1, 1, "Overall score").font = BOLD
        put(ws, row + 1, 2, round(decision.score, 1), number_format=SCORE_FORMAT).alignment = LEFT
        row += 3
        row = _list(ws, row, "Reasons", list(decision.reasons))
        row = _list(ws, row, "Knockouts", [f"{k.question} ({k.outcome}): {k.reason}" for k in decision.knockouts])
        limits = [f"{CAP_WORDS.get(lim.cap, lim.cap)}: {lim.reason}" for lim in decision.limits]
        row = _list(ws, row, "Limited by", limits)
        row = _list(ws, row, "Not checked", list(decision.not_checked))
    put(ws, row, 2, CERTIFICATION_CAVEAT).font = SUBTITLE_FONT
    ws.cell(row=row, column=2).alignment = WRAP
    fit_height(ws, row, 2)
    provenance = assessment.provenance
    if provenance is not None:
        row += 2
        put(ws, row, 1, "Provenance").font = BOLD
        lines = [
            f"engine {provenance.engine_version}, policy {provenance.policy}",
            f"input SHA-256 {provenance.input_sha256}",
            f"questionnaire SHA-256 {provenance.questionnaire_sha256}",
        ]
        for offset, line in enumerate(lines):
            put(ws, row + offset, 2, line).font = SUBTITLE_FONT
    print_setup(ws, landscape=False)


def _list(ws: Worksheet, row: int, label: str, items: list[str]) -> int:
    if not items:
        return row
    put(ws, row, 1, label).font = BOLD
    for item in items:
        put(ws, row, 2, item).alignment = WRAP
        fit_height(ws, row, 2)
        row += 1
    return row + 1


def _outcomes(ws: Worksheet, assessment: Assessment) -> None:
    """Outcomes A–I with the lines to qualify and not to fail, those below them marked, and a chart of both."""
    decision = assessment.decision
    thresholds = decision.thresholds if decision is not None else {}
    to_qualify = thresholds.get("qualified_outcome")
    minimum = thresholds.get("not_qualified_outcome")
    below = {
        lim.outcome: lim.cap
        for lim in (decision.limits if decision is not None else ())
        if lim.kind == "score" and lim.outcome
    }
    rows: list[tuple[CellValue, ...]] = [
        (
            oid,
            result.title,
            round(result.score, 1),
            to_qualify,
            minimum,
            BELOW_WORDS.get(below.get(oid, ""), "meets the line to qualify" if to_qualify is not None else ""),
            result.assurance.replace("_", " "),
            len(result.findings),
        )
        for oid, result in assessment.outcomes.items()
    ]
    last = _table(
        ws,
        "Expected outcomes A\u2013I",
        ("Outcome", "Title", "Score", "To qualify", "Minimum", "Against the lines", "Assurance", "Findings"),
        (10, 44, 9, 11, 10, 30, 16, 10),
        rows,
        empty="No outcomes scored.",
    )
    if not rows:
        return
    for offset, oid in enumerate(assessment.outcomes):
        cap = below.get(oid)
        if cap is not None:
            for column in (1, 3, 6):
                ws.cell(row=4 + offset, column=column).fill = PatternFill("solid", fgColor=BELOW_FILLS[cap])
    chart = BarChart()
    chart.type = "col"
    chart.style = 10
    chart.title = "Score per outcome (0\u2013100), with the lines to qualify and not to fail"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.y_axis.majorUnit = 25
    chart.y_axis.title = "Score"
    chart.add_data(Reference(ws, min_col=3, min_row=3, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=4, max_row=last))
    scores = chart.series[0]
    for offset, oid in enumerate(assessment.outcomes):
        cap = below.get(oid)
        if cap is not None:
            point = DataPoint(idx=offset)
            point.graphicalProperties.solidFill = BELOW_FILLS[cap]
            point.graphicalProperties.line.solidFill = "9C0006" if cap == "not_qualified" else "9C5700"
            scores.dPt.append(point)
    if to_qualify is not None:
        lines = LineChart()
        lines.add_data(Reference(ws, min_col=4, max_col=5, min_row=3, max_row=last), titles_from_data=True)
        for series, colour in zip(lines.series, ("9C5700", "9C0006"), strict=False):
            series.graphicalProperties.line.solidFill = colour
            series.graphicalProperties.line.dashStyle = "dash"
            series.smooth = False
        chart += lines
    chart.legend.position = "b"
    chart.height = 10
    chart.width = 18
    ws.add_chart(chart, "J3")


def _findings(ws: Worksheet, assessment: Assessment) -> None:
    rows: list[tuple[CellValue, ...]] = [
        (f.outcome, f.severity, f.question, f.message, f.source) for f in assessment.findings
    ]
    _table(
        ws,
        "Findings",
        ("Outcome", "Severity", "Question", "Finding", "Source"),
        (10, 12, 10, 90, 24),
        rows,
        empty="No findings.",
    )


def _certificates(ws: Worksheet, results: tuple[CertificateResult, ...]) -> None:
    rows: list[tuple[CellValue, ...]] = []
    for result in results:
        cert = result.certificate
        failed = "; ".join(check.message for check in result.checks if not check.passed)
        rows.append(
            (
                cert.number,
                cert.standard,
                cert.holder,
                cert.certification_body,
                cert.accreditation_body,
                cert.issued,
                cert.expires,
                result.status.replace("_", " "),
                result.verified_by or "not verified",
                "yes" if result.counts else f"no: {why_not_counting(result)}",
                failed,
            )
        )
    _table(
        ws,
        "Certificates",
        (
            "Number",
            "Standard",
            "Holder",
            "Certification body",
            "Accreditation body",
            "Issued",
            "Expires",
            "Status",
            "Verified by",
            "Counts for qualification",
            "Failed checks",
        ),
        (18, 16, 28, 26, 18, 12, 12, 16, 16, 40, 60),
        rows,
        empty="No certificates presented.",
    )
    for row in range(4, 4 + len(rows)):
        for column in (6, 7):
            ws.cell(row=row, column=column).number_format = DATE_FORMAT


def _actions(ws: Worksheet, assessment: Assessment) -> None:
    rows: list[tuple[CellValue, ...]] = [
        (a.severity, a.outcome, a.question, a.finding, a.action, a.due_days) for a in assessment.corrective_actions
    ]
    _table(
        ws,
        "Corrective actions",
        ("Severity", "Outcome", "Question", "Finding", "Action requested", "Due in (days)"),
        (12, 10, 10, 60, 60, 12),
        rows,
        empty="No corrective actions.",
    )
