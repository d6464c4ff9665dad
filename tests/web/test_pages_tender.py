"""The tender officer's pages: tenders by form or upload, bidders checked, the report per lot and its exports."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from supplier_qual.web.store.models import EligibilityBidder, EligibilityRun, Supplier, Tender, utcnow

from ..procurement_fixtures import BIDDERS, espd_request, espd_response
from ..shared_data import sample
from .conftest import BRIGHTLINE, BRIGHTLINE_JSON, NORTHWIND, NORTHWIND_JSON, TENDER_YAML, Register
from .pages_support import Browserless, add_page_users, csrf_token

PAYLOAD = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://evil.example","click")'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


class Desk(Browserless):
    """A client signed in as one of the page users, with the register behind it."""

    register: Register

    def form_token(self, path: str) -> str:
        return csrf_token(self.client.get(path).text)

    def create(self, **fields: Any) -> Any:
        data = {
            "reference": "T-2026-031",
            "title": "Valve housings",
            "edition": "ISO 9001:2015",
            "valid_through": "",
            "other_valid_through": "",
            "decision_at_least": "",
            "csrf_token": self.form_token("/tenders/new"),
        }
        data.update(fields)
        return self.client.post("/tenders/new", data=data)

    def upload(self, data: bytes, filename: str) -> Any:
        token = self.form_token("/tenders/new")
        # The body made here, in memory: the test client would spool a large one to a file it never closes.
        values = MultiDict([("csrf_token", token), ("file", FileStorage(io.BytesIO(data), filename))])
        boundary, body = encode_multipart(values)
        return self.client.post("/tenders/upload", data=body, content_type=f"multipart/form-data; boundary={boundary}")

    def check(
        self, tender_id: str, suppliers: list[str], files: list[tuple[bytes, str]] | None = None, **extra: Any
    ) -> Any:
        token = self.form_token(f"/tenders/{tender_id}")
        data: dict[str, Any] = {"csrf_token": token, "supplier": suppliers, "as_of": "2026-11-25", **extra}
        data["bids"] = [(io.BytesIO(content), name) for content, name in files or []]
        return self.client.post(f"/tenders/{tender_id}/eligibility", data=data, content_type="multipart/form-data")


@pytest.fixture
def users(register: Register) -> dict[str, str]:
    emails = add_page_users(register)
    for supplier, path in ((NORTHWIND, NORTHWIND_JSON), (BRIGHTLINE, BRIGHTLINE_JSON)):
        assert register.upload(supplier, path.read_bytes(), path.name).status_code == 201
    return emails


def desk(register: Register, users: dict[str, str], who: str = "tender_officer") -> Desk:
    found = Desk(register.app, register.app.test_client())
    found.register = register
    assert found.sign_in(users[who]).status_code == 302
    return found


@pytest.fixture
def officer(register: Register, users: dict[str, str]) -> Desk:
    return desk(register, users)


def _yaml_tender(officer: Desk) -> str:
    response = officer.upload(TENDER_YAML.read_bytes(), TENDER_YAML.name)
    assert response.status_code == 302, response.text
    return "T-2026-014"


def _run_id(response: Any) -> int:
    found = re.search(r"/eligibility/(\d+)$", response.location)
    assert found, response.location
    return int(found.group(1))


# --- who may do what ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "index", "new", "check"),
    [
        ("tender_officer", 200, 200, True),
        ("admin", 200, 200, False),
        ("buyer", 200, 403, False),
        ("supplier", 403, 403, False),
    ],
)
def test_each_role_gets_what_the_register_allows(
    register: Register, users: dict[str, str], who: str, index: int, new: int, check: bool
) -> None:
    officer = desk(register, users)
    tender_id = _yaml_tender(officer)
    run = _run_id(officer.check(tender_id, [NORTHWIND]))
    client = desk(register, users, who)
    assert client.client.get("/tenders/").status_code == index
    assert client.client.get("/tenders/new").status_code == new
    shown = client.client.get(f"/tenders/{tender_id}")
    assert shown.status_code == index
    reading = (
        f"/tenders/{tender_id}/eligibility/{run}",
        f"/tenders/{tender_id}/eligibility/{run}/print",
        f"/tenders/{tender_id}/eligibility/{run}/report.xlsx",
    )
    for path in reading:
        assert client.client.get(path).status_code == index, path
    if index == 200:
        assert ("Check eligibility" in shown.text) is check
    token = csrf_token(client.client.get("/tenders/").text)  # the 403 page has a token too (its sign-out form)
    attempt = client.client.post(
        f"/tenders/{tender_id}/eligibility", data={"csrf_token": token, "supplier": [NORTHWIND]}
    )
    assert attempt.status_code == (302 if check else 403)


def test_a_visitor_is_sent_to_sign_in(register: Register, users: dict[str, str]) -> None:
    response = register.app.test_client().get("/tenders/")
    assert response.status_code == 302
    assert response.location.startswith("/sign-in?next=/tenders/")


def test_the_menu_offers_tenders_to_the_tender_officer(officer: Desk) -> None:
    home = officer.client.get("/")
    assert home.status_code == 302 and home.location == "/tenders/"
    page = officer.client.get("/tenders/")
    assert '<a href="/tenders/" aria-current="page">Tenders</a>' in page.text
    assert "<h1>Tenders</h1>" in page.text


def test_a_form_without_its_token_is_refused(officer: Desk) -> None:
    tender_id = _yaml_tender(officer)
    attempts = [
        officer.client.post("/tenders/new", data={"reference": "T-1", "title": "x", "iso9001": "y"}),
        officer.client.post(
            "/tenders/upload",
            data={"file": (io.BytesIO(TENDER_YAML.read_bytes()), "t.yaml")},
            content_type="multipart/form-data",
        ),
        officer.client.post(f"/tenders/{tender_id}/eligibility", data={"supplier": [NORTHWIND]}),
    ]
    for response in attempts:
        assert response.status_code == 400
        assert "This form has expired" in response.text
    with officer.register.service.db.read() as session:
        assert session.scalars(select(Tender.id)).all() == [tender_id]
        assert session.scalars(select(EligibilityRun)).all() == []


# --- a tender by the form -----------------------------------------------------------------------------------------


def test_the_form_registers_the_tender_it_describes(officer: Desk) -> None:
    response = officer.create(
        closing_date="2026-12-15",
        contract_end="2028-12-31",
        iso9001="y",
        edition="ISO 9001:2015",
        accredited="y",
        iaf="17, 18",
        valid_through="closing_date",
        iso14001="y",
        other_valid_through="",
        min_overall="60",
        min_G="50",
        min_H="55.5",
        decision_at_least="conditional",
        knockouts_passed="y",
        min_on_time_delivery_pct="95",
        max_defect_ppm="500",
        **{
            "lots-0-id": "LOT-1",
            "lots-0-title": "Machined housings",
            "lots-0-iaf_codes": "17",
            "lots-0-min_overall": "70",
            "lots-1-id": "LOT-2",
            "lots-1-title": "Assembly",
            "lots-1-contract_end": "2027-12-31",
        },
    )
    assert response.status_code == 302, response.text
    assert response.location == "/tenders/T-2026-031"
    page = officer.client.get("/tenders/T-2026-031")
    assert "<h1>Tender T-2026-031: Valve housings</h1>" in page.text
    assert "Tender T-2026-031 registered." in page.text
    for label in (
        "ISO 9001:2015 certificate, accredited, covering IAF 17, 18, valid through the closing date 2026-12-15",
        "ISO 14001:2015 certificate, accredited, valid on the evaluation date",
        "no knockout question failed",
        "overall score at least 60",
        "outcome G at least 50",
        "outcome H at least 55.5",
        "decision at least conditional",
        "on-time delivery at least 95%",
        "defect rate at most 500 ppm",
        "overall score at least 70",
    ):
        assert label in page.text, label
    with officer.register.service.db.read() as session:
        row = session.get(Tender, "T-2026-031")
        assert row is not None and row.filename == "T-2026-031.json"
        lots = json.loads(row.lots)
    assert [lot["id"] for lot in lots] == ["LOT-1", "LOT-2"]
    assert (
        "ISO 9001:2015 certificate, accredited, covering IAF 17, valid through the closing date 2026-12-15"
        in (lots[0]["requirements"])
    )
    # The API sees the same tender.
    api = officer.register.call("GET", "/api/v1/tenders/T-2026-031", "buyer").get_json()
    assert api["title"] == "Valve housings" and len(api["lots"]) == 2


def test_the_form_names_each_mistake(officer: Desk) -> None:
    response = officer.create(
        reference="T 1/?",
        iso9001="y",
        iaf="17, 45",
        min_overall="120",
        **{"lots-0-id": "LOT-1", "lots-1-id": "LOT-1"},
    )
    assert response.status_code == 422
    text = response.text
    assert "The tender was not registered" in text
    assert "Tender reference" in text and "Use letters, digits and . _ : / - only." in text
    assert "IAF sectors run from 1 to 39." in text
    assert "A score runs from 0 to 100." in text
    assert 'aria-invalid="true"' in text
    with officer.register.service.db.read() as session:
        assert session.scalars(select(Tender)).all() == []
    twice = officer.create(iso9001="y", **{"lots-0-id": "LOT-1", "lots-1-id": "LOT-1"})
    assert twice.status_code == 422 and "Lot LOT-1 is listed twice." in twice.text


def test_a_date_the_tender_lacks_is_refused_at_its_place(officer: Desk) -> None:
    response = officer.create(iso9001="y", edition="ISO 9001:2015", valid_through="contract_end")
    assert response.status_code == 422
    assert "$.requirements.certificate[0].valid_through" in response.text
    assert "the tender gives no contract_end to be valid through" in response.text


def test_the_same_tender_again_is_the_same_and_other_requirements_conflict(officer: Desk) -> None:
    assert officer.create(iso9001="y", min_overall="60").status_code == 302
    again = officer.create(iso9001="y", min_overall="60")
    assert again.status_code == 302
    assert "was registered before with this same file" in officer.client.get(again.location).text
    other = officer.create(iso9001="y", min_overall="70")
    assert other.status_code == 422
    assert "tender T-2026-031 is already registered with other requirements" in other.text


# --- a tender by upload -------------------------------------------------------------------------------------------


def test_an_uploaded_espd_request_becomes_a_tender_with_its_requirements(officer: Desk) -> None:
    response = officer.upload(espd_request(), "request.xml")
    assert response.status_code == 302, response.text
    page = officer.client.get(response.location)
    assert "<h1>Tender T-2026-020: Valve bodies and installation</h1>" in page.text
    assert "Lot LOT-1" in page.text and "Lot LOT-2" in page.text
    assert "ISO 9001:2015 certificate, accredited, covering IAF 17" in page.text
    assert "ISO 9001:2015 certificate, accredited, covering IAF 28" in page.text
    assert '<option value="LOT-2">LOT-2</option>' in page.text


def test_the_public_espd_v4_request_sample_becomes_a_tender(officer: Desk) -> None:
    data = sample("espd", "espd-v4.1.0_request.xml").read_bytes()
    response = officer.upload(data, "ESPD-Request.xml")
    assert response.status_code == 302, response.text
    page = officer.client.get(response.location)
    assert "Tender PP.20170419.1024-9" in page.text
    assert "ISO 9001 certificate, accredited, valid on the evaluation date" in page.text
    assert "ISO 14001 certificate, accredited, valid on the evaluation date" in page.text


@pytest.mark.parametrize(
    ("data", "name", "where", "message"),
    [
        (b"<a><b></a>", "broken.xml", "line 1 column 9", "not well-formed XML"),
        (
            b"id: T-9\nrequirements:\n  min_overall: 200\n  min_outcome: {Z: 3}\n",
            "tender.yaml",
            "$.requirements.min_outcome.Z",
            "must be one of the outcomes A to I",
        ),
        (b'{"id": "T-9", "requirements": {"min_overall": "lots"}}', "tender.json", "$.requirements.min_overall", ""),
    ],
)
def test_an_uploaded_file_s_problems_are_shown_at_their_place(
    officer: Desk, data: bytes, name: str, where: str, message: str
) -> None:
    response = officer.upload(data, name)
    assert response.status_code == 422
    assert f'<code class="where">{where}</code>' in response.text
    assert message in response.text
    with officer.register.service.db.read() as session:
        assert session.scalars(select(Tender)).all() == []


def test_an_upload_without_a_file_is_explained(officer: Desk) -> None:
    response = officer.client.post(
        "/tenders/upload", data={"csrf_token": officer.form_token("/tenders/new")}, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "Choose the tender file to upload" in response.text


# --- bidders, the report and its exports --------------------------------------------------------------------------


def test_two_bidders_checked_give_the_report_per_bidder_as_the_api_stores_it(officer: Desk) -> None:
    tender_id = _yaml_tender(officer)
    page = officer.client.get(f"/tenders/{tender_id}")
    assert f'value="{NORTHWIND}"' in page.text and "Brightline Fabrication s.r.o." in page.text
    response = officer.check(tender_id, [NORTHWIND, BRIGHTLINE])
    assert response.status_code == 302, response.text
    run_id = _run_id(response)
    report = officer.client.get(response.location)
    text = report.text
    assert "<h1>Eligibility report: tender T-2026-014</h1>" in text
    assert "1 eligible · 1 not eligible · 0 cannot tell, of 2 bidders" in text
    assert re.search(r"Northwind Components Ltd.*?✓ Eligible", text, re.S)
    assert re.search(r"Brightline Fabrication s.r.o..*?✗ Not eligible", text, re.S)
    assert (
        "No valid, accredited ISO 9001:2015 certificate covering IAF 17 is valid through the closing date "
        "2026-12-15: Q-2016-0042 is not to a current edition of its standard"
    ) in text
    assert "Bids checked as of" in text and "2026-11-25" in text
    assert "Engine version" in text
    api = officer.register.call("GET", f"/api/v1/tenders/{tender_id}", "tender_officer").get_json()
    stored = next(run for run in api["eligibility"] if run["id"] == run_id)
    assert [b["supplier"]["id"] for b in stored["result"]["bidders"]] == [NORTHWIND, BRIGHTLINE]
    with officer.register.service.db.read() as session:
        rows = session.scalars(select(EligibilityBidder).where(EligibilityBidder.run_id == run_id)).all()
        assert [(r.supplier_id, r.eligible) for r in rows] == [(NORTHWIND, True), (BRIGHTLINE, False)]
    listing = officer.client.get(f"/tenders/{tender_id}").text
    assert f"Report {run_id}: bids checked as of 2026-11-25" in listing and "1 of 2 eligible" in listing
    index = officer.client.get("/tenders/?q=valve").text
    assert f"/tenders/{tender_id}/eligibility/{run_id}" in index
    assert "No tender matches" in officer.client.get("/tenders/?q=nothing-like-it").text


def test_the_workbook_is_the_report_and_the_printable_page_is_for_the_file(officer: Desk) -> None:
    tender_id = _yaml_tender(officer)
    run_id = _run_id(officer.check(tender_id, [NORTHWIND, BRIGHTLINE]))
    download = officer.client.get(f"/tenders/{tender_id}/eligibility/{run_id}/report.xlsx")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == f'attachment; filename="eligibility-T-2026-014-run-{run_id}.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(download.data))["Eligibility"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert len(rows) == 10
    assert {(r[0], r[2]) for r in rows} == {
        ("Northwind Components Ltd", "ELIGIBLE"),
        ("Brightline Fabrication s.r.o.", "NOT ELIGIBLE"),
    }
    assert sheet["A2"].value == "Bids checked as of 2026-11-25"
    printable = officer.client.get(f"/tenders/{tender_id}/eligibility/{run_id}/print").text
    assert "<nav" not in printable and "Sign out" not in printable and "<form" not in printable
    assert "Bid eligibility: tender T-2026-014: Hydraulic valve components framework" in printable
    assert "Tender reference" in printable and "Bids checked as of" in printable and "Printed" in printable
    assert "Engine version" in printable and "Rule plugins" in printable
    assert "Not eligible" in printable
    with officer.client.get("/static/pages.css") as response:
        css = response.text
    assert "/* == tender == */" in css and "@media print" in css.split("/* == tender == */")[1]


def test_a_bid_file_uploaded_is_filed_under_its_supplier_and_checked(officer: Desk) -> None:
    tender_id = _yaml_tender(officer)
    bid = json.loads(BRIGHTLINE_JSON.read_text())
    bid["supplier"].update({"id": "SK-ICO-11223344", "name": "Danube Welding a.s.", "country": "SK"})
    response = officer.check(tender_id, [NORTHWIND], [(json.dumps(bid).encode(), "danube.json")])
    assert response.status_code == 302, response.text
    report = officer.client.get(response.location).text
    assert "Danube Welding a.s." in report and "Northwind Components Ltd" in report
    with officer.register.service.db.read() as session:
        assert session.get(Supplier, "SK-ICO-11223344") is not None
    api = officer.register.call("GET", "/api/v1/suppliers/SK-ICO-11223344", "buyer").get_json()
    assert api["name"] == "Danube Welding a.s."


def test_an_espd_response_uploaded_as_a_bid_is_checked_per_lot(officer: Desk) -> None:
    assert officer.upload(espd_request(), "request.xml").status_code == 302
    response = officer.check("T-2026-020", [], [(espd_response(BIDDERS[0]), "alpha-espd.xml")])
    assert response.status_code == 302, response.text
    report = officer.client.get(response.location).text
    assert "Lot LOT-1" in report and "Lot LOT-2" in report
    assert report.count("Alpha Precision Ltd") >= 2
    assert "? Cannot tell" in report and "declared" in report
    assert "Still to supply" in report
    with officer.register.service.db.read() as session:
        assert session.get(Supplier, "GB-COH-01111111") is not None


def test_a_bid_file_refused_names_its_place_and_nothing_is_checked(officer: Desk) -> None:
    tender_id = _yaml_tender(officer)
    bid = json.loads(BRIGHTLINE_JSON.read_text())
    bid["answers"]["A1"]["value"] = "Maybe"
    good = json.loads(BRIGHTLINE_JSON.read_text())
    good["supplier"].update({"id": "SK-ICO-11223344", "name": "Danube Welding a.s."})
    files = [(json.dumps(good).encode(), "good.json"), (json.dumps(bid).encode(), "bad.json")]
    response = officer.check(tender_id, [NORTHWIND], files)
    assert response.status_code == 422
    assert '<code class="where">bad.json: $.answers.A1.value</code>' in response.text
    assert "Eligibility was not checked" in response.text
    with officer.register.service.db.read() as session:
        assert session.scalars(select(EligibilityRun)).all() == []
        assert session.get(Supplier, "SK-ICO-11223344") is None  # the good bid was not filed either
    unready = officer.check(tender_id, ["XX-NOT-THERE"], [(json.dumps(good).encode(), "good.json")])
    assert unready.status_code == 422
    with officer.register.service.db.read() as session:
        assert session.get(Supplier, "SK-ICO-11223344") is None


def test_no_bidder_or_a_bad_date_is_explained(officer: Desk) -> None:
    tender_id = _yaml_tender(officer)
    none = officer.check(tender_id, [])
    assert none.status_code == 422 and "Choose at least one bidder" in none.text
    date = officer.check(tender_id, [NORTHWIND], as_of="25/11/2026")
    assert date.status_code == 422 and "Give the evaluation date as YYYY-MM-DD." in date.text
    lot = officer.check(tender_id, [NORTHWIND], lot="LOT-9")
    assert lot.status_code == 422 and "The tender has no lot LOT-9." in lot.text
    unknown = officer.check(tender_id, ["XX-NOT-THERE"])
    assert unknown.status_code == 422
    assert '<code class="where">bidder XX-NOT-THERE</code>: no supplier XX-NOT-THERE in the register' in unknown.text


def test_a_report_of_another_tender_or_none_is_not_found(officer: Desk) -> None:
    tender_id = _yaml_tender(officer)
    run_id = _run_id(officer.check(tender_id, [NORTHWIND]))
    assert officer.create(iso9001="y").status_code == 302
    assert officer.client.get(f"/tenders/T-2026-031/eligibility/{run_id}").status_code == 404
    assert officer.client.get(f"/tenders/{tender_id}/eligibility/{run_id + 5}").status_code == 404
    assert officer.client.get("/tenders/NO-SUCH").status_code == 404


def test_pages_are_small(officer: Desk) -> None:
    tender_id = _yaml_tender(officer)
    with officer.register.service.db.write() as session:
        now = utcnow()
        for n in range(1000):
            session.add(Supplier(id=f"ZZ-{n:04d}", name=f"Supplier {n} " + "x" * 200, created_at=now, updated_at=now))
    listing = officer.client.get(f"/tenders/{tender_id}").text
    assert "The first 50 suppliers are listed, by identifier; search to find others." in listing
    assert listing.count('name="supplier"') == 50
    run_id = _run_id(officer.check(tender_id, [NORTHWIND, BRIGHTLINE]))
    with officer.client.get("/static/pages.css") as stylesheet:
        css = len(stylesheet.data)
    for path in (
        "/tenders/",
        "/tenders/new",
        f"/tenders/{tender_id}",
        f"/tenders/{tender_id}/eligibility/{run_id}",
        f"/tenders/{tender_id}/eligibility/{run_id}/print",
    ):
        response = officer.client.get(path)
        assert response.status_code == 200
        assert len(response.data) + css < 100_000, path


# --- hostile content ----------------------------------------------------------------------------------------------


def _hostile_tender() -> bytes:
    text = json.dumps(
        {
            "id": "T-XSS-1",
            "title": PAYLOAD,
            "closing_date": "2026-12-15",
            "requirements": {"certificate": {"standard": "ISO 9001:2015", "valid_through": "closing_date"}},
            "lots": [{"id": "LOT-1", "title": PAYLOAD}],
        }
    )
    return text.encode()


def _hostile_espd_request() -> bytes:
    escaped = PAYLOAD.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    data = espd_request().decode()
    data = data.replace("<cbc:Name>Valve bodies and installation</cbc:Name>", f"<cbc:Name>{escaped}</cbc:Name>", 1)
    data = data.replace(
        "<cbc:Name>Certificates by independent bodies about quality assurance standards</cbc:Name>",
        f"<cbc:Name>{escaped}</cbc:Name>",
    )
    data = data.replace(
        "ISO 9001:2015 certificate covering IAF 17", f"ISO 9001:2015 certificate covering IAF 17 {escaped}"
    )
    return data.encode()


def _hostile_bid() -> bytes:
    bid = json.loads(BRIGHTLINE_JSON.read_text())
    bid["supplier"].update({"id": "XS-1", "name": FORMULA + " " + PAYLOAD})
    bid["certificates"][0].update({"number": PAYLOAD, "holder": PAYLOAD, "certification_body": PAYLOAD})
    return json.dumps(bid).encode()


def _inert(html: str) -> None:
    assert PAYLOAD not in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert ESCAPED in html


@pytest.mark.parametrize("tender", ["json", "espd"])
def test_hostile_text_from_a_tender_file_or_a_bid_renders_inert(officer: Desk, tender: str) -> None:
    data, name = (_hostile_tender(), "t.json") if tender == "json" else (_hostile_espd_request(), "r.xml")
    response = officer.upload(data, name)
    assert response.status_code == 302, response.text
    tender_id = response.location.rsplit("/", 1)[1]
    shown = officer.client.get(response.location).text
    _inert(shown)
    run = officer.check(tender_id, [NORTHWIND], [(_hostile_bid(), f"{PAYLOAD}.json")])
    assert run.status_code == 302, run.text
    run_id = _run_id(run)
    for path in (
        f"/tenders/{tender_id}",
        f"/tenders/{tender_id}/eligibility/{run_id}",
        f"/tenders/{tender_id}/eligibility/{run_id}/print",
        "/tenders/",
    ):
        html = officer.client.get(path).text
        _inert(html)
    report = officer.client.get(f"/tenders/{tender_id}/eligibility/{run_id}").text
    assert report.count(ESCAPED) >= 3  # the title, the bidder's name, the reasons quoting its certificate
    workbook = openpyxl.load_workbook(
        io.BytesIO(officer.client.get(f"/tenders/{tender_id}/eligibility/{run_id}/report.xlsx").data)
    )
    values = []
    for row in workbook["Eligibility"].iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            values.append(str(cell.value or ""))
    assert any(v.startswith(FORMULA) for v in values)
    assert any(PAYLOAD in v for v in values)


def test_the_demonstration_opens_on_its_tender_and_report(tmp_path: Path, web_pm: Any) -> None:
    from supplier_qual.web import demo

    from .conftest import make_app

    app = make_app(f"sqlite:///{tmp_path / 'demo.db'}", web_pm)
    try:
        access = demo.seed(app.extensions["supplier_qual"])
        client = Browserless(app, app.test_client())
        email, password = access.sign_ins["tender_officer"]
        assert client.sign_in(email, password).status_code == 302
        index = client.client.get("/tenders/")
        assert "T-2026-014" in index.text
        found = re.search(r'href="(/tenders/T-2026-014/eligibility/\d+)"', index.text)
        assert found, index.text
        report = client.client.get(found.group(1)).text
        assert "Northwind Components Ltd" in report and "Brightline Fabrication s.r.o." in report
        assert "✓ Eligible" in report and "✗ Not eligible" in report
    finally:
        app.extensions["supplier_qual"].db.dispose()
