"""The buyer's pages with Flask's test client: roles, the register's filters, sorting and pages, the export,
the supplier page (chart, certificates, performance, history), overrides and performance uploads, CSRF and XSS."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from typing import Any

import openpyxl
import pytest

from supplier_qual.web.store.models import Assessment, Override, PerformanceRecord, Submission, Supplier, utcnow

from .buyer_support import AS_OF, seed
from .conftest import BRIGHTLINE, BRIGHTLINE_JSON, NORTHWIND, NORTHWIND_JSON, PERFORMANCE_JSON, Register
from .pages_support import PAGE_USERS, Browserless, add_page_users, csrf_token

PAYLOAD = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>"
ROWS = re.compile(r'<tr>\s*<th scope="row"><a href="/buyer/suppliers/([^"]+)"')
PAGES = ("/buyer/", f"/buyer/suppliers/{NORTHWIND}", "/buyer/expiry", "/buyer/suppliers.xlsx")


@pytest.fixture
def assessed(register: Register) -> Register:
    """Northwind (qualified) and Brightline (not qualified), each with one self-assessment, and a user per role."""
    add_page_users(register)
    for supplier_id, path in ((NORTHWIND, NORTHWIND_JSON), (BRIGHTLINE, BRIGHTLINE_JSON)):
        assert register.upload(supplier_id, path.read_bytes(), path.name).status_code == 201
    return register


def signed_in(register: Register, who: str) -> Browserless:
    pages = Browserless(register.app, register.app.test_client())
    assert pages.sign_in(PAGE_USERS[who][1]).status_code == 302
    return pages


def listed(html: str) -> list[str]:
    return ROWS.findall(html)


@pytest.mark.parametrize("who", ["buyer", "admin", "tender_officer"])
def test_buyers_admins_and_tender_officers_may_read_the_pages(assessed: Register, who: str) -> None:
    pages = signed_in(assessed, who)
    for path in PAGES:
        response = pages.client.get(path)
        assert response.status_code == 200, path
        if path.endswith(".xlsx"):
            assert response.mimetype.endswith("spreadsheetml.sheet")
        else:
            assert len(response.data) < 100_000


@pytest.mark.parametrize("who", ["supplier", "other_supplier"])
def test_a_supplier_user_is_refused_the_buyer_pages(assessed: Register, who: str) -> None:
    pages = signed_in(assessed, who)
    for path in (*PAGES, f"/buyer/suppliers/{BRIGHTLINE}"):
        assert pages.client.get(path).status_code == 403, path


def test_without_signing_in_the_pages_lead_to_the_sign_in_page(assessed: Register) -> None:
    for path in PAGES:
        response = assessed.app.test_client().get(path)
        assert response.status_code == 302 and response.location.startswith("/sign-in?next=")


def test_the_dashboard_shows_decision_score_weakest_outcome_certificate_and_corrective_actions(
    assessed: Register,
) -> None:
    html = signed_in(assessed, "buyer").client.get("/buyer/").text
    assert listed(html) == [BRIGHTLINE, NORTHWIND]  # by name
    northwind = html[html.index(f"/buyer/suppliers/{NORTHWIND}") :]
    assert "✓</span> Qualified" in northwind and "91.5" in northwind
    assert "FM 612345" not in northwind  # the certificate is shown by its status and expiry
    assert 'Valid</span> <span class="buyer-expires">expires 2027-03-14' in northwind
    brightline = html[html.index(f"/buyer/suppliers/{BRIGHTLINE}") : html.index(f"/buyer/suppliers/{NORTHWIND}")]
    assert "Not qualified" in brightline and ">G</abbr> 57.1" in brightline
    assert "Obsolete standard" in brightline
    actions = len(
        json.loads(assessed.call("GET", f"/api/v1/suppliers/{BRIGHTLINE}/assessments", "buyer").text)["items"][0][
            "assessment"
        ]["corrective_actions"]
    )
    assert f'<td class="num">{actions}</td>' in brightline


def test_filters_search_sorting_and_pages(register: Register) -> None:
    add_page_users(register)
    made = seed(register.service, 60)
    pages = signed_in(register, "buyer")

    first = pages.client.get("/buyer/").text
    assert "62 suppliers" in first and "Page 1 of 3" in first
    assert listed(first) == [BRIGHTLINE, NORTHWIND, *(f"XX-REG-{n:05d}" for n in range(1, 24))]
    third = pages.client.get("/buyer/?page=3").text
    assert len(listed(third)) == 12 and "Page 3 of 3" in third
    assert 'rel="prev"' in third and 'rel="next"' not in third

    by_score = pages.client.get("/buyer/?sort=score&order=desc").text
    expected = [s.supplier_id for s in sorted(made, key=lambda s: (-s.overall, s.supplier_id))][:23]
    assert listed(by_score)[:23] == expected[:23]
    assert 'aria-sort="descending"' in by_score

    weakest = pages.client.get("/buyer/?sort=weakest&order=asc&decision=conditional").text
    conditional = [s for s in made if s.decision == "conditional"]
    assert (
        listed(weakest)
        == [s.supplier_id for s in sorted(conditional, key=lambda s: (min(s.scores.values()), s.supplier_id))][:25]
    )

    below = pages.client.get("/buyer/?outcome=C&below=50&sort=id").text
    assert listed(below) == sorted(s.supplier_id for s in made if s.scores["C"] < 50)[:25]

    soon = pages.client.get("/buyer/?expiring=90&sort=expiry").text
    until = AS_OF + dt.timedelta(days=90)
    due = sorted((s for s in made if s.expires and s.expires <= until), key=lambda s: (s.expires, s.supplier_id))
    # Certificates already expired are "within 90 days" too, soonest first.
    assert due[0].expires is not None and due[0].expires < AS_OF
    assert listed(soon) == [s.supplier_id for s in due][:25]

    found = pages.client.get("/buyer/?q=00042").text
    assert listed(found) == ["XX-REG-00042"]
    assert listed(pages.client.get("/buyer/?q=bright").text) == [BRIGHTLINE]
    # Filters and order are kept in the sorting links and in the page links.
    kept = pages.client.get("/buyer/?expiring=900&sort=score").text
    assert 'href="/buyer/?expiring=900&amp;sort=score&amp;order=asc&amp;page=2" rel="next"' in kept
    assert 'href="/buyer/?expiring=900&amp;sort=name&amp;order=asc"' in kept


def test_wrong_filters_are_named_and_left_out(assessed: Register) -> None:
    pages = signed_in(assessed, "buyer")
    response = pages.client.get("/buyer/?below=200&expiring=soon&outcome=G")
    assert response.status_code == 200
    assert "Give a score from 0 to 100." in response.text
    assert "Error:" in response.text and 'aria-invalid="true"' in response.text
    assert len(listed(response.text)) == 2
    assert "Give the score the outcome should be below." in pages.client.get("/buyer/?outcome=G").text


def test_the_export_is_the_filtered_list_in_order(assessed: Register) -> None:
    pages = signed_in(assessed, "buyer")
    response = pages.client.get("/buyer/suppliers.xlsx?decision=qualified")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data))["Suppliers"]
    rows = [r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]]
    assert [r[0] for r in rows] == [NORTHWIND]
    assert rows[0][2] == "Qualified" and rows[0][5] == 91.5 and rows[0][10].date().isoformat() == "2027-03-14"
    assert sheet["A2"].value == "Filters: decision=qualified"


def _hostile_submission() -> bytes:
    data = json.loads(BRIGHTLINE_JSON.read_text())
    data["supplier"]["name"] = f"{PAYLOAD} s.r.o."
    for key, answer in list(data["answers"].items()):
        data["answers"][key] = {"value": answer} if not isinstance(answer, dict) else answer
        data["answers"][key]["comment"] = PAYLOAD
    for cert in data["certificates"]:
        cert["holder"], cert["number"], cert["scope"] = PAYLOAD, f"Q-{PAYLOAD}", PAYLOAD
    return json.dumps(data).encode()


def assert_inert(html: str) -> None:
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html and "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_text_a_supplier_controls_renders_inert_everywhere(assessed: Register) -> None:
    with assessed.service.db.write() as session:
        row = session.get(Supplier, BRIGHTLINE)
        assert row is not None
        row.name = PAYLOAD
    assert assessed.upload(BRIGHTLINE, _hostile_submission(), "hostile.json").status_code == 201
    pages = signed_in(assessed, "buyer")
    page = pages.client.get(f"/buyer/suppliers/{BRIGHTLINE}")
    name = f"{PAYLOAD}.json"
    sent = pages.client.post(
        f"/buyer/suppliers/{BRIGHTLINE}/performance",
        data={"csrf_token": csrf_token(page.text), "file": (io.BytesIO(PERFORMANCE_JSON.read_bytes()), name)},
        content_type="multipart/form-data",
    )
    # Figures for Northwind are refused for Brightline, naming the file (its name escaped).
    assert sent.status_code == 422
    assert_inert(sent.text)
    with assessed.service.db.write() as session:
        session.add(
            PerformanceRecord(
                supplier_id=BRIGHTLINE,
                file_sha256=assessed_blob(assessed),
                data='{"deliveries": 12}',
                sha256="0" * 64,
                filename=name,
                created_at=utcnow(),
            )
        )
    html = pages.client.get(f"/buyer/suppliers/{BRIGHTLINE}").text
    assert_inert(html)
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "Outcome scores A–I of &lt;script&gt;alert(1)&lt;/script&gt;&#34;&#39;&gt;&lt;img" in svg
    for section in ("certificates", "findings", "performance"):
        part = html[html.index(f'id="{section}"') :]
        assert "&lt;img src=x onerror=alert(1)&gt;" in part.split("</section>")[0], section
    assert_inert(pages.client.get("/buyer/").text)
    assert_inert(pages.client.get("/buyer/expiry?days=3650").text)
    # In the export the text stays text: no cell is a formula.
    export = pages.client.get("/buyer/suppliers.xlsx").data
    with zipfile.ZipFile(io.BytesIO(export)) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert all("<f>" not in sheet and "<f " not in sheet for sheet in sheets)
    book = openpyxl.load_workbook(io.BytesIO(export))["Suppliers"]
    assert any(cell.value == PAYLOAD for row in book.iter_rows() for cell in row)


def assessed_blob(register: Register) -> str:
    with register.service.db.read() as session:
        found = session.query(Assessment).first()
        assert found is not None
        upload = session.get(Submission, found.submission_id)
        assert upload is not None
        return upload.file_sha256


def test_a_name_that_looks_like_a_formula_stays_text_in_the_export(assessed: Register) -> None:
    with assessed.service.db.write() as session:
        row = session.get(Supplier, NORTHWIND)
        assert row is not None
        row.name = '=HYPERLINK("http://attacker.example","Click")'
    export = signed_in(assessed, "buyer").client.get("/buyer/suppliers.xlsx").data
    sheet = openpyxl.load_workbook(io.BytesIO(export))["Suppliers"]
    cell = next(c for r in sheet.iter_rows() for c in r if c.value and str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s" and cell.quotePrefix


def _override(pages: Browserless, supplier_id: str, **fields: str) -> Any:
    page = pages.client.get(f"/buyer/suppliers/{supplier_id}")
    assessment_id = re.search(r'name="override-assessment_id" type="hidden" value="(\d+)"', page.text)
    assert assessment_id
    data = {"override-assessment_id": assessment_id.group(1), "override-decision": "conditional", **fields}
    if "csrf_token" not in fields:
        data["csrf_token"] = csrf_token(page.text)
    return pages.client.post(f"/buyer/suppliers/{supplier_id}/override", data=data)


def overrides(register: Register) -> list[Override]:
    with register.service.db.read() as session:
        return list(session.query(Override).all())


def test_a_buyer_overrides_with_a_reason_and_both_decisions_show(assessed: Register) -> None:
    pages = signed_in(assessed, "buyer")
    response = _override(pages, BRIGHTLINE, **{"override-reason": "Audited on site; root-cause analysis in place"})
    assert response.status_code == 302 and response.location == f"/buyer/suppliers/{BRIGHTLINE}#decision"
    [made] = overrides(assessed)
    assert made.decision == "conditional" and made.reason == "Audited on site; root-cause analysis in place"
    page = pages.client.get(f"/buyer/suppliers/{BRIGHTLINE}").text
    assert "(overridden; computed: Not qualified)" in page and "Audited on site; root-cause analysis" in page
    board = pages.client.get("/buyer/").text
    assert "(overridden; computed: Not qualified)" in board
    assert listed(pages.client.get("/buyer/?decision=conditional").text) == [BRIGHTLINE]
    export = openpyxl.load_workbook(io.BytesIO(pages.client.get("/buyer/suppliers.xlsx").data))["Suppliers"]
    row = next(r for r in export.iter_rows(min_row=5, values_only=True) if r[0] == BRIGHTLINE)
    assert row[2:5] == ("Conditional", "Not qualified", "Audited on site; root-cause analysis in place")
    audit = assessed.call("GET", "/api/v1/audit?action=assessment.override", "admin").json
    assert audit["items"][0]["actor"] == "buyer user"


@pytest.mark.parametrize("reason", ["", "   ", "ok"])
def test_an_override_without_a_reason_is_refused(assessed: Register, reason: str) -> None:
    pages = signed_in(assessed, "buyer")
    response = _override(pages, BRIGHTLINE, **{"override-reason": reason})
    assert response.status_code == 422
    assert "Error:" in response.text and ("Give the reason" in response.text or "3 to 4,000" in response.text)
    assert overrides(assessed) == []


def test_an_override_without_the_csrf_token_is_refused(assessed: Register) -> None:
    pages = signed_in(assessed, "buyer")
    response = _override(pages, BRIGHTLINE, **{"override-reason": "A good reason", "csrf_token": ""})
    assert response.status_code == 400 and "This form has expired" in response.text
    assert overrides(assessed) == []


@pytest.mark.parametrize("who", ["admin", "tender_officer"])
def test_only_a_buyer_overrides_or_sends_performance_data(assessed: Register, who: str) -> None:
    pages = signed_in(assessed, who)
    page = pages.client.get(f"/buyer/suppliers/{BRIGHTLINE}").text
    assert "Override the decision" not in page and "Send performance data" not in page
    token = csrf_token(page)
    assert (
        pages.client.post(
            f"/buyer/suppliers/{BRIGHTLINE}/override",
            data={"csrf_token": token, "override-reason": "no", "override-decision": "qualified"},
        ).status_code
        == 403
    )
    assert (
        pages.client.post(f"/buyer/suppliers/{BRIGHTLINE}/performance", data={"csrf_token": token}).status_code == 403
    )
    assert overrides(assessed) == []


def test_an_override_of_another_suppliers_assessment_is_not_found(assessed: Register) -> None:
    pages = signed_in(assessed, "buyer")
    page = pages.client.get(f"/buyer/suppliers/{NORTHWIND}").text
    northwind_id = re.search(r'name="override-assessment_id" type="hidden" value="(\d+)"', page)
    assert northwind_id
    response = pages.client.post(
        f"/buyer/suppliers/{BRIGHTLINE}/override",
        data={
            "csrf_token": csrf_token(page),
            "override-assessment_id": northwind_id.group(1),
            "override-decision": "qualified",
            "override-reason": "Wrong supplier",
        },
    )
    assert response.status_code == 404 and overrides(assessed) == []
    assert pages.client.get("/buyer/suppliers/NO-SUCH-1").status_code == 404


def _send(pages: Browserless, supplier_id: str, data: bytes, name: str, token: bool = True) -> Any:
    page = pages.client.get(f"/buyer/suppliers/{supplier_id}").text
    form: dict[str, Any] = {"file": (io.BytesIO(data), name)}
    if token:
        form["csrf_token"] = csrf_token(page)
    return pages.client.post(
        f"/buyer/suppliers/{supplier_id}/performance", data=form, content_type="multipart/form-data"
    )


def test_the_buyer_sends_performance_data_and_the_supplier_is_reassessed(assessed: Register) -> None:
    pages = signed_in(assessed, "buyer")
    response = _send(pages, NORTHWIND, PERFORMANCE_JSON.read_bytes(), "northwind-q3.json")
    assert response.status_code == 302 and response.location.endswith("#performance")
    with assessed.service.db.read() as session:
        triggers = [a.trigger for a in session.query(Assessment).filter_by(supplier_id=NORTHWIND)]
    assert triggers == ["upload", "performance"]
    page = pages.client.get(f"/buyer/suppliers/{NORTHWIND}").text
    assert "northwind-q3.json" in page and "On time delivery (%)" in page and "97.1" in page
    assert "No performance gate fired." in page
    # The history compares the two assessments (the latest two by default).
    assert "From no. " in page and "Outcome G:" in page


def test_performance_data_that_fires_a_gate_shows_it(assessed: Register) -> None:
    pages = signed_in(assessed, "buyer")
    csv = (
        "supplier_id;period_end;period_months;deliveries;on_time_delivery_pct;defect_ppm;lots_received;lots_rejected;"
        "complaints;complaints_closed;corrective_actions_open;corrective_actions_overdue\n"
        f"{BRIGHTLINE};2026-10-31;12;96;71,9;25400;96;11;9;4;7;6\n"
    )
    assert _send(pages, BRIGHTLINE, csv.encode(), "scorecard.csv").status_code == 302
    page = pages.client.get(f"/buyer/suppliers/{BRIGHTLINE}").text
    gates = page[page.index("Gates that fired") : page.index("Send performance data")]
    assert "Caps at Not qualified" in gates and "gate" in gates


def test_bad_performance_data_is_refused_with_its_place(assessed: Register) -> None:
    pages = signed_in(assessed, "buyer")
    bad = json.dumps({"supplier_id": NORTHWIND, "on_time_delivery_pct": "lots"}).encode()
    response = _send(pages, NORTHWIND, bad, "figures.json")
    assert response.status_code == 422
    assert 'role="alert"' in response.text and "The performance data was not taken" in response.text
    assert re.search(r'<code class="where">figures\.json: \$\.on_time_delivery_pct</code>', response.text)
    with assessed.service.db.read() as session:
        assert session.query(PerformanceRecord).count() == 0


def test_performance_data_without_the_csrf_token_is_refused(assessed: Register) -> None:
    pages = signed_in(assessed, "buyer")
    response = _send(pages, NORTHWIND, PERFORMANCE_JSON.read_bytes(), "p.json", token=False)
    assert response.status_code == 400 and "This form has expired" in response.text
    with assessed.service.db.read() as session:
        assert session.query(PerformanceRecord).count() == 0


def test_the_supplier_page_draws_the_chart_with_its_thresholds(assessed: Register) -> None:
    html = signed_in(assessed, "buyer").client.get(f"/buyer/suppliers/{BRIGHTLINE}").text
    svg = html[html.index("<svg") : html.index("</svg>") + 6]
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    assert svg.count('class="bar ') == 10
    assert 'class="threshold threshold-qualifies"' in svg and 'class="threshold threshold-fails"' in svg
    assert "qualifies at 70" in svg and "not qualified below 50" in svg
    assert re.findall(r'class="bar bar-below" data-outcome="(\w+)"', svg) == ["E", "G", "I", "overall"]
    assert "▼ 57.1" in svg
    table = html[html.index("Scores per outcome") :]
    g_row = table[table.index("G · ") :].split("</tr>")[0]
    assert "57.1" in g_row and "Below the qualifying score" in g_row and "Self-declared" in g_row
    certificates = html[html.index('id="certificates"') :].split("</section>")[0]
    assert "Obsolete standard" in certificates and "No — " in certificates and "✗ Failed" in certificates


def test_the_expiry_watch_lists_what_falls_due(assessed: Register) -> None:
    pages = signed_in(assessed, "buyer")
    html = pages.client.get("/buyer/expiry?days=100").text
    due = html[html.index("Due within 100 days") : html.index("Already expired")]
    expired = html[html.index("Already expired") :]
    assert "Nothing falls due" in due
    assert "Q-2016-0042" in expired and "Brightline Fabrication" in expired and "2765 days ago" in expired
    wider = pages.client.get("/buyer/expiry?days=120").text
    due = wider[wider.index("Due within 120 days") : wider.index("Already expired")]
    assert "FM 612345" in due and "Expires" in due and "in 109 days" in due
    assert "Give a number of days" in pages.client.get("/buyer/expiry?days=-3").text
