"""Bad input gets a clear, located error listing every problem; nothing half-assessed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pluggy
import pytest

import supplier_qual

from .conftest import AS_OF, write_json

Make = Callable[..., dict[str, Any]]


def _problems(pm: pluggy.PluginManager, source: Any) -> list[str]:
    with pytest.raises(supplier_qual.InputError) as caught:
        supplier_qual.assess(source, as_of=AS_OF, pm=pm)
    return [str(p) for p in caught.value.problems]


def test_malformed_json(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    path = tmp_path / "acme.json"
    path.write_text('{"supplier": {"name": "ACME"},\n "answers": {', encoding="utf-8")
    assert _problems(pm, path) == [
        f"{path}: line 2 column 14: not valid JSON: Expecting property name enclosed in double quotes"
    ]


def test_not_utf8(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    path = tmp_path / "acme.json"
    path.write_bytes(b'{"supplier": {"name": "\xff"}}')
    assert _problems(pm, path) == [f"{path}: byte 23: not UTF-8 text"]


def test_json_that_is_not_an_object(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    assert _problems(pm, write_json(tmp_path / "list.json", [1, 2])) == [
        f"{tmp_path / 'list.json'}: $: expected an object, found list"
    ]


def test_wrong_types_are_all_reported(pm: pluggy.PluginManager, make_submission: Make, tmp_path: Path) -> None:
    data = make_submission()
    data["supplier"]["name"] = ""
    data["answers"]["A2"] = {"value": True, "evidence": 3, "colour": "red"}
    data["certificates"][0]["issued"] = "15/03/2024"
    data["certificates"][0]["iaf_codes"] = [17, 40]
    data["performance"] = {"defect_ppm": "lots"}
    data["extra"] = 1
    path = write_json(tmp_path / "acme.json", data)
    assert sorted(_problems(pm, path)) == sorted(
        f"{path}: {p}"
        for p in [
            "$.supplier.name: the supplier's name is required",
            "$.answers.A2.value: expected text or a number, found true/false",
            "$.answers.A2.evidence: expected text",
            "$.answers.A2.colour: unknown field (not part of the format)",
            "$.certificates[0].issued: Not a valid date.",
            "$.certificates[0].iaf_codes[1]: IAF sector codes run from 1 to 39",
            "$.performance.defect_ppm: Not a valid number.",
            "$.extra: unknown field (not part of the format)",
        ]
    )


def test_unknown_question_ids_and_bad_values_together(pm: pluggy.PluginManager, make_submission: Make) -> None:
    data = make_submission({"A2": "Maybe", "E2": "lots"})
    data["answers"]["Z9"] = {"value": "yes"}
    assert _problems(pm, data) == [
        '$.answers.A2.value: "Maybe" is not one of Yes, Partly, No',
        '$.answers.E2.value: "lots" is not a number',
        "$.answers.Z9: unknown question Z9: not in questionnaire iso9001-outcomes 1.1",
    ]


def test_unknown_questionnaire_version(pm: pluggy.PluginManager, make_submission: Make) -> None:
    data = make_submission()
    data["questionnaire"]["version"] = "9.9"
    assert _problems(pm, data) == [
        "$.questionnaire.version: questionnaire iso9001-outcomes has no version '9.9'; installed: 1.0, 1.1"
    ]


def test_unknown_questionnaire(pm: pluggy.PluginManager, make_submission: Make) -> None:
    data = make_submission()
    data["questionnaire"] = {"id": "food-safety", "version": "1.0"}
    assert _problems(pm, data) == [
        "$.questionnaire.id: unknown questionnaire 'food-safety'; installed: iso9001-outcomes"
    ]


def test_unknown_questionnaire_by_id(pm: pluggy.PluginManager) -> None:
    with pytest.raises(supplier_qual.UnknownQuestionnaireError, match="installed: iso9001-outcomes"):
        supplier_qual.load_questionnaire("nope", pm=pm)


def test_missing_questionnaire_reference_uses_the_default(pm: pluggy.PluginManager, make_submission: Make) -> None:
    data = make_submission()
    del data["questionnaire"]
    assert supplier_qual.assess(data, as_of=AS_OF, pm=pm).questionnaire.version == "1.1"


def test_unsupported_file_type(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    path = tmp_path / "acme.pdf"
    path.write_bytes(b"%PDF-1.7")
    assert _problems(pm, path) == [f"{path}: not a format supplier_qual can read (use .json or .xlsx)"]


def test_missing_file(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    assert _problems(pm, tmp_path / "gone.json") == [
        f"{tmp_path / 'gone.json'}: cannot read the file: No such file or directory"
    ]


def test_answers_may_be_bare_values(pm: pluggy.PluginManager, make_submission: Make) -> None:
    data = make_submission()
    data["answers"] = {qid: answer["value"] for qid, answer in data["answers"].items()}
    assessment = supplier_qual.assess(json.loads(json.dumps(data)), as_of=AS_OF, pm=pm)
    assert assessment.decision is not None


@pytest.mark.parametrize("fast", [True, False], ids=["fast path", "schema"])
def test_a_null_supplier_name_is_a_located_problem(
    pm: pluggy.PluginManager, make_submission: Make, monkeypatch: pytest.MonkeyPatch, fast: bool
) -> None:
    if not fast:
        monkeypatch.setattr("supplier_qual.submission.submission_parts", lambda _: None)
    data = make_submission()
    data["supplier"]["name"] = None
    assert _problems(pm, data) == ["$.supplier.name: the supplier's name is required"]


@pytest.mark.parametrize("fast", [True, False], ids=["fast path", "schema"])
@pytest.mark.parametrize("number", [10**400, -(10**400)])
def test_a_whole_number_too_large_for_any_answer_is_a_located_problem(
    pm: pluggy.PluginManager, make_submission: Make, monkeypatch: pytest.MonkeyPatch, fast: bool, number: int
) -> None:
    if not fast:
        monkeypatch.setattr("supplier_qual.submission.submission_parts", lambda _: None)
    data = make_submission()
    data["answers"]["E2"] = number
    data["answers"]["A2"] = {"value": number, "evidence": "QM-01"}
    assert _problems(pm, data) == [
        "$.answers.A2.value: too large a number",
        "$.answers.E2: too large a number",
    ]
