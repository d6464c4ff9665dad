"""Importing a filled-in workbook: by header text, forgiving of typing habits, every problem at its cell."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pluggy
import pytest

import supplier_qual
from supplier_qual.adapters.xlsx.reader import read_workbook
from supplier_qual.adapters.xlsx.template import build_template
from supplier_qual.catalog import Catalog
from supplier_qual.errors import SubmissionError
from supplier_qual.model import Performance, Questionnaire
from supplier_qual.schemas.assessment import assessment_to_dict

from .conftest import AS_OF
from .xlsx_corpus import CERTIFICATE_ROW, best_answers, fill


def _read(data: bytes, catalog: Catalog, questionnaire: Questionnaire | None = None) -> Any:
    return read_workbook(data, "supplier.xlsx", questionnaire=questionnaire, catalog=catalog)


def _problems(data: bytes, catalog: Catalog, questionnaire: Questionnaire | None = None) -> list[str]:
    with pytest.raises(SubmissionError) as caught:
        _read(data, catalog, questionnaire)
    return [str(problem) for problem in caught.value.problems]


def _without_provenance(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "provenance"}


def test_workbook_assesses_like_the_same_answers_in_json(
    pm: pluggy.PluginManager,
    catalog: Catalog,
    questionnaire: Questionnaire,
    make_submission: Callable[..., dict[str, Any]],
) -> None:
    submission = _read(fill(questionnaire), catalog)
    as_json = make_submission()
    as_json["supplier"] = {"name": "Northwind Components Ltd", "country": "GB"}
    for qid, answer in as_json["answers"].items():
        answer["value"] = best_answers(questionnaire)[qid]
    from_xlsx = supplier_qual.assess(submission, as_of=AS_OF, pm=pm)
    from_json = supplier_qual.assess(as_json, as_of=AS_OF, pm=pm)
    assert _without_provenance(assessment_to_dict(from_xlsx)) == _without_provenance(assessment_to_dict(from_json))
    assert from_xlsx.decision is not None
    assert from_xlsx.decision.decision == "qualified"


def test_every_value_knows_its_cell(catalog: Catalog, questionnaire: Questionnaire) -> None:
    submission = _read(fill(questionnaire), catalog)
    assert submission.location("answers.A1.value") == "Questionnaire!F5"
    assert submission.location("answers.A1.evidence") == "Questionnaire!G5"
    assert submission.location("answers.A1") == "Questionnaire!A5"
    assert submission.location("supplier.name") == "Supplier!B4"
    assert submission.location("certificates[0].issued") == "Certificates!H4"
    assert submission.certificates[0].issued == dt.date(2024, 3, 15)
    assert submission.certificates[0].iaf_codes == (17,)
    assert submission.performance is None


def test_every_problem_is_reported_at_once_each_at_its_cell(catalog: Catalog, questionnaire: Questionnaire) -> None:
    answers = best_answers(questionnaire)
    answers.update({"A1": "Maybe", "E2": "lots"})

    def edit(wb: openpyxl.Workbook) -> None:
        ws = wb["Questionnaire"]
        ws["A6"] = "A1"
        ws["A200"], ws["F200"] = "Z9", "Yes"

    data = fill(
        questionnaire,
        answers,
        supplier={"Supplier name": "  "},
        certificates=[{**CERTIFICATE_ROW, "Expires": "31/02/2027", "IAF codes": "17a"}, {"Scope": "Welding"}],
        performance={"Lots received": 10, "Lots rejected": 12},
        edit=edit,
    )
    assert _problems(data, catalog) == [
        'supplier.xlsx: Certificates!G4: "17a" is not an IAF code (whole numbers from 1 to 39, separated by commas)',
        'supplier.xlsx: Certificates!I4: "31/02/2027" is not a date (slashed dates are read day/month/year)',
        "supplier.xlsx: Certificates!A5: the standard is required",
        "supplier.xlsx: Performance!B9: more lots rejected than received",
        'supplier.xlsx: Questionnaire!F5: "Maybe" is not one of Yes, Partly, No',
        "supplier.xlsx: Questionnaire!A6: question A1 appears twice (also in row 5)",
        'supplier.xlsx: Questionnaire!F36: "lots" is not a number',
        "supplier.xlsx: Questionnaire!A200: unknown question Z9: not in questionnaire iso9001-outcomes 1.1",
        "supplier.xlsx: Supplier!B4: the supplier's name is required",
    ]


def test_columns_are_found_by_header_text_not_position(catalog: Catalog, questionnaire: Questionnaire) -> None:
    original = _read(fill(questionnaire, comments={"A1": "see annex"}), catalog)

    def rearrange(wb: openpyxl.Workbook) -> None:
        ws = wb["Questionnaire"]
        ws.insert_cols(1)  # an extra column of the supplier's own, before everything
        ws["A3"] = "Internal ref"
        ws.insert_rows(6, amount=2)  # blank rows between questions
        answer, comment = [[cell.value for cell in column] for column in ws.iter_cols(min_col=7, max_col=9)][0::2]
        for row, (a, c) in enumerate(zip(answer, comment, strict=True), start=1):
            ws.cell(row=row, column=7).value, ws.cell(row=row, column=9).value = c, a
        ws["G3"], ws["I3"], ws["H3"], ws["B3"] = "  COMMENTS ", "answer", "Evidence (document ref.)", "id"
        for row in ws.iter_rows(min_row=4, min_col=9, max_col=9):
            if isinstance(row[0].value, str):
                row[0].value = f"  {row[0].value}  "

    moved = _read(fill(questionnaire, comments={"A1": "see annex"}, edit=rearrange), catalog)
    assert moved == original
    assert moved.location("answers.A1.value") == "Questionnaire!I5"


def test_typing_habits_are_understood(catalog: Catalog, questionnaire: Questionnaire) -> None:
    data = fill(
        questionnaire,
        {**best_answers(questionnaire), "E2": " 97,5 "},
        certificates=[{**CERTIFICATE_ROW, "Issued": "15/03/2024", "Expires": "2027-03-14", "IAF codes": "17; 18"}],
        performance={"Deliveries": "1,000", "On-time delivery": "97,5 %", "Defect rate": 350, "Period covered": "12"},
    )
    submission = _read(data, catalog)
    certificate = submission.certificates[0]
    assert (certificate.issued, certificate.expires, certificate.iaf_codes) == (
        dt.date(2024, 3, 15),
        dt.date(2027, 3, 14),
        (17, 18),
    )
    assert submission.performance == Performance(
        period_months=12, deliveries=1000, on_time_delivery_pct=97.5, defect_ppm=350.0
    )
    assert submission.answers["E2"].value == "97,5"


def test_another_questionnaire_version_is_refused_saying_both(catalog: Catalog, questionnaire: Questionnaire) -> None:
    def older(wb: openpyxl.Workbook) -> None:
        wb["_meta"]["B2"] = "0.9"

    data = fill(questionnaire, edit=older)
    assert _problems(data, catalog) == [
        "supplier.xlsx: _meta!B2: this workbook is for questionnaire iso9001-outcomes version 0.9, but version 1.1 "
        "is expected: download a new template and copy your answers over"
    ]
    assert _problems(data, catalog, questionnaire) == [
        "supplier.xlsx: _meta!B2: this workbook is for questionnaire iso9001-outcomes version 0.9, but "
        "iso9001-outcomes version 1.1 is expected: download a new template and copy your answers over"
    ]


def test_another_edition_of_the_same_version_is_refused(catalog: Catalog, questionnaire: Questionnaire) -> None:
    def tampered(wb: openpyxl.Workbook) -> None:
        wb["_meta"]["B3"] = "0" * 64

    assert _problems(fill(questionnaire, edit=tampered), catalog) == [
        "supplier.xlsx: _meta!B3: this workbook was made from another edition of questionnaire iso9001-outcomes "
        "1.1 (its template checksum does not match): download a new template and copy your answers over"
    ]


def test_the_digest_is_of_the_content_not_the_bytes(catalog: Catalog, questionnaire: Questionnaire) -> None:
    template = build_template(questionnaire)
    first = fill(questionnaire, template=template)
    resaved = io.BytesIO()
    wb = openpyxl.load_workbook(io.BytesIO(first))
    wb.properties.creator = "someone else"
    wb.save(resaved)
    assert resaved.getvalue() != first
    assert _read(first, catalog).sha256 == _read(resaved.getvalue(), catalog).sha256
    changed = fill(questionnaire, {**best_answers(questionnaire), "A1": "Partly"}, template=template)
    assert _read(changed, catalog).sha256 != _read(first, catalog).sha256


def test_the_reader_plugin_claims_spreadsheets_only(pm: pluggy.PluginManager, questionnaire: Questionnaire) -> None:
    data = fill(questionnaire)
    submission = supplier_qual.read_submission(data, filename="upload.xlsx", pm=pm)
    assert submission.source == "upload.xlsx"
    with pytest.raises(SubmissionError, match=r"upload\.xls: this is a legacy Excel 97-2003 workbook"):
        supplier_qual.read_submission(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), filename="upload.xls", pm=pm)
    named_by_type = supplier_qual.read_submission(
        data,
        filename="upload",
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        pm=pm,
    )
    assert named_by_type == submission


def test_certificate_sites_country_and_consultant(catalog: Catalog, questionnaire: Questionnaire) -> None:
    row = {
        **CERTIFICATE_ROW,
        "Holder country": "GB",
        "Certified sites": "Leeds, GB; Hull, United Kingdom\nRotherham",
        "QMS consultant": "Acme Quality Consulting",
    }
    [certificate] = _read(fill(questionnaire, certificates=[row]), catalog).certificates
    assert certificate.country == "GB"
    assert certificate.consultant == "Acme Quality Consulting"
    assert [(s.city, s.country, s.main) for s in certificate.sites] == [
        ("Leeds", "GB", True),
        ("Hull", "United Kingdom", False),
        ("Rotherham", "", False),
    ]
