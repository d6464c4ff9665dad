"""The supplier's journey in a real browser: invited by a buyer, it sets a password, downloads its workbook,
uploads it with two mistakes and sees both cells named, fixes them and sees the decision."""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl

from supplier_qual import api as core

from ..xlsx_corpus import best_answers, fill
from .conftest import LiveServer

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
#: Where to copy the key screenshot for the documentation (docs/images), when set.
DOC_IMAGES = os.environ.get("SUPPLIER_QUAL_DOC_IMAGES")
DROP = """([zone, name, data]) => {
  const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
  const transfer = new DataTransfer();
  const type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  transfer.items.add(new File([bytes], name, {type}));
  const drop = new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true});
  document.querySelector(zone).dispatchEvent(drop);
}"""


def cell_of(workbook: bytes, question_id: str) -> str:
    ws = openpyxl.load_workbook(io.BytesIO(workbook))["Questionnaire"]
    headers = {cell.value: cell.column_letter for cell in ws[3]}
    row = next(r[0].row for r in ws.iter_rows(min_row=4) if r[0].value == question_id)
    return f"Questionnaire!{headers['Answer']}{row}"


def test_a_supplier_is_invited_and_qualifies(
    live_server: LiveServer,
    browser: Any,
    page: Any,
    sign_in: Callable[[Any, str], None],
    screenshot: Callable[[Any, str], Path],
    tmp_path: Path,
) -> None:
    # The buyer invites a new supplier.
    sign_in(page, "buyer")
    page.get_by_role("link", name="Invite a supplier").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Invite a supplier"
    page.get_by_label("Supplier", exact=True).select_option("__new__")
    page.get_by_label("New supplier's legal name").fill("Castlegate Plating Ltd")
    page.get_by_label("New supplier's identifier").fill("GB-COH-09876543")
    page.get_by_label("New supplier's country").fill("GB")
    page.get_by_label("E-mail address of the supplier's contact").fill("qa@castlegate.example")
    page.get_by_label("Contact's name").fill("Dana Quality")
    page.get_by_role("button", name="Make the invitation link").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Invitation ready"
    assert "sends no e-mail" in page.locator("main").inner_text()
    link = page.get_by_label("Invitation link").input_value()
    assert link.startswith(f"{live_server.url}/set-password/")
    screenshot(page, "supplier-1-invitation")

    # The supplier follows the link in its own browser and chooses a password.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB", accept_downloads=True)
    context.set_default_timeout(15_000)
    supplier = context.new_page()
    try:
        supplier.goto(link)
        assert supplier.get_by_role("heading", level=1).inner_text() == "Choose your password"
        screenshot(supplier, "supplier-2-set-password")
        supplier.get_by_label("New password", exact=True).fill("brass lantern quay")
        supplier.get_by_label("New password again").fill("brass lantern quay")
        supplier.get_by_role("button", name="Set password and sign in").click()
        assert supplier.get_by_role("heading", level=1).inner_text() == "Self-assessment"
        assert "Your password is set and you are signed in." in supplier.get_by_role("status").inner_text()
        assert "Castlegate Plating Ltd" in supplier.locator("main").inner_text()
        screenshot(supplier, "supplier-3-home")

        # It downloads its workbook: a real workbook with its name in it.
        with supplier.expect_download() as download:
            supplier.get_by_role("link", name="Download the self-assessment workbook (.xlsx)").click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        template = saved.read_bytes()
        sheet = openpyxl.load_workbook(io.BytesIO(template))["Supplier"]
        assert sheet["B4"].value == "Castlegate Plating Ltd" and sheet["B5"].value == "GB-COH-09876543"

        # It fills it in with two mistakes and uploads it with the file picker.
        questionnaire = core.catalog(live_server.service.pm).default()
        choice = next(q for q in questionnaire.questions if q.options)
        number = next(q for q in questionnaire.questions if q.type == "number")
        good = best_answers(questionnaire)
        for question in questionnaire.questions:  # a supplier still improving on nonconformities (outcome G)
            if question.outcome == "G" and len(question.options) > 2:
                good[question.id] = sorted(question.options, key=lambda o: o.points)[-2].label
        details = {"What you supply to us": "Zinc plating of machined parts", "IAF codes of what you supply": "17"}
        certificate = {
            "Standard": "ISO 9001:2015",
            "Certificate number": "CP 40417",
            "Holder": "Castlegate Plating Ltd",
            "Certification body": "BSI Assurance UK Ltd",
            "Accreditation body": "UKAS",
            "Scope": "Zinc plating of machined parts",
            "IAF codes": "17",
            "Issued": "2025-01-10",
            "Expires": "2028-01-09",
        }
        wrong = fill(
            questionnaire,
            {**good, choice.id: "Maybe", number.id: "about twelve"},
            supplier=details,
            certificates=[certificate],
            template=template,
        )
        wrong_file = tmp_path / "castlegate-self-assessment.xlsx"
        wrong_file.write_bytes(wrong)
        supplier.get_by_label("Your filled-in workbook").set_input_files(str(wrong_file))
        supplier.get_by_role("button", name="Upload and assess").click()
        problems = supplier.locator("#problems")
        text = problems.inner_text()
        assert cell_of(wrong, choice.id) in text and cell_of(wrong, number.id) in text
        assert "Maybe" in text and "about twelve" in text
        assert supplier.evaluate(NO_HORIZONTAL_SCROLL)
        screenshot(supplier, "supplier-4-refused")

        # It fixes both cells and drops the workbook on the form.
        fixed = fill(questionnaire, good, supplier=details, certificates=[certificate], template=template)
        assert fixed != wrong
        with supplier.expect_navigation():
            supplier.evaluate(DROP, [".drop-zone", "castlegate-fixed.xlsx", base64.b64encode(fixed).decode()])
        assert supplier.get_by_role("heading", level=1).inner_text() == "Your result"
        decision = supplier.locator(".result-decision .badge").inner_text()
        assert any(word in decision for word in ("Qualified", "Conditional", "Not qualified"))
        assert "castlegate-fixed.xlsx" in supplier.locator("main").inner_text()
        assert supplier.get_by_role("heading", name="What to improve").is_visible()
        shot = screenshot(supplier, "supplier-5-result")
        if DOC_IMAGES:
            supplier.set_viewport_size({"width": 960, "height": 760})
            key = Path(DOC_IMAGES) / "pages-supplier.png"
            supplier.screenshot(path=str(key), full_page=False)
        assert shot.exists()

        supplier.get_by_role("link", name="History").first.click()
        assert supplier.get_by_role("heading", level=1).inner_text() == "History"
        assert "castlegate-fixed.xlsx" in supplier.locator("main").inner_text()
        screenshot(supplier, "supplier-6-history")
    finally:
        context.close()


