"""Reports show the weakest links: limits, what was not checked, outcomes below the lines, the scope of supply."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import openpyxl
import pluggy

import supplier_qual
from supplier_qual.catalog import Catalog
from supplier_qual.model import Assessment, Questionnaire

from .conftest import AS_OF
from .xlsx_corpus import DEFAULT_SUPPLIER, fill

Make = Callable[..., dict[str, Any]]
WEAK_E = {"E1": "partly", "E3": "partly", "E5": 10}


def _assess(pm: pluggy.PluginManager, data: dict[str, Any]) -> Assessment:
    return supplier_qual.assess(data, as_of=AS_OF, pm=pm)


def test_the_text_report_leads_with_what_limited_the_decision(pm: pluggy.PluginManager, make_submission: Make) -> None:
    data = make_submission({**WEAK_E, "G2": "no"}, scope=None)
    text = str(supplier_qual.render(_assess(pm, data), "text", pm=pm))
    lines = text.splitlines()
    assert lines[2] == "Scope of supply: not stated (the certificates' scope could not be checked)"
    decision = next(i for i, line in enumerate(lines) if line.startswith("Decision: NOT QUALIFIED (overall score"))
    assert lines[decision + 1].startswith("  - Knockout G2 (outcome G)")
    held = lines.index("Also holding it back (at best conditional):")
    unchecked = lines.index("Not checked:")
    table = next(i for i, line in enumerate(lines) if line.startswith("Outcome "))
    assert decision < held < unchecked < table
    assert "What is supplied was not stated" in " ".join(lines[held:unchecked])
    row = next(line for line in lines if line.startswith("E  Resources"))
    assert row.endswith("< 70")
    assert not next(line for line in lines if line.startswith("A  Suitable")).endswith("70")
    assert "does not count" not in text  # the certificate is valid; only the scope is unknown


def test_the_json_decision_adds_limits_not_checked_and_thresholds(
    pm: pluggy.PluginManager, make_submission: Make
) -> None:
    data = json.loads(str(supplier_qual.render(_assess(pm, make_submission(WEAK_E)), "json", pm=pm)))
    overall = data["overall"]
    assert list(overall)[:4] == ["score", "decision", "reasons", "knockouts"]
    assert overall["thresholds"] == {
        "qualified_outcome": 70,
        "qualified_overall": 80,
        "not_qualified_outcome": 50,
        "not_qualified_overall": 60,
    }
    [limit] = overall["limits"]
    assert limit["cap"] == "conditional" and limit["kind"] == "score" and limit["outcome"] == "E"
    assert limit["threshold"] == 70 and 50 <= limit["value"] < 70
    assert overall["not_checked"][0].startswith("No performance data from the buyer")
    certificate = data["certificates"][0]
    assert certificate["counts"] is True and certificate["not_counted_because"] is None
    assert certificate["standard_family"] == "ISO 9001"


def test_the_xlsx_report_draws_the_lines_and_marks_the_outcomes_below_them(
    pm: pluggy.PluginManager, make_submission: Make
) -> None:
    assessment = _assess(pm, make_submission(WEAK_E))
    book = openpyxl.load_workbook(io.BytesIO(supplier_qual.render(assessment, "xlsx", pm=pm)))  # type: ignore[arg-type]
    outcomes = book["Outcomes"]
    header = [cell.value for cell in outcomes[3]]
    assert header[:6] == ["Outcome", "Title", "Score", "To qualify", "Minimum", "Against the lines"]
    rows = {row[0]: row for row in outcomes.iter_rows(min_row=4, max_row=12, values_only=True)}
    assert rows["E"][3:6] == (70, 50, "below the line to qualify")
    assert rows["A"][5] == "meets the line to qualify"
    assert outcomes["C8"].fill.fgColor.rgb.endswith("FFEB9C")  # E, amber
    assert outcomes["C4"].fill.fgColor.rgb in ("00000000", None)
    # The chart: the scores as columns, the two lines as dashed series, the outcome below them coloured.
    chart_xml = _chart_xml(supplier_qual.render(assessment, "xlsx", pm=pm))  # type: ignore[arg-type]
    assert chart_xml.count(b"<ser>") == 3 and b"<lineChart>" in chart_xml and b"<barChart>" in chart_xml
    assert chart_xml.count(b"<dPt>") == 1 and b'prstDash val="dash"' in chart_xml
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["Limited by"].startswith("at best conditional: Outcome E")
    assert summary["Not checked"].startswith("No performance data from the buyer")
    assert summary["Scope of supply"] == "Machined hydraulic valve components; IAF 17 (stated by the submission)"


def _chart_xml(data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        name = next(n for n in package.namelist() if n.startswith("xl/charts/chart"))
        return package.read(name)


def test_the_scope_of_supply_is_read_from_the_supplier_sheet(catalog: Catalog, questionnaire: Questionnaire) -> None:
    supplier = {**DEFAULT_SUPPLIER, "NACE codes of what you supply": "25.62", "Supplying sites": "Leeds, GB; Hull, GB"}
    submission = supplier_qual.read_submission(fill(questionnaire, supplier=supplier), filename="supplier.xlsx")
    scope = submission.scope_of_supply
    assert scope is not None
    assert (scope.description, scope.iaf_codes, scope.nace, scope.sites) == (
        "Machined hydraulic valve components",
        (17,),
        ("25.62",),
        ("Leeds, GB", "Hull, GB"),
    )
    assert submission.location("scope_of_supply.iaf_codes") == "Supplier!B11"


def test_a_bad_scope_of_supply_is_refused_at_its_cell(catalog: Catalog, questionnaire: Questionnaire) -> None:
    supplier = {**DEFAULT_SUPPLIER, "IAF codes of what you supply": "17, 45", "NACE codes of what you supply": "valves"}
    try:
        supplier_qual.read_submission(fill(questionnaire, supplier=supplier), filename="supplier.xlsx")
    except supplier_qual.SubmissionError as exc:
        problems = [str(p) for p in exc.problems]
    else:
        raise AssertionError("a bad scope of supply was accepted")
    assert problems == [
        "supplier.xlsx: Supplier!B11: IAF sector codes run from 1 to 39",
        "supplier.xlsx: Supplier!B12: not a NACE Rev. 2 code (e.g. 25.62)",
    ]
