"""The supplier's pages and the buyer's invitation, through Flask's test client."""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest

from supplier_qual import api as core
from supplier_qual.model import Questionnaire

from ..xlsx_corpus import fill
from .conftest import BRIGHTLINE, NORTHWIND, Register
from .pages_support import Browserless, add_page_users, csrf_token


def _without_token(html: str) -> str:
    return html.replace(csrf_token(html), "TOKEN")


XSS = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>"


@pytest.fixture
def people(register: Register) -> dict[str, str]:
    return add_page_users(register)


def questionnaire(register: Register) -> Questionnaire:
    return core.catalog(register.service.pm).default()


def signed_in(register: Register, email: str) -> Browserless:
    person = Browserless(register.app, register.app.test_client())
    assert person.sign_in(email).status_code == 302
    return person


def download(person: Browserless) -> bytes:
    got = person.client.get("/supplier/template.xlsx")
    assert got.status_code == 200, got.text
    assert got.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return got.data


def two_mistakes(q: Questionnaire) -> tuple[dict[str, Any], str, str]:
    """Answers with 'Maybe' in a choice question and words in a number question; the two question ids."""
    choice = next(x for x in q.questions if x.options)
    number = next(x for x in q.questions if x.type == "number")
    answers = {**best(q), choice.id: "Maybe", number.id: "about twelve"}
    return answers, choice.id, number.id


def best(q: Questionnaire) -> dict[str, Any]:
    from ..xlsx_corpus import best_answers

    return best_answers(q)


def upload(person: Browserless, data: bytes, filename: str = "self-assessment.xlsx", token: str | None = None) -> Any:
    home = person.client.get("/supplier/")
    return person.client.post(
        "/supplier/upload",
        data={
            "file": (io.BytesIO(data), filename),
            "csrf_token": token if token is not None else csrf_token(home.text),
        },
        content_type="multipart/form-data",
    )


def answer_cell(workbook: bytes, question_id: str) -> str:
    ws = openpyxl.load_workbook(io.BytesIO(workbook))["Questionnaire"]
    headers = {cell.value: cell.column_letter for cell in ws[3]}
    for row in ws.iter_rows(min_row=4):
        if row[0].value == question_id:
            return f"Questionnaire!{headers['Answer']}{row[0].row}"
    raise AssertionError(question_id)


def test_the_template_is_filled_in_with_the_company_from_the_register(
    register: Register, people: dict[str, str]
) -> None:
    person = signed_in(register, people["supplier"])
    home = person.client.get("/supplier/")
    assert home.status_code == 200 and "Northwind Components Ltd" in home.text
    ws = openpyxl.load_workbook(io.BytesIO(download(person)))["Supplier"]
    values = {str(row[0].value).rstrip(" *"): row[1].value for row in ws.iter_rows(min_row=4)}
    assert values["Supplier name"] == "Northwind Components Ltd"
    assert values["Identifier"] == NORTHWIND
    assert values["Identifier scheme"] == "GB-COH"
    assert values["Country"] == "GB"


def test_a_refused_workbook_names_both_cells_and_stores_nothing(register: Register, people: dict[str, str]) -> None:
    person = signed_in(register, people["supplier"])
    q = questionnaire(register)
    answers, choice, number = two_mistakes(q)
    workbook = fill(q, answers, template=download(person))
    refused = upload(person, workbook)
    assert refused.status_code == 422
    assert f'<code class="where">{answer_cell(workbook, choice)}</code>' in refused.text
    assert f'<code class="where">{answer_cell(workbook, number)}</code>' in refused.text
    assert "Maybe" in refused.text and "about twelve" in refused.text
    assert register.count("submissions") == 0 and register.count("assessments") == 0


def test_an_accepted_workbook_shows_the_decision_and_history_shows_the_change(
    register: Register, people: dict[str, str]
) -> None:
    person = signed_in(register, people["supplier"])
    q = questionnaire(register)
    template = download(person)
    weaker = {**best(q), "G2": "No"} if any(x.id == "G2" for x in q.questions) else best(q)
    first = upload(person, fill(q, weaker, template=template))
    assert first.status_code == 302 and "/supplier/assessments/" in first.headers["Location"]
    result = person.client.get(first.headers["Location"])
    assert result.status_code == 200
    assert "Your result" in result.text and "Overall score" in result.text
    assert re.search(r"(Qualified|Conditional|Not qualified)</span>", result.text)
    assert "What to improve" in result.text and "Weak outcomes" in result.text and "Not checked" in result.text
    second = upload(person, fill(q, template=template), filename="second.xlsx")
    assert second.status_code == 302
    history = person.client.get("/supplier/history")
    assert history.status_code == 200
    assert "second.xlsx" in history.text and "self-assessment.xlsx" in history.text
    assert "First upload" in history.text
    assert "Overall score:" in history.text or "Decision:" in history.text
    assert register.count("assessments") == 2