def test_the_supplier_pages_fit_a_phone(
    live_server: LiveServer,
    narrow_page: Any,
    sign_in: Callable[[Any, str], None],
    screenshot: Callable[[Any, str], Path],
) -> None:
    from supplier_qual.web import qualification
    from supplier_qual.web.auth import Principal

    from ..web.conftest import NORTHWIND_JSON

    seeded = qualification.submit(
        live_server.service,
        Principal(name="test", role="admin"),
        "GB-COH-04567123",
        NORTHWIND_JSON.read_bytes(),
        NORTHWIND_JSON.name,
        "application/json",
    )
    sign_in(narrow_page, "supplier")
    for path in ("/supplier/", "/supplier/history", f"/supplier/assessments/{seeded.assessment.id}"):
        narrow_page.goto(f"{live_server.url}{path}")
        assert narrow_page.evaluate(NO_HORIZONTAL_SCROLL), path
    screenshot(narrow_page, "supplier-narrow-result")
    narrow_page.goto(f"{live_server.url}/supplier/")
    narrow_page.keyboard.press("Tab")
    assert narrow_page.evaluate("document.activeElement.textContent") == "Skip to main content"
    screenshot(narrow_page, "supplier-narrow-home")


def test_the_invitation_form_fits_a_phone(
    live_server: LiveServer, narrow_page: Any, sign_in: Callable[[Any, str], None]
) -> None:
    sign_in(narrow_page, "buyer")
    narrow_page.goto(f"{live_server.url}/invite/")
    assert narrow_page.evaluate(NO_HORIZONTAL_SCROLL)
    narrow_page.get_by_label("Supplier", exact=True).select_option("GB-COH-04567123")
    narrow_page.get_by_label("E-mail address of the supplier's contact").fill("buyer-side@northwind.example")
    narrow_page.get_by_role("button", name="Make the invitation link").click()
    assert narrow_page.get_by_role("heading", level=1).inner_text() == "Invitation ready"
    assert narrow_page.evaluate(NO_HORIZONTAL_SCROLL)
