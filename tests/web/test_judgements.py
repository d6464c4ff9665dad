"""The buyer's performance data, overrides beside the computed decision, and what changed between assessments."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import supplier_qual

from .conftest import BRIGHTLINE, NORTHWIND, NORTHWIND_JSON, PERFORMANCE_JSON, Register


def put_performance(register: Register, body: bytes, *, media: str = "application/json", who: str = "buyer") -> Any:
    return register.call("PUT", f"/api/v1/suppliers/{NORTHWIND}/performance", who, data=body, content_type=media)


def figures() -> supplier_qual.Performance:
    [record] = supplier_qual.read_performance(PERFORMANCE_JSON)
    return record.performance


def test_performance_data_re_assesses_the_latest_submission(
    any_register: Register, expected_json: Callable[..., dict[str, Any]]
) -> None:
    first = any_register.upload(NORTHWIND, NORTHWIND_JSON.read_bytes()).json
    response = put_performance(any_register, PERFORMANCE_JSON.read_bytes())
    assert response.status_code == 200, response.json
    body = response.json
    assert body["supplier_id"] == NORTHWIND
    assert body["performance"]["on_time_delivery_pct"] == figures().on_time_delivery_pct
    again = body["assessment"]
    assert again["trigger"] == "performance" and again["id"] != first["id"]
    assert again["submission"]["id"] == first["submission"]["id"]
    assert again["performance_id"] == body["performance_id"]
    assert again["assessment"] == expected_json(NORTHWIND_JSON, figures())
    assert again["assessment"] != first["assessment"]
    history = any_register.call("GET", f"/api/v1/suppliers/{NORTHWIND}/assessments", "buyer").json["items"]
    assert [a["id"] for a in history] == [again["id"], first["id"]]
    assert history[1]["assessment"] == first["assessment"]
    audit = any_register.call("GET", "/api/v1/audit?action=performance.update", "admin").json["items"]
    assert audit[0]["supplier_id"] == NORTHWIND and audit[0]["detail"]["assessment_id"] == again["id"]


def test_performance_before_any_submission_is_kept_for_the_first_one(
    register: Register, expected_json: Callable[..., dict[str, Any]]
) -> None:
    response = put_performance(register, PERFORMANCE_JSON.read_bytes())
    assert response.status_code == 200 and response.json["assessment"] is None
    made = register.upload(NORTHWIND, NORTHWIND_JSON.read_bytes()).json
    assert made["performance_id"] == response.json["performance_id"]
    assert made["assessment"] == expected_json(NORTHWIND_JSON, figures())


def test_figures_for_another_supplier_are_refused_and_nothing_is_stored(register: Register) -> None:
    register.upload(NORTHWIND, NORTHWIND_JSON.read_bytes())
    data = json.loads(PERFORMANCE_JSON.read_bytes()) | {"supplier_id": BRIGHTLINE}
    response = put_performance(register, json.dumps(data).encode())
    assert response.status_code == 422
    assert response.json["errors"] == [
        {"location": "$.supplier_id", "message": f"these figures are for supplier {BRIGHTLINE}, not {NORTHWIND}"}
    ]
    assert register.count("performance_records") == 0
    assert register.count("assessments") == 1
    same = json.loads(PERFORMANCE_JSON.read_bytes()) | {"supplier_id": NORTHWIND}
    assert put_performance(register, json.dumps(same).encode()).status_code == 200


def test_a_file_of_many_suppliers_is_refused_unless_it_holds_only_this_one(register: Register) -> None:
    many = {"suppliers": [{"supplier_id": NORTHWIND, "deliveries": 10}, {"supplier_id": BRIGHTLINE, "deliveries": 5}]}
    response = put_performance(register, json.dumps(many).encode())
    assert response.status_code == 422
    assert response.json["errors"] == [
        {
            "location": "$.suppliers[1].supplier_id",
            "message": f"these figures are for supplier {BRIGHTLINE}, not {NORTHWIND}",
        }
    ]
    absent = put_performance(register, json.dumps({"suppliers": [{"supplier_id": BRIGHTLINE}]}).encode())
    assert absent.status_code == 422
    only = put_performance(register, json.dumps({"suppliers": [{"supplier_id": NORTHWIND, "deliveries": 10}]}).encode())
    assert only.status_code == 200 and only.json["performance"]["deliveries"] == 10
    assert register.count("performance_records") == 1


def test_invalid_figures_are_located(register: Register) -> None:
    response = put_performance(register, json.dumps({"on_time_delivery_pct": 140, "lots": 3}).encode())
    assert response.status_code == 422
    locations = {e["location"] for e in response.json["errors"]}
    assert {"$.on_time_delivery_pct", "$.lots"} <= locations
    assert register.count("performance_records") == 0


def test_performance_as_csv(register: Register) -> None:
    register.upload(NORTHWIND, NORTHWIND_JSON.read_bytes())
    csv = b"supplier_id,period_months,deliveries,on_time_delivery_pct,defect_ppm\r\nGB-COH-04567123,12,300,88.5,900\r\n"
    response = put_performance(register, csv, media="text/csv")
    assert response.status_code == 200, response.json
    assert response.json["performance"]["deliveries"] == 300
    assert response.json["assessment"]["assessment"]["outcomes"]["F"]["assurance"] == "observed"
    bad = put_performance(register, b"period_months,deliveries\r\n12,lots\r\n", media="text/csv")
    assert bad.status_code == 422
    assert bad.json["errors"] == [{"location": "line 2, column deliveries", "message": "Not a valid integer."}]


def test_override_stands_beside_the_computed_decision_with_its_audit_entry(any_register: Register) -> None:
    made = any_register.upload(NORTHWIND, NORTHWIND_JSON.read_bytes()).json
    computed = made["computed_decision"]
    response = any_register.call(
        "POST",
        f"/api/v1/assessments/{made['id']}/override",
        "buyer",
        json={"decision": "conditional", "reason": "  Open customer complaint from the March audit  "},
    )
    assert response.status_code == 201
    override = response.json
    assert override["decision"] == "conditional" and override["computed_decision"] == computed
    assert override["reason"] == "Open customer complaint from the March audit"
    assert override["by"] == "buyer account"
    shown = any_register.call("GET", f"/api/v1/assessments/{made['id']}", "supplier").json
    assert shown["decision"] == "conditional" and shown["computed_decision"] == computed
    assert shown["assessment"] == made["assessment"]
    assert [o["id"] for o in shown["overrides"]] == [override["id"]]
    text = any_register.call("GET", f"/api/v1/assessments/{made['id']}?format=text", "buyer").get_data(as_text=True)
    assert "Open customer complaint from the March audit" in text and "CONDITIONAL" in text
    listed = any_register.call("GET", "/api/v1/suppliers?decision=conditional", "buyer").json["items"]
    assert [s["id"] for s in listed] == [NORTHWIND]
    assert listed[0]["latest_assessment"]["overridden"] is True
    entry = any_register.call("GET", "/api/v1/audit?action=assessment.override", "admin").json["items"][0]
    assert entry["subject_id"] == str(made["id"]) and entry["role"] == "buyer" and entry["actor"] == "buyer account"
    assert entry["detail"] == {
        "computed": computed,
        "decision": "conditional",
        "reason": "Open customer complaint from the March audit",
        "override_id": override["id"],
    }
    assert entry["remote_addr"] and entry["request_id"]


def test_override_needs_a_decision_and_a_reason(register: Register) -> None:
    made = register.upload(NORTHWIND, NORTHWIND_JSON.read_bytes()).json
    path = f"/api/v1/assessments/{made['id']}/override"
    response = register.call("POST", path, "buyer", json={"decision": "excellent", "reason": "   "})
    assert response.status_code == 422
    assert {e["location"] for e in response.json["errors"]} == {"$.decision", "$.reason"}
    assert register.call("POST", path, "buyer", json={"decision": "qualified"}).status_code == 422
    assert register.count("overrides") == 0


def test_diff_says_what_changed(register: Register) -> None:
    data = json.loads(NORTHWIND_JSON.read_bytes())
    before = register.upload(NORTHWIND, json.dumps(data).encode()).json
    data["answers"]["G2"] = {"value": "no", "evidence": "", "comment": ""}
    data["certificates"][0]["number"] = "FM 999999"
    after = register.upload(NORTHWIND, json.dumps(data).encode())
    assert after.status_code == 201, after.json
    later = after.json
    diff = register.call("GET", f"/api/v1/assessments/{before['id']}/diff/{later['id']}", "supplier").json
    assert diff["changed"] is True
    assert diff["before"] == before["id"] and diff["after"] == later["id"]
    assert diff["computed_decision"] == {
        "before": before["assessment"]["overall"]["decision"],
        "after": later["assessment"]["overall"]["decision"],
    }
    assert diff["overall_score"]["before"] == before["overall_score"]
    assert "G" in {o["outcome"] for o in diff["outcomes"]}
    assert diff["certificates_added"] == ["FM 999999"]
    assert diff["certificates_removed"] == [before["assessment"]["certificates"][0]["number"]]
    assert diff["findings_added"] or diff["findings_removed"] or diff["outcomes"]
    same = register.call("GET", f"/api/v1/assessments/{before['id']}/diff/{before['id']}", "buyer").json
    assert same["changed"] is False and same["outcomes"] == [] and same["findings_added"] == []


def test_diff_across_suppliers_is_refused(register: Register) -> None:
    a = register.upload(NORTHWIND, NORTHWIND_JSON.read_bytes()).json
    other = json.loads(NORTHWIND_JSON.read_bytes())
    other["supplier"]["id"] = BRIGHTLINE
    b = register.upload(BRIGHTLINE, json.dumps(other).encode()).json
    response = register.call("GET", f"/api/v1/assessments/{a['id']}/diff/{b['id']}", "buyer")
    assert response.status_code == 422