def test_a_supplier_user_reaches_only_its_own_assessments(register: Register, people: dict[str, str]) -> None:
    other = signed_in(register, people["other_supplier"])
    q = questionnaire(register)
    theirs = upload(other, fill(q, template=download(other), supplier={}))
    assert theirs.status_code == 302, theirs.text
    path = theirs.headers["Location"]
    assert other.client.get(path).status_code == 200
    person = signed_in(register, people["supplier"])
    stranger = person.client.get(path)
    missing = person.client.get("/supplier/assessments/999999")
    assert stranger.status_code == missing.status_code == 404
    # The same page, but for the form token (its signature carries the second it was made in).
    assert _without_token(stranger.text) == _without_token(missing.text)
    assert BRIGHTLINE not in person.client.get("/supplier/history").text


@pytest.mark.parametrize("who", ["buyer", "tender_officer", "admin"])
def test_other_roles_do_not_get_the_supplier_pages(register: Register, people: dict[str, str], who: str) -> None:
    person = signed_in(register, people[who])
    for path in ("/supplier/", "/supplier/history", "/supplier/template.xlsx"):
        assert person.client.get(path).status_code == 403


def test_signed_out_visitors_go_to_the_sign_in_page(register: Register) -> None:
    for path in ("/supplier/", "/supplier/history", "/invite/"):
        got = register.app.test_client().get(path)
        assert got.status_code == 302 and "/sign-in?next=" in got.headers["Location"]


def test_an_upload_without_the_csrf_token_is_refused(register: Register, people: dict[str, str]) -> None:
    person = signed_in(register, people["supplier"])
    q = questionnaire(register)
    refused = upload(person, fill(q, template=download(person)), token="")
    assert refused.status_code == 400 and "This form has expired" in refused.text
    assert register.count("submissions") == 0
    invite = signed_in(register, people["buyer"])
    refused = invite.client.post("/invite/", data={"supplier": NORTHWIND, "email": "x@northwind.example", "days": 7})
    assert refused.status_code == 400 and register.count("accounts") == 10


def test_an_empty_upload_asks_for_a_file(register: Register, people: dict[str, str]) -> None:
    person = signed_in(register, people["supplier"])
    refused = upload(person, b"", filename="")
    assert refused.status_code == 422 and "Choose your filled-in workbook" in refused.text


def invite(person: Browserless, **fields: Any) -> Any:
    form = person.client.get("/invite/")
    assert form.status_code == 200
    data = {"supplier": "__new__", "days": "7", "csrf_token": csrf_token(form.text), **fields}
    return person.client.post("/invite/", data=data)


