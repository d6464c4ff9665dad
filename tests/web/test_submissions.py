"""Uploading self-assessments: assessed as the core assesses them, idempotent, refused whole when wrong."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest

import supplier_qual
from supplier_qual.model import Questionnaire

from ..xlsx_corpus import fill
from .conftest import AS_OF, BRIGHTLINE, NORTHWIND, NORTHWIND_JSON, Register

TABLES = ("blobs", "submissions", "assessments", "assessment_scores", "audit_log")


def counts(register: Register) -> dict[str, int]:
    return {table: register.count(table) for table in TABLES}


def test_upload_is_assessed_exactly_as_the_core_assesses_it(
    any_register: Register, expected_json: Callable[..., dict[str, Any]]
) -> None:
    response = any_register.upload(NORTHWIND, NORTHWIND_JSON.read_bytes(), "northwind.json")
    assert response.status_code == 201
    body = response.json
    expected = expected_json(NORTHWIND_JSON)
    assert body["assessment"] == expected
    assert body["computed_decision"] == body["decision"] == expected["overall"]["decision"]
    assert body["overall_score"] == expected["overall"]["score"]
    assert body["submission"]["file_sha256"] == hashlib.sha256(NORTHWIND_JSON.read_bytes()).hexdigest()
    assert body["submission"]["questionnaire_id"] == expected["questionnaire"]["id"]
    assert body["trigger"] == "upload" and body["as_of"] == AS_OF.isoformat()
    assert response.headers["Location"] == f"/api/v1/assessments/{body['id']}"
    again = any_register.call("GET", response.headers["Location"], "buyer")
    assert again.json == body


def test_the_same_bytes_again_answer_200_with_the_same_assessment_and_store_nothing(any_register: Register) -> None:
    data = NORTHWIND_JSON.read_bytes()
    first = any_register.upload(NORTHWIND, data, "a.json")
    before = counts(any_register)
    second = any_register.upload(NORTHWIND, data, "renamed.json")
    raw = any_register.call(
        "POST", f"/api/v1/suppliers/{NORTHWIND}/submissions", "buyer", data=data, content_type="application/json"
    )
    assert (first.status_code, second.status_code, raw.status_code) == (201, 200, 200)
    assert second.json == first.json == raw.json
    assert counts(any_register) == before
    assert any_register.count("submissions") == 1


def test_the_same_file_for_another_supplier_is_its_own_submission(any_register: Register) -> None:
    data = json.loads(NORTHWIND_JSON.read_bytes())
    data["supplier"].pop("id")
    payload = json.dumps(data).encode()
    assert any_register.upload(NORTHWIND, payload).status_code == 201
    assert any_register.upload(BRIGHTLINE, payload).status_code == 201
    assert any_register.count("submissions") == 2
    assert any_register.count("blobs") == 1


def test_a_refused_workbook_lists_every_problem_by_cell_and_stores_nothing(
    register: Register, questionnaire: Questionnaire
) -> None:
    answers = {q.id: "Maybe" for q in questionnaire.questions[:2] if q.options}
    workbook = fill(questionnaire, answers=answers or None)
    before = counts(register)
    response = register.upload(NORTHWIND, workbook, "northwind.xlsx", who="supplier")
    assert response.status_code == 422
    errors = response.json["errors"]
    assert len(errors) >= len(answers) >= 1
    assert all(e["location"].startswith("Questionnaire!") for e in errors[: len(answers)])
    assert all("Maybe" in e["message"] for e in errors[: len(answers)])
    assert counts(register) == before


def test_a_good_workbook_is_assessed_and_its_cells_stay_precise(
    register: Register, questionnaire: Questionnaire
) -> None:
    workbook = fill(questionnaire)
    response = register.upload(NORTHWIND, workbook, "northwind.xlsx", who="supplier")
    assert response.status_code == 201, response.json
    expected = supplier_qual.render(
        supplier_qual.assess(supplier_qual.read_submission(workbook, filename="northwind.xlsx"), as_of=AS_OF), "json"
    )
    assert isinstance(expected, str)
    assert response.json["assessment"] == json.loads(expected)
    assert register.upload(NORTHWIND, workbook, "northwind.xlsx", who="supplier").status_code == 200


@pytest.mark.parametrize(
    ("payload", "filename", "where"),
    [
        (b"{not json", "x.json", "line 1 column 2"),
        (b"PK\x03\x04 not really a workbook", "x.xlsx", ""),
        (b"plain words", "notes.txt", ""),
    ],
)
def test_unreadable_files_are_422_with_the_one_error_shape(
    register: Register, payload: bytes, filename: str, where: str
) -> None:
    response = register.upload(NORTHWIND, payload, filename)
    assert response.status_code == 422
    assert set(response.json) == {"errors"}
    assert all(set(e) == {"location", "message"} for e in response.json["errors"])
    if where:
        assert response.json["errors"][0]["location"] == where
    assert register.count("submissions") == 0


def test_a_submission_naming_another_supplier_is_refused(register: Register) -> None:
    response = register.upload(BRIGHTLINE, NORTHWIND_JSON.read_bytes(), "northwind.json")
    assert response.status_code == 422
    assert response.json["errors"] == [
        {"location": "$.supplier.id", "message": f"this submission is for supplier {NORTHWIND}, not {BRIGHTLINE}"}
    ]
    assert register.count("submissions") == 0


def test_an_upload_over_the_limit_is_refused_before_it_is_read(
    register: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPPLIER_QUAL_MAX_BYTES", "2000")
    big = b'{"padding": "' + b"x" * 200_000 + b'"}'
    response = register.upload(NORTHWIND, big, "big.json")
    assert response.status_code == 413
    assert response.json == {"errors": [{"location": "", "message": "the request is larger than this service accepts"}]}
    near = b'{"padding": "' + b"x" * 3000 + b'"}'
    refused = register.upload(NORTHWIND, near, "near.json")
    assert refused.status_code == 422
    assert "at most 2,000" in refused.json["errors"][0]["message"]
    assert register.count("blobs") == 0


def test_missing_file_field_and_empty_file(register: Register) -> None:
    response = register.call(
        "POST",
        f"/api/v1/suppliers/{NORTHWIND}/submissions",
        "buyer",
        data={"other": (io.BytesIO(b"x"), "x.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert response.json["errors"][0]["location"] == "files.file"
    assert register.upload(NORTHWIND, b"", "empty.json").status_code == 422


def test_text_and_workbook_renderings(register: Register, questionnaire: Questionnaire) -> None:
    made = register.upload(NORTHWIND, NORTHWIND_JSON.read_bytes(), "northwind.json").json
    text = register.call("GET", f"/api/v1/assessments/{made['id']}?format=text", "buyer")
    assert text.status_code == 200 and text.mimetype == "text/plain"
    assert "Northwind Components Ltd" in text.get_data(as_text=True)
    book = register.call("GET", f"/api/v1/assessments/{made['id']}?format=xlsx", "supplier")
    assert book.status_code == 200
    assert book.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert openpyxl.load_workbook(io.BytesIO(book.data)).sheetnames
    assert register.call("GET", f"/api/v1/assessments/{made['id']}?format=pdf", "buyer").status_code == 422


def test_history_lists_every_assessment_newest_first_with_cursor_pages(register: Register) -> None:
    data = json.loads(NORTHWIND_JSON.read_bytes())
    ids = []
    for n in range(3):
        data["answers"]["A1"]["comment"] = f"revision {n}"
        ids.append(register.upload(NORTHWIND, json.dumps(data).encode()).json["id"])
    page = register.call("GET", f"/api/v1/suppliers/{NORTHWIND}/assessments?limit=2", "supplier").json
    assert [a["id"] for a in page["items"]] == ids[::-1][:2]
    rest = register.call(
        "GET", f"/api/v1/suppliers/{NORTHWIND}/assessments?limit=2&cursor={page['next_cursor']}", "supplier"
    ).json
    assert [a["id"] for a in rest["items"]] == ids[:1] and rest["next_cursor"] is None
    bad = register.call("GET", f"/api/v1/suppliers/{NORTHWIND}/assessments?cursor=%%%", "supplier")
    assert bad.status_code == 422 and bad.json["errors"][0]["location"] == "query.cursor"
