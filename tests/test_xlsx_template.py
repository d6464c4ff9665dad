"""The template: the sheets and headers the contract names, drop-downs, typed validation, protection, print setup."""

from __future__ import annotations

import io

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from supplier_qual.adapters.xlsx import layout as L
from supplier_qual.adapters.xlsx.template import build_template
from supplier_qual.model import Questionnaire, Supplier


@pytest.fixture
def workbook(questionnaire: Questionnaire) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(build_template(questionnaire, Supplier(name="=Acme", id="GB-1"))))


def _validations(ws: Worksheet) -> dict[str, object]:
    """Cell → its data validation."""
    found: dict[str, object] = {}
    for dv in ws.data_validations.dataValidation:
        for cell_range in dv.sqref.ranges:
            for row in ws[cell_range.coord] if ":" in cell_range.coord else [[ws[cell_range.coord]]]:
                for cell in row:
                    found[cell.coordinate] = dv
    return found


def test_sheets_and_meta(workbook: openpyxl.Workbook, questionnaire: Questionnaire) -> None:
    assert workbook.sheetnames == ["Instructions", "Supplier", "Questionnaire", "Certificates", "Performance", "_meta"]
    meta = workbook["_meta"]
    assert meta.sheet_state == "hidden"
    values = {row[0]: row[1] for row in meta.iter_rows(max_col=2, values_only=True) if row[0]}
    assert values["questionnaire_id"] == questionnaire.id
    assert values["questionnaire_version"] == questionnaire.version
    assert values["template_checksum"] == L.template_checksum(questionnaire)
    assert workbook.security is not None
    assert workbook.security.lockStructure


def test_questionnaire_sheet_has_the_contract_headers_and_one_row_per_question(
    workbook: openpyxl.Workbook, questionnaire: Questionnaire
) -> None:
    ws = workbook["Questionnaire"]
    headers = [cell.value for cell in ws[3]]
    for needed in ("ID", "Outcome", "Question", "Answer", "Evidence", "Comment"):
        assert needed in headers
    ids = [row[0] for row in ws.iter_rows(min_row=4, max_col=1, values_only=True) if row[0]]
    assert ids == [q.id for q in questionnaire.questions]
    assert ws.freeze_panes == "C4"
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape"
    assert ws.protection.sheet
    assert ws.column_dimensions["C"].width > 40


def test_answer_cells_have_drop_downs_of_labels_and_are_the_only_unlocked_cells(
    workbook: openpyxl.Workbook, questionnaire: Questionnaire
) -> None:
    ws = workbook["Questionnaire"]
    meta = workbook["_meta"]
    validations = _validations(ws)
    rows = {row[0].value: row[0].row for row in ws.iter_rows(min_row=4, max_col=1) if row[0].value}
    for question in questionnaire.questions:
        answer = ws.cell(row=rows[question.id], column=6)
        assert not answer.protection.locked
        assert ws.cell(row=rows[question.id], column=4).protection.locked
        dv = validations[answer.coordinate]
        if question.options:
            assert dv.type == "list"  # type: ignore[attr-defined]
            reference = dv.formula1.split("!")[1].replace("$", "")  # type: ignore[attr-defined]
            labels = tuple(cell.value for row in meta[reference] for cell in row)
            assert labels == question.choices
        elif question.type == "number":
            assert dv.type in ("decimal", "custom")  # type: ignore[attr-defined]


def test_certificate_dates_and_performance_numbers_carry_typed_validation(workbook: openpyxl.Workbook) -> None:
    certificates = _validations(workbook["Certificates"])
    assert certificates["H4"].type == "date"  # type: ignore[attr-defined]
    assert workbook["Certificates"]["H4"].number_format == "yyyy-mm-dd"
    performance = _validations(workbook["Performance"])
    kinds = {workbook["Performance"].cell(row=int(ref[1:]), column=1).value: dv.type for ref, dv in performance.items()}  # type: ignore[attr-defined]
    assert kinds["Deliveries"] == "whole"
    assert kinds["On-time delivery"] == "decimal"


def test_supplier_details_are_prefilled_as_text(workbook: openpyxl.Workbook) -> None:
    supplier = workbook["Supplier"]
    assert supplier["B4"].value == "=Acme"
    assert supplier["B4"].data_type == "s"
    assert supplier["B5"].value == "GB-1"


def test_checksum_changes_with_what_the_supplier_sees(questionnaire: Questionnaire) -> None:
    import dataclasses

    changed = dataclasses.replace(
        questionnaire, sha256="", questions=(dataclasses.replace(questionnaire.questions[0], text="Reworded?"),)
    )
    assert L.template_checksum(changed) != L.template_checksum(questionnaire)
    assert L.template_checksum(questionnaire) == L.template_checksum(dataclasses.replace(questionnaire))


def test_the_render_hook_writes_the_template_for_a_supplier(questionnaire: Questionnaire) -> None:
    import supplier_qual
    from supplier_qual.model import Template

    pm = supplier_qual.get_plugin_manager(load_entrypoints=False)
    supplier = Supplier(name="Castlegate Plating Ltd", id="GB-COH-09876543", scheme="GB-COH", country="GB")
    rendered = supplier_qual.render(Template(questionnaire, supplier), "xlsx", pm=pm)
    assert isinstance(rendered, bytes)
    wb = openpyxl.load_workbook(io.BytesIO(rendered))
    assert wb.sheetnames[:5] == [L.INSTRUCTIONS, L.SUPPLIER, L.QUESTIONNAIRE, L.CERTIFICATES, L.PERFORMANCE]
    form = {str(r[0].value).rstrip(" *"): r[1].value for r in wb[L.SUPPLIER].iter_rows(min_row=4)}
    assert form["Supplier name"] == "Castlegate Plating Ltd" and form["Identifier scheme"] == "GB-COH"
    blank = supplier_qual.render(Template(questionnaire), "xlsx", pm=pm)
    assert isinstance(blank, bytes)
    assert openpyxl.load_workbook(io.BytesIO(blank))[L.SUPPLIER]["B4"].value is None
