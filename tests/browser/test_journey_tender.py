"""The tender officer's journey in real Chromium: a tender by the form, two bidders checked, the report exported.

``SUPPLIER_QUAL_DOCS_IMAGES=docs/images`` also writes the report's screenshot as
``pages-tender.png`` there (the picture the documentation shows).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl

from supplier_qual.web import qualification
from supplier_qual.web.auth import Principal

from ..web.conftest import BRIGHTLINE, BRIGHTLINE_JSON, NORTHWIND, NORTHWIND_JSON
from .conftest import LiveServer

SET_UP = Principal(name="test set-up", role="admin")


def _with_submissions(live_server: LiveServer) -> None:
    for supplier, path in ((NORTHWIND, NORTHWIND_JSON), (BRIGHTLINE, BRIGHTLINE_JSON)):
        qualification.submit(live_server.service, SET_UP, supplier, path.read_bytes(), path.name, "application/json")


def _fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_tender_officer_creates_a_tender_checks_two_bidders_and_exports_the_report(
    live_server: LiveServer,
    page: Any,
    narrow_page: Any,
    sign_in: Callable[[Any, str], None],
    screenshot: Callable[[Any, str], Path],
    tmp_path: Path,
) -> None:
    _with_submissions(live_server)
    sign_in(page, "tender_officer")
    assert page.url == f"{live_server.url}/tenders/"
    assert page.get_by_role("heading", level=1).inner_text() == "Tenders"
    assert (
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Tenders").get_attribute("aria-current")
        == "page"
    )
    screenshot(page, "tender-1-tenders")

    # The tender, by the form.
    page.get_by_role("link", name="Register a tender").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Register a tender"
    page.get_by_label("Tender reference").fill("T-2026-014")
    page.get_by_label("Title", exact=True).fill("Hydraulic valve components framework")
    page.get_by_label("Closing date for bids").fill("2026-12-15")
    page.get_by_label("Contract end", exact=True).fill("2028-12-31")
    page.get_by_label("IAF sectors it must cover").fill("17")
    page.get_by_label("Valid through", exact=True).select_option("closing_date")
    page.get_by_label("Lowest overall score", exact=True).fill("60")
    page.get_by_label("G: ").fill("50")
    page.get_by_label("H: ").fill("50")
    page.get_by_label("Lowest qualification decision").select_option("conditional")
    screenshot(page, "tender-2-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Register the tender").click()
    assert page.url == f"{live_server.url}/tenders/T-2026-014"
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Tender T-2026-014: Hydraulic valve components framework"
    )
    main = page.locator("main").inner_text()
    assert "Tender T-2026-014 registered." in main
    assert "ISO 9001:2015 certificate, accredited, covering IAF 17, valid through the closing date 2026-12-15" in main

    # Two bidders from the register, found through the search.
    page.get_by_label("Find suppliers in the register").fill("northwind")
    page.get_by_role("button", name="Find").click()
    assert page.get_by_label(re.compile("Northwind Components Ltd")).count() == 1
    assert page.get_by_label(re.compile("Brightline")).count() == 0
    page.get_by_label("Find suppliers in the register").fill("")
    page.get_by_role("button", name="Find").click()
    page.get_by_label(re.compile("Northwind Components Ltd")).check()
    page.get_by_label(re.compile("Brightline Fabrication")).check()
    page.get_by_label("Evaluation date").fill("2026-11-25")
    screenshot(page, "tender-3-bidders")
    with page.expect_navigation():
        page.get_by_role("button", name="Check eligibility").click()

    # The report.
    assert re.search(r"/tenders/T-2026-014/eligibility/\d+$", page.url)
    assert page.get_by_role("heading", level=1).inner_text() == "Eligibility report: tender T-2026-014"
    northwind = page.locator("article", has=page.get_by_role("heading", name=re.compile("Northwind")))
    brightline = page.locator("article", has=page.get_by_role("heading", name=re.compile("Brightline")))
    assert "✓ Eligible" in northwind.get_by_role("heading").inner_text()
    assert "✗ Not eligible" in brightline.get_by_role("heading").inner_text()
    assert "Q-2016-0042 is not to a current edition of its standard" in brightline.inner_text()
    assert "1 eligible · 1 not eligible · 0 cannot tell, of 2 bidders" in page.locator("main").inner_text()
    shot = screenshot(page, "tender-4-report")
    docs = os.environ.get("SUPPLIER_QUAL_DOCS_IMAGES")
    if docs:
        page.set_viewport_size({"width": 1024, "height": 880})
        page.screenshot(path=str(Path(docs) / "pages-tender.png"))
    assert shot.is_file()

    # The workbook.
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download as a workbook (.xlsx)").click()
    download = downloading.value
    assert re.fullmatch(r"eligibility-T-2026-014-run-\d+\.xlsx", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(str(saved))
    sheet = openpyxl.load_workbook(saved)["Eligibility"]
    eligible = {row[0].value: row[2].value for row in sheet.iter_rows(min_row=4)}
    assert eligible == {"Northwind Components Ltd": "ELIGIBLE", "Brightline Fabrication s.r.o.": "NOT ELIGIBLE"}

    # The printable page.
    report_url = page.url
    page.get_by_role("link", name="Printable page for the evaluation file").click()
    assert page.url == f"{report_url}/print"
    assert page.locator("nav").count() == 0 and page.locator("form").count() == 0
    text = page.locator("main").inner_text()
    assert "Tender reference" in text and "T-2026-014" in text and "2026-11-25" in text and "Engine version" in text
    page.emulate_media(media="print")
    screenshot(page, "tender-5-printable")

    # On a phone.
    sign_in(narrow_page, "tender_officer")
    for path in ("/tenders/", "/tenders/new", "/tenders/T-2026-014", report_url.removeprefix(live_server.url)):
        narrow_page.goto(f"{live_server.url}{path}")
        assert _fits(narrow_page), path
    screenshot(narrow_page, "tender-6-report-narrow")


def test_the_keyboard_reaches_the_bidders_and_the_check(
    live_server: LiveServer, page: Any, sign_in: Callable[[Any, str], None]
) -> None:
    _with_submissions(live_server)
    sign_in(page, "tender_officer")
    page.goto(f"{live_server.url}/tenders/new")
    page.get_by_label("Tender reference").fill("T-KEY-1")
    page.get_by_label("Title", exact=True).fill("Keyboard")
    page.get_by_label("Closing date for bids").fill("2026-12-15")
    with page.expect_navigation():
        page.get_by_role("button", name="Register the tender").click()
    first = page.get_by_label(re.compile("Brightline Fabrication"))
    first.focus()
    page.keyboard.press("Space")
    assert first.is_checked()
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        if focused == "Check eligibility":
            break
    else:
        raise AssertionError("the Check eligibility button cannot be reached with the keyboard")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Eligibility report: tender T-KEY-1" in page.get_by_role("heading", level=1).inner_text()
