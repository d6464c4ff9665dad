"""Browser tests of the pages: the real application served on 127.0.0.1, driven in Debian's Chromium by Playwright.

Fixtures:

- ``live_server``: the service (SQLite file, two suppliers, a user per role) served
  by werkzeug in a thread; ``live_server.url``, ``.app``, ``.service``, ``.email[who]``;
- ``browser``: one headless Chromium for the session (``/usr/bin/chromium``, or
  ``SUPPLIER_QUAL_CHROMIUM``; never downloaded); the tests skip, saying why, without it;
- ``page``: a fresh browser context and page (1280×800), closed afterwards;
  ``narrow_page``: the same at 360×740, as on a phone;
- ``sign_in(page, who)``: signs in through the form as a person would;
- ``screenshot(page, name)``: saves ``name.png`` under ``SUPPLIER_QUAL_SCREENSHOTS``
  (default: a ``screenshots`` folder in pytest's temporary directory) and returns its path.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy
import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

import supplier_qual
from supplier_qual.web.service import Service

from ..web.conftest import build_register
from ..web.pages_support import PASSWORD, add_page_users

CHROMIUM = os.environ.get("SUPPLIER_QUAL_CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium keeps trying to reach Google's services, which a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@dataclass
class LiveServer:
    """The application served on 127.0.0.1 for one test."""

    url: str
    app: Flask
    email: dict[str, str] = field(default_factory=dict)
    password: str = PASSWORD

    @property
    def service(self) -> Service:
        found: Service = self.app.extensions["supplier_qual"]
        return found


@pytest.fixture
def web_pm(monkeypatch: pytest.MonkeyPatch) -> pluggy.PluginManager:
    """The built-in plugins only, as in the service tests."""
    monkeypatch.delenv("SUPPLIER_QUAL_LOAD_PLUGINS", raising=False)
    return supplier_qual.get_plugin_manager(load_entrypoints=False)


@pytest.fixture
def live_server(tmp_path: Path, web_pm: pluggy.PluginManager) -> Iterator[LiveServer]:
    register = build_register(
        f"sqlite:///{tmp_path / 'register.db'}", web_pm, TESTING=False, SECRET_KEY="browser tests"
    )
    emails = add_page_users(register)
    server: BaseWSGIServer = make_server("127.0.0.1", 0, register.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", register.app, emails)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        register.service.db.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        # CI installs Chromium (.ci/run): there, a missing browser is a failure, not a skip.
        (pytest.fail if os.environ.get("CI") else pytest.skip)(
            f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install chromium) to run the browser tests"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


def _page(browser: Any, width: int, height: int) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    yield from _page(browser, 1280, 800)


@pytest.fixture
def narrow_page(browser: Any) -> Iterator[Any]:
    yield from _page(browser, 360, 740)


@pytest.fixture
def sign_in(live_server: LiveServer) -> Callable[[Any, str], None]:
    """Sign ``who`` in (a key of ``live_server.email``) through the sign-in form."""

    def signing_in(page: Any, who: str) -> None:
        page.goto(f"{live_server.url}/sign-in")
        page.get_by_label("E-mail address").fill(live_server.email[who])
        page.get_by_label("Password").fill(live_server.password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        if "/sign-in" in page.url:
            raise AssertionError(f"{who} could not sign in: {page.locator('main').inner_text()}")

    return signing_in


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("SUPPLIER_QUAL_SCREENSHOTS")
    folder = Path(configured) if configured else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def screenshot(screenshot_dir: Path) -> Callable[[Any, str], Path]:
    """Save a full-page PNG of ``page`` as ``<name>.png``; the path written."""

    def take(page: Any, name: str) -> Path:
        safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "page"
        path = screenshot_dir / f"{safe}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
