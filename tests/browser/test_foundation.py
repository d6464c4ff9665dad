"""The pages' foundation in a real browser: signing in, refusals, CSRF, the session id, keyboard and narrow screens."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .conftest import LiveServer

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def session_cookie(page: Any) -> str | None:
    found = [c["value"] for c in page.context.cookies() if c["name"] == "sq_session"]
    return found[0] if found else None


def test_signing_in_and_out(
    live_server: LiveServer, page: Any, sign_in: Callable[[Any, str], None], screenshot: Callable[[Any, str], Path]
) -> None:
    page.goto(live_server.url)
    assert page.url == f"{live_server.url}/sign-in"
    shot = screenshot(page, "sign-in")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    sign_in(page, "buyer")
    assert "buyer user (Buyer)" in page.locator(".site-user").inner_text()
    cookie = next(c for c in page.context.cookies() if c["name"] == "sq_session")
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Lax"
    page.get_by_role("button", name="Sign out").click()
    assert page.url == f"{live_server.url}/sign-in"
    assert page.get_by_role("status").inner_text() == "Note: You are signed out."


def test_a_wrong_password_says_so(live_server: LiveServer, page: Any, screenshot: Callable[[Any, str], Path]) -> None:
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("E-mail address").fill(live_server.email["buyer"])
    page.get_by_label("Password").fill("not my password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == "Problem: The e-mail address or the password is not right."
    assert page.get_by_label("E-mail address").input_value() == live_server.email["buyer"]
    assert page.get_by_label("Password").input_value() == ""
    screenshot(page, "sign-in-refused")


def test_a_form_without_its_csrf_token_is_refused(live_server: LiveServer, page: Any) -> None:
    page.goto(f"{live_server.url}/sign-in")
    page.locator("input[name=csrf_token]").evaluate("input => input.remove()")
    page.get_by_label("E-mail address").fill(live_server.email["buyer"])
    page.get_by_label("Password").fill(live_server.password)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", level=1).inner_text() == "This form has expired"
    page.goto(live_server.url)
    assert page.url == f"{live_server.url}/sign-in"


def test_the_session_id_changes_at_sign_in(
    live_server: LiveServer, page: Any, sign_in: Callable[[Any, str], None], browser: Any
) -> None:
    page.goto(f"{live_server.url}/sign-in")
    before = session_cookie(page)
    assert before is not None
    sign_in(page, "tender_officer")
    after = session_cookie(page)
    assert after is not None and after != before
    # Someone who planted or copied the pre-sign-in cookie is not signed in by it.
    other = browser.new_context()
    try:
        other.add_cookies([{"name": "sq_session", "value": before, "url": live_server.url}])
        stranger = other.new_page()
        stranger.goto(live_server.url)
        assert stranger.url == f"{live_server.url}/sign-in"
    finally:
        other.close()


def test_the_keyboard_reaches_the_sign_in_form(live_server: LiveServer, page: Any) -> None:
    page.goto(f"{live_server.url}/sign-in")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    focus = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focus != "none"
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "email":
            break
    assert page.evaluate("document.activeElement.id") == "email"
    page.keyboard.type(live_server.email["supplier"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(live_server.password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "supplier user (Supplier)" in page.locator(".site-user").inner_text()


def test_pages_fit_a_360_pixel_screen(
    live_server: LiveServer,
    narrow_page: Any,
    sign_in: Callable[[Any, str], None],
    screenshot: Callable[[Any, str], Path],
) -> None:
    narrow_page.goto(f"{live_server.url}/sign-in")
    assert narrow_page.evaluate(NO_HORIZONTAL_SCROLL)
    screenshot(narrow_page, "sign-in-360")
    sign_in(narrow_page, "admin")
    assert narrow_page.evaluate(NO_HORIZONTAL_SCROLL)
    narrow_page.goto(f"{live_server.url}/no-such-page")
    assert narrow_page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert narrow_page.evaluate(NO_HORIZONTAL_SCROLL)
    screenshot(narrow_page, "not-found-360")