def test_a_buyer_invites_a_new_supplier_which_sets_its_password_and_lands_on_its_page(
    register: Register, people: dict[str, str]
) -> None:
    buyer = signed_in(register, people["buyer"])
    made = invite(
        buyer,
        new_name="Castlegate Plating Ltd",
        new_id="GB-COH-09876543",
        new_country="GB",
        email="qa@castlegate.example",
    )
    assert made.status_code == 200 and "This register sends no e-mail" in made.text
    link = re.search(r'value="(http://localhost/set-password/[^"]+)"', made.text)
    assert link, made.text
    supplier = Browserless(register.app, register.app.test_client())
    page = supplier.client.get(link.group(1))
    assert page.status_code == 200
    short = supplier.client.post(
        link.group(1), data={"password": "eleven char", "confirm": "eleven char", "csrf_token": csrf_token(page.text)}
    )
    assert "at least 12 characters" in short.text
    same = supplier.client.post(
        link.group(1),
        data={
            "password": "qa@castlegate.example",
            "confirm": "qa@castlegate.example",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert "must not be your e-mail address" in same.text
    done = supplier.client.post(
        link.group(1),
        data={"password": "brass lantern quay", "confirm": "brass lantern quay", "csrf_token": csrf_token(page.text)},
        follow_redirects=True,
    )
    assert done.status_code == 200 and "<h1>Self-assessment</h1>" in done.text and "Castlegate Plating Ltd" in done.text
    ws = openpyxl.load_workbook(io.BytesIO(download(supplier)))["Supplier"]
    assert ws["B4"].value == "Castlegate Plating Ltd" and ws["B5"].value == "GB-COH-09876543"
    used = register.app.test_client().get(link.group(1))
    assert used.status_code == 400 and "has been used already" in used.text
    tampered = register.app.test_client().get(link.group(1)[:-4] + "AAAA")
    assert tampered.status_code == 400 and "not valid" in tampered.text
    again = invite(buyer, supplier="GB-COH-09876543", email="qa@castlegate.example")
    assert again.status_code == 422 and "has chosen a password already" in again.text


def test_the_invitation_form_says_what_is_wrong(register: Register, people: dict[str, str]) -> None:
    buyer = signed_in(register, people["buyer"])
    empty = invite(buyer, email="")
    assert empty.status_code == 422
    assert (
        "Give the new supplier&#39;s legal name." in empty.text
        and "Give the new supplier&#39;s identifier." in empty.text
    )
    taken = invite(buyer, new_name="Northwind", new_id=NORTHWIND, email="new@northwind.example")
    assert taken.status_code == 422 and "already in the register" in taken.text
    other = invite(buyer, supplier=NORTHWIND, email=people["buyer"])
    assert other.status_code == 422 and "another user" in other.text
    existing = invite(buyer, supplier=NORTHWIND, email="second@northwind.example")
    assert existing.status_code == 200 and "Northwind Components Ltd" in existing.text


@pytest.mark.parametrize("who", ["supplier", "tender_officer"])
def test_only_buyers_and_admins_invite(register: Register, people: dict[str, str], who: str) -> None:
    assert signed_in(register, people[who]).client.get("/invite/").status_code == 403


def test_what_a_supplier_controls_renders_inert(register: Register, people: dict[str, str]) -> None:
    buyer = signed_in(register, people["buyer"])
    made = invite(buyer, new_name=XSS, new_id="GB-COH-01010101", email="qa@hostile.example")
    assert made.status_code == 200
    assert XSS not in made.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in made.text
    link = re.search(r'value="(http://localhost/set-password/[^"]+)"', made.text)
    assert link
    person = Browserless(register.app, register.app.test_client())
    page = person.client.get(link.group(1))
    person.client.post(
        link.group(1),
        data={"password": "brass lantern quay", "confirm": "brass lantern quay", "csrf_token": csrf_token(page.text)},
    )
    q = questionnaire(register)
    template = download(person)
    certificate = {
        "Standard": "ISO 9001:2015",
        "Certificate number": XSS,
        "Holder": XSS,
        "Certification body": XSS,
        "Accreditation body": XSS,
        "Scope": XSS,
        "IAF codes": "17",
        "Issued": "2024-03-15",
        "Expires": "2027-03-14",
    }
    answers = {**best(q)}
    hostile = fill(
        q,
        answers,
        evidence=dict.fromkeys(answers, XSS),
        comments=dict.fromkeys(answers, XSS),
        supplier={"Supplier name": XSS, "Contact person": XSS, "What you supply to us": XSS},
        certificates=[certificate],
        template=template,
    )
    accepted = upload(person, hostile, filename=XSS + ".xlsx")
    assert accepted.status_code == 302, accepted.text
    wrong = fill(q, {**answers, q.questions[0].id: XSS}, template=template)
    refused = upload(person, wrong, filename=XSS + "-2.xlsx")
    assert refused.status_code == 422
    pages = [
        person.client.get("/supplier/").text,
        person.client.get(accepted.headers["Location"]).text,
        person.client.get("/supplier/history").text,
        refused.text,
    ]
    for html in pages:
        assert "<script>alert(1)</script>" not in html
        assert not re.search(r"<img[^>]*onerror", html)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_template_never_turns_a_company_name_into_a_formula(register: Register, people: dict[str, str]) -> None:
    with register.service.db.write() as session:
        from supplier_qual.web.store.models import Supplier

        found = session.get(Supplier, NORTHWIND)
        assert found is not None
        found.name = '=HYPERLINK("http://evil.example","Click")'
    person = signed_in(register, people["supplier"])
    ws = openpyxl.load_workbook(io.BytesIO(download(person)))["Supplier"]
    assert ws["B4"].data_type == "s" and ws["B4"].quotePrefix
    assert ws["B4"].value == '=HYPERLINK("http://evil.example","Click")'


def test_a_file_that_is_no_workbook_is_refused_in_plain_words(register: Register, people: dict[str, str]) -> None:
    person = signed_in(register, people["supplier"])
    refused = upload(person, b"these are not the answers", filename="answers.xlsx")
    assert refused.status_code == 422 and 'id="problems"' in refused.text
    assert "Traceback" not in refused.text and register.count("submissions") == 0


def test_the_same_workbook_twice_is_one_upload(register: Register, people: dict[str, str]) -> None:
    person = signed_in(register, people["supplier"])
    workbook = fill(questionnaire(register), template=download(person))
    first, second = upload(person, workbook), upload(person, workbook)
    assert first.headers["Location"] == second.headers["Location"]
    assert "You uploaded this same file before" in person.client.get(second.headers["Location"]).text
    assert register.count("submissions") == 1


def test_the_supplier_pages_stay_small(register: Register, people: dict[str, str]) -> None:
    person = signed_in(register, people["supplier"])
    done = upload(person, fill(questionnaire(register), template=download(person)))
    with person.client.get("/static/pages.css") as sheet:
        css = sheet.data
    for path in ("/supplier/", done.headers["Location"], "/supplier/history"):
        assert len(person.client.get(path).data) + len(css) < 100_000, path
    buyer = signed_in(register, people["buyer"])
    assert len(buyer.client.get("/invite/").data) + len(css) < 100_000


def test_an_admin_lists_users_and_adds_one_who_chooses_its_password(register: Register, people: dict[str, str]) -> None:
    admin = signed_in(register, people["admin"])
    listed = admin.client.get("/admin/users")
    assert listed.status_code == 200
    assert people["other_supplier"] in listed.text and "Brightline Fabrication s.r.o. (CZ-ICO-27182818)" in listed.text
    form = admin.client.get("/admin/users/new")
    token = csrf_token(form.text)
    unbound = admin.client.post(
        "/admin/users/new",
        data={"email": "s@x.example", "role": "supplier", "supplier": "", "days": 7, "csrf_token": token},
    )
    assert unbound.status_code == 422 and "Choose the supplier this user answers for." in unbound.text
    taken = admin.client.post(
        "/admin/users/new",
        data={"email": people["buyer"], "role": "buyer", "supplier": "", "days": 7, "csrf_token": token},
    )
    assert taken.status_code == 422 and "already a user" in taken.text
    added = admin.client.post(
        "/admin/users/new",
        data={
            "email": "ops@register.example",
            "name": XSS,
            "role": "buyer",
            "supplier": "",
            "days": 3,
            "csrf_token": token,
        },
    )
    assert added.status_code == 200 and "This register sends no e-mail" in added.text
    link = re.search(r'value="(http://localhost/set-password/[^"]+)"', added.text)
    assert link
    listed = admin.client.get("/admin/users").text
    assert "ops@register.example" in listed and "Invited (no password yet)" in listed
    assert "<script>alert(1)</script>" not in listed and "&lt;script&gt;" in listed
    assert register.app.test_client().get(link.group(1)).status_code == 200


@pytest.mark.parametrize("who", ["buyer", "supplier", "tender_officer"])
def test_only_admins_manage_users(register: Register, people: dict[str, str], who: str) -> None:
    person = signed_in(register, people[who])
    assert person.client.get("/admin/users").status_code == 403
    assert person.client.get("/admin/users/new").status_code == 403


def test_the_demonstration_supplier_finds_its_assessment(sqlite_url: str, web_pm: object) -> None:
    from supplier_qual.web import demo

    from .conftest import make_app

    app = make_app(sqlite_url, web_pm)  # type: ignore[arg-type]
    try:
        email, password = demo.seed(app.extensions["supplier_qual"]).sign_ins["supplier"]
        person = Browserless(app, app.test_client())
        assert person.sign_in(email, password).status_code == 302
        home = person.client.get("/", follow_redirects=True)
        assert "<h1>Self-assessment</h1>" in home.text and "Your latest result" in home.text
        result = re.search(r'href="(/supplier/assessments/\d+)"', home.text)
        assert result and person.client.get(result.group(1)).status_code == 200
        assert "First upload" in person.client.get("/supplier/history").text
    finally:
        app.extensions["supplier_qual"].db.dispose()
