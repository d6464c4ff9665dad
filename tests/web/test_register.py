"""The register: suppliers searched and edited, the expiry watch, tenders and eligibility, the audit log, tokens."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from supplier_qual.web.store.models import Supplier, utcnow

from ..conftest import AS_OF
from .conftest import BRIGHTLINE, BRIGHTLINE_JSON, NORTHWIND, NORTHWIND_JSON, TENDER_YAML, Register


def add_suppliers(register: Register, count: int) -> list[str]:
    ids = [f"SUP-{n:03d}" for n in range(count)]
    with register.service.db.write() as session:
        now = utcnow()
        session.add_all(Supplier(id=i, name=f"Supplier {i} Ltd", created_at=now, updated_at=now) for i in ids)
    return ids


def test_create_read_and_patch_a_supplier_with_audit(any_register: Register) -> None:
    body = {"id": "DE-HRB-123456", "name": "Rheinland Gusswerk GmbH", "country": "DE", "email": "qm@example.com"}
    made = any_register.call("POST", "/api/v1/suppliers", "buyer", json=body)
    assert made.status_code == 201
    assert made.headers["Location"] == "/api/v1/suppliers/DE-HRB-123456"
    assert made.json["latest_assessment"] is None and made.json["email"] == "qm@example.com"
    again = any_register.call("POST", "/api/v1/suppliers", "buyer", json=body)
    assert again.status_code == 409 and again.json["errors"][0]["location"] == "$.id"
    patched = any_register.call("PATCH", "/api/v1/suppliers/DE-HRB-123456", "admin", json={"contact": "Anna Vogt"})
    assert patched.status_code == 200 and patched.json["contact"] == "Anna Vogt"
    assert patched.json["name"] == body["name"]
    empty = any_register.call("PATCH", "/api/v1/suppliers/DE-HRB-123456", "admin", json={})
    assert empty.status_code == 422
    unknown = any_register.call("PATCH", "/api/v1/suppliers/DE-HRB-123456", "admin", json={"rating": 5})
    assert unknown.status_code == 422 and unknown.json["errors"][0]["location"] == "$.rating"
    actions = [
        e["action"] for e in any_register.call("GET", "/api/v1/audit?supplier_id=DE-HRB-123456", "admin").json["items"]
    ]
    assert actions == ["supplier.update", "supplier.create"]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"name": "No Id Ltd"}, "$.id"),
        ({"id": "has space", "name": "X"}, "$.id"),
        ({"id": "OK-1", "name": "   "}, "$.name"),
        ({"id": "OK-1", "name": "X", "email": "not-an-email"}, "$.email"),
    ],
)
def test_invalid_suppliers_are_422_with_field_paths(register: Register, body: dict[str, str], where: str) -> None:
    response = register.call("POST", "/api/v1/suppliers", "buyer", json=body)
    assert response.status_code == 422
    assert where in {e["location"] for e in response.json["errors"]}


def test_search_by_decision_weak_outcome_expiry_and_text(any_register: Register) -> None:
    strong = any_register.upload(NORTHWIND, NORTHWIND_JSON.read_bytes()).json
    weak = any_register.upload(BRIGHTLINE, BRIGHTLINE_JSON.read_bytes()).json
    add_suppliers(any_register, 1)

    def ids(query: str) -> list[str]:
        response = any_register.call("GET", f"/api/v1/suppliers?{query}", "buyer")
        assert response.status_code == 200, response.json
        return [s["id"] for s in response.json["items"]]

    for decision in ("qualified", "conditional", "not_qualified"):
        having = sorted(a["supplier_id"] for a in (strong, weak) if a["decision"] == decision)
        assert ids(f"decision={decision}") == having
    brightline = weak["assessment"]
    lowest = min(brightline["outcomes"], key=lambda k: brightline["outcomes"][k]["score"])
    score = brightline["outcomes"][lowest]["score"]
    assert BRIGHTLINE in ids(f"outcome={lowest}&below={score + 0.1}")
    assert BRIGHTLINE not in ids(f"outcome={lowest}&below={score}")
    assert ids("below=0") == []
    assert ids("q=northwind") == [NORTHWIND]
    assert ids("q=cz-ico") == [BRIGHTLINE]
    assert ids("q=%25") == []
    expired_or_soon = ids("expiring_within=0")
    assert BRIGHTLINE in expired_or_soon and NORTHWIND not in expired_or_soon
    assert NORTHWIND in ids("expiring_within=3650")
    bad = any_register.call("GET", "/api/v1/suppliers?decision=great&limit=0", "buyer")
    assert bad.status_code == 422
    assert {e["location"] for e in bad.json["errors"]} == {"query.decision", "query.limit"}


def test_cursor_pagination_visits_every_supplier_once(register: Register) -> None:
    add_suppliers(register, 7)
    seen: list[str] = []
    cursor = None
    while True:
        query = "limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = register.call("GET", f"/api/v1/suppliers?{query}", "buyer").json
        seen += [s["id"] for s in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 9


def test_expiry_watch_over_the_register(any_register: Register) -> None:
    any_register.upload(NORTHWIND, NORTHWIND_JSON.read_bytes())
    any_register.upload(BRIGHTLINE, BRIGHTLINE_JSON.read_bytes())
    certificate = json.loads(NORTHWIND_JSON.read_bytes())["certificates"][0]
    expires = dt.date.fromisoformat(certificate["expires"])
    days = (expires - AS_OF).days
    watch = any_register.call("GET", f"/api/v1/certificates/expiring?days={days}", "buyer").json
    assert watch["as_of"] == AS_OF.isoformat() and watch["days"] == days
    events = {(d["supplier_id"], d["number"], d["event"]) for d in watch["due"]}
    assert (NORTHWIND, certificate["number"], "expires") in events
    assert [(d["supplier_id"], d["event"]) for d in watch["expired"]] == [(BRIGHTLINE, "expired")]
    dates = [d["date"] for d in watch["due"]]
    assert dates == sorted(dates)
    shorter = any_register.call("GET", f"/api/v1/certificates/expiring?days={days - 1}", "buyer").json
    assert (NORTHWIND, certificate["number"], "expires") not in {
        (d["supplier_id"], d["number"], d["event"]) for d in shorter["due"]
    }
    assert any_register.call("GET", "/api/v1/certificates/expiring?days=-1", "buyer").status_code == 422


def test_tenders_register_once_and_check_eligibility(any_register: Register) -> None:
    any_register.upload(NORTHWIND, NORTHWIND_JSON.read_bytes())
    any_register.upload(BRIGHTLINE, BRIGHTLINE_JSON.read_bytes())
    data = TENDER_YAML.read_bytes()
    made = any_register.call("POST", "/api/v1/tenders", "tender_officer", data=data, content_type="application/yaml")
    assert made.status_code == 201
    assert made.json["id"] == "T-2026-014" and made.json["requirements"] and made.json["eligibility"] == []
    same = any_register.call("POST", "/api/v1/tenders", "admin", data=data, content_type="application/yaml")
    assert same.status_code == 200
    changed = data.replace(b"min_overall: 60", b"min_overall: 70")
    conflict = any_register.call(
        "POST", "/api/v1/tenders", "tender_officer", data=changed, content_type="application/yaml"
    )
    assert conflict.status_code == 409
    run = any_register.call(
        "POST",
        "/api/v1/tenders/T-2026-014/eligibility",
        "tender_officer",
        json={"suppliers": [NORTHWIND, BRIGHTLINE], "as_of": AS_OF.isoformat()},
    )
    assert run.status_code == 201, run.json
    result = run.json["result"]
    assert [b["supplier"]["id"] for b in result["bidders"]] == [NORTHWIND, BRIGHTLINE]
    assert result["tender"]["id"] == "T-2026-014"
    shown = any_register.call("GET", "/api/v1/tenders/T-2026-014", "buyer").json
    assert shown["eligibility"][0]["result"] == result
    entry = any_register.call("GET", "/api/v1/audit?action=eligibility.run", "admin").json["items"][0]
    assert [b["supplier_id"] for b in entry["detail"]["bidders"]] == [NORTHWIND, BRIGHTLINE]


def test_eligibility_names_suppliers_it_cannot_check(register: Register) -> None:
    register.call(
        "POST", "/api/v1/tenders", "tender_officer", data=TENDER_YAML.read_bytes(), content_type="application/yaml"
    )
    response = register.call(
        "POST", "/api/v1/tenders/T-2026-014/eligibility", "tender_officer", json={"suppliers": [NORTHWIND, "NOPE-1"]}
    )
    assert response.status_code == 422
    assert [e["location"] for e in response.json["errors"]] == ["$.suppliers[0]", "$.suppliers[1]"]
    assert register.count("eligibility_runs") == 0
    missing = register.call(
        "POST", "/api/v1/tenders/T-9/eligibility", "tender_officer", json={"suppliers": [NORTHWIND]}
    )
    assert missing.status_code == 404


def test_a_bad_tender_file_is_located(register: Register) -> None:
    bad = b"id: T-1\ntitle: Framework\nrequirements:\n  min_overall: lots\n"
    response = register.call("POST", "/api/v1/tenders", "tender_officer", data=bad, content_type="application/yaml")
    assert response.status_code == 422
    assert any(e["location"].startswith("$.requirements") for e in response.json["errors"])
    assert register.count("tenders") == 0


def test_the_audit_log_cannot_be_changed_even_by_the_database_user(any_register: Register) -> None:
    any_register.upload(NORTHWIND, NORTHWIND_JSON.read_bytes())
    entries = any_register.count("audit_log")
    assert entries >= 1
    for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(DatabaseError, match="append-only"), any_register.service.db.write() as session:
            session.execute(text(statement))
    assert any_register.count("audit_log") == entries
    page = any_register.call("GET", "/api/v1/audit?limit=1", "admin").json
    assert len(page["items"]) == 1 and page["items"][0]["action"] == "submission.upload"


def test_tokens_api_validates_roles_and_supplier_binding(register: Register) -> None:
    bound = register.call("POST", "/api/v1/tokens", "admin", json={"role": "supplier"})
    assert bound.status_code == 422 and bound.json["errors"][0]["location"] == "$.supplier_id"
    nowhere = register.call("POST", "/api/v1/tokens", "admin", json={"role": "supplier", "supplier_id": "NOPE-1"})
    assert nowhere.status_code == 422
    stray = register.call("POST", "/api/v1/tokens", "admin", json={"role": "buyer", "supplier_id": NORTHWIND})
    assert stray.status_code == 422
    made = register.call("POST", "/api/v1/tokens", "admin", json={"role": "supplier", "supplier_id": NORTHWIND}).json
    assert made["token"].startswith("sq_") and len(made["token"]) >= 40
    stored = register.count("api_tokens")
    with register.service.db.read() as session:
        digests = [row[0] for row in session.execute(text("SELECT token_sha256 FROM api_tokens"))]
    assert made["token"] not in digests and len(digests) == stored
    own = register.client.get(f"/api/v1/suppliers/{NORTHWIND}", headers={"Authorization": f"Bearer {made['token']}"})
    assert own.status_code == 200


def test_ready_says_when_the_register_is_not_migrated(tmp_path, web_pm) -> None:  # type: ignore[no-untyped-def]
    from .conftest import make_app

    app = make_app(f"sqlite:///{tmp_path / 'empty.db'}", web_pm, AUTO_MIGRATE=False)
    response = app.test_client().get("/ready")
    assert response.status_code == 503
    assert response.json["database"] == "not migrated" and response.json["revision"] is None
    assert app.test_client().get("/health").json == {"status": "ok"}
    app.extensions["supplier_qual"].db.dispose()


def test_a_tender_system_tender_with_lots_and_its_own_bidders(register: Register) -> None:
    ocds = TENDER_YAML.with_name("valves-two-lots-ocds.json")
    if not ocds.is_file():
        pytest.skip("no OCDS tender example")
    register.upload(NORTHWIND, NORTHWIND_JSON.read_bytes())
    made = register.call(
        "POST", "/api/v1/tenders", "tender_officer", data=ocds.read_bytes(), content_type="application/json"
    )
    assert made.status_code == 201, made.json
    assert [lot["id"] for lot in made.json["lots"]] == ["LOT-1", "LOT-2"]
    run = register.call(
        "POST", f"/api/v1/tenders/{made.json['id']}/eligibility", "tender_officer", json={"suppliers": [NORTHWIND]}
    )
    assert run.status_code == 201, run.json
    entries = run.json["result"]["bidders"]
    assert len(entries) > 2 and {e.get("lot") for e in entries} >= {"LOT-1", "LOT-2"}
    seen = register.call("GET", f"/api/v1/tenders/{made.json['id']}", "supplier").json
    mine = [b for r in seen["eligibility"] for b in r["result"]["bidders"]]
    assert all(b["supplier"]["id"] == NORTHWIND for b in mine)
    assert all(set(r["result"]) == {"tender", "as_of", "lot", "bidders"} for r in seen["eligibility"])
    one_lot = register.call(
        "POST",
        f"/api/v1/tenders/{made.json['id']}/eligibility",
        "tender_officer",
        json={"suppliers": [NORTHWIND], "lot": "LOT-2"},
    )
    assert one_lot.status_code == 201
    assert {e.get("lot") for e in one_lot.json["result"]["bidders"]} == {"LOT-2"}


def test_pages_carry_a_link_to_the_next(register: Register) -> None:
    add_suppliers(register, 3)
    first = register.call("GET", "/api/v1/suppliers?limit=2&q=sup", "buyer")
    link = first.headers["Link"]
    assert link.endswith('; rel="next"') and "q=sup" in link and "limit=2" in link
    target = link[1 : link.index(">")]
    second = register.call("GET", target, "buyer")
    assert [s["id"] for s in second.json["items"]] == ["SUP-002"] and "Link" not in second.headers
