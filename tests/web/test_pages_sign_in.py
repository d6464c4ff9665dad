"""The pages' foundation: signing in and out, the session cookie, CSRF, the rate limit, roles and error pages."""

from __future__ import annotations

import io

import pytest
from flask import Blueprint
from sqlalchemy import select

from supplier_qual.web.pages.access import current_user, login_required, require_supplier
from supplier_qual.web.store import users
from supplier_qual.web.store.models import Account, SignInSession

from .conftest import BRIGHTLINE, NORTHWIND, Register
from .pages_support import PASSWORD, Browserless, add_page_users, csrf_token


@pytest.fixture
def pages(register: Register) -> Browserless:
    add_page_users(register)
    return Browserless(register.app, register.app.test_client())


def test_the_sign_in_page_is_accessible_html_and_small(pages: Browserless) -> None:
    response = pages.client.get("/sign-in")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="en">' in html
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    assert '<main id="main"' in html and "<h1>Sign in</h1>" in html
    assert '<label class="label" for="email">E-mail address</label>' in html
    assert '<label class="label" for="password">Password</label>' in html
    with pages.client.get("/static/pages.css") as css:
        assert css.status_code == 200
        assert len(response.data) + len(css.data) < 100_000
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_home_sends_a_visitor_to_sign_in(pages: Browserless) -> None:
    response = pages.client.get("/")
    assert response.status_code == 302
    assert response.location == "/sign-in"


def test_a_wrong_password_is_refused_in_plain_words(pages: Browserless) -> None:
    response = pages.sign_in("buyer@register.example", "not the password at all")
    assert response.status_code == 200
    assert "The e-mail address or the password is not right." in response.text
    assert pages.client.get("/").location == "/sign-in"


def test_an_unknown_user_gets_the_same_answer(pages: Browserless) -> None:
    response = pages.sign_in("nobody@register.example", PASSWORD)
    assert "The e-mail address or the password is not right." in response.text


def test_signing_in_sets_a_strict_cookie_and_records_the_time(pages: Browserless) -> None:
    response = pages.sign_in("Buyer@Register.example ")
    assert response.status_code == 302 and response.location == "/"
    cookie = next(v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("sq_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    home = pages.client.get("/", follow_redirects=True)
    assert "buyer user" in home.text and "Sign out" in home.text
    with pages.app.extensions["supplier_qual"].db.read() as session:
        account = session.scalars(select(Account).where(Account.email == "buyer@register.example")).one()
        assert account.last_sign_in_at is not None
        assert account.password_hash is not None and account.password_hash.startswith("$argon2id$")


def test_the_cookie_is_secure_over_https(pages: Browserless) -> None:
    page = pages.client.get("/sign-in", base_url="https://register.example")
    response = pages.client.post(
        "/sign-in",
        base_url="https://register.example",
        data={"email": "buyer@register.example", "password": PASSWORD, "csrf_token": csrf_token(page.text)},
        headers={"Referer": "https://register.example/sign-in"},
    )
    assert response.status_code == 302
    cookie = next(v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("sq_session="))
    assert "Secure" in cookie


def test_the_session_id_is_new_at_sign_in_and_ends_at_sign_out(pages: Browserless) -> None:
    pages.client.get("/sign-in")
    before = pages.cookie()
    assert before is not None
    pages.sign_in("buyer@register.example")
    signed_in = pages.cookie()
    assert signed_in is not None and signed_in != before
    # The cookie a visitor had before signing in signs no one in.
    stranger = pages.app.test_client()
    stranger.set_cookie("sq_session", before)
    assert stranger.get("/").location == "/sign-in"
    # Two sign-ins of the same person are two sessions with their own ids.
    again = Browserless(pages.app, pages.app.test_client())
    again.sign_in("buyer@register.example")
    with pages.app.extensions["supplier_qual"].db.read() as session:
        assert len(session.scalars(select(SignInSession.sid_sha256)).all()) == 2
    home = pages.client.get("/", follow_redirects=True)
    pages.client.post("/sign-out", data={"csrf_token": csrf_token(home.text)})
    # A copy of the signed-in cookie no longer works once its session is over.
    replay = pages.app.test_client()
    replay.set_cookie("sq_session", signed_in)
    assert replay.get("/").location == "/sign-in"
    assert "Sign out" in again.client.get("/", follow_redirects=True).text


def test_a_form_without_its_csrf_token_is_refused(pages: Browserless) -> None:
    response = pages.client.post("/sign-in", data={"email": "buyer@register.example", "password": PASSWORD})
    assert response.status_code == 400
    assert "This form has expired" in response.text
    assert response.mimetype == "text/html"
    assert pages.client.get("/").location == "/sign-in"


def test_sign_out_without_the_token_is_refused(pages: Browserless) -> None:
    pages.sign_in("buyer@register.example")
    assert pages.client.post("/sign-out").status_code == 400
    assert "Sign out" in pages.client.get("/", follow_redirects=True).text


def test_the_api_needs_no_csrf_token(register: Register) -> None:
    response = register.call("POST", "/api/v1/suppliers", "buyer", json={"id": "DE-HRB-1", "name": "Keller GmbH"})
    assert response.status_code == 201
    assert register.call("GET", "/api/v1/nothing-here", "buyer").json == {
        "errors": [{"location": "", "message": "no such resource"}]
    }


def test_sign_in_is_paused_after_repeated_refusals_for_one_account(pages: Browserless) -> None:
    for _ in range(5):
        assert pages.sign_in("buyer@register.example", "wrong password!").status_code == 200
    response = pages.sign_in("buyer@register.example")
    assert response.status_code == 429
    assert "signing in is paused for 15 minutes" in response.text
    assert response.headers["Retry-After"] == "900"
    # Other accounts from elsewhere are not held up.
    other = Browserless(pages.app, pages.app.test_client())
    assert other.sign_in("tenders@register.example", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 302


def test_sign_in_is_paused_for_a_client_address_trying_many_accounts(pages: Browserless) -> None:
    for number in range(20):
        pages.sign_in(f"guess{number}@register.example", "wrong password!")
    assert pages.sign_in("buyer@register.example").status_code == 429
    elsewhere = Browserless(pages.app, pages.app.test_client())
    assert elsewhere.sign_in("buyer@register.example", environ_base={"REMOTE_ADDR": "10.0.0.7"}).status_code == 302


def test_a_successful_sign_in_forgets_the_accounts_refusals(pages: Browserless) -> None:
    for _ in range(4):
        pages.sign_in("buyer@register.example", "wrong password!")
    assert pages.sign_in("buyer@register.example").status_code == 302
    with pages.app.extensions["supplier_qual"].db.read() as session:
        assert users.recent_failures(session, "buyer@register.example", "127.0.0.1", users.IDLE_LIMIT)[0] == 0


def test_next_takes_the_user_back_but_never_to_another_site(pages: Browserless) -> None:
    page = pages.client.get("/sign-in")
    token = csrf_token(page.text)
    data = {"email": "buyer@register.example", "password": PASSWORD, "csrf_token": token}
    assert pages.client.post("/sign-in?next=//evil.example/x", data=data).location == "/"
    fresh = Browserless(pages.app, pages.app.test_client())
    page = fresh.client.get("/sign-in")
    data["csrf_token"] = csrf_token(page.text)
    assert fresh.client.post("/sign-in?next=/api/docs", data=data).location == "/api/docs"


def test_unknown_pages_and_errors_speak_html(pages: Browserless) -> None:
    response = pages.client.get("/no/such/page")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "Page not found" in response.text
    assert pages.client.post("/", data={}).status_code in (400, 405)


def test_a_page_view_is_for_its_roles_and_a_supplier_sees_only_its_own(register: Register) -> None:
    app = register.app
    probe = Blueprint("probe", __name__)

    @probe.get("/probe/suppliers/<supplier_id>")
    @login_required(role=("buyer", "supplier"))
    def supplier_page(supplier_id: str) -> str:
        require_supplier(supplier_id)
        user = current_user()
        assert user is not None
        return f"{supplier_id} for {user.email}"

    app.register_blueprint(probe)
    add_page_users(register)
    for who, email, expected in (
        ("buyer", "buyer@register.example", {NORTHWIND: 200, BRIGHTLINE: 200, "NO-SUCH": 200}),
        ("supplier", "quality@northwind.example", {NORTHWIND: 200, BRIGHTLINE: 404, "NO-SUCH": 404}),
        ("tender_officer", "tenders@register.example", {NORTHWIND: 403, BRIGHTLINE: 403}),
    ):
        person = Browserless(app, app.test_client())
        person.sign_in(email)
        for supplier_id, status in expected.items():
            response = person.client.get(f"/probe/suppliers/{supplier_id}")
            assert response.status_code == status, (who, supplier_id)
        if who == "tender_officer":
            assert "This page is not for your role" in response.text
    anonymous = app.test_client().get(f"/probe/suppliers/{NORTHWIND}")
    assert anonymous.status_code == 302
    assert anonymous.location == f"/sign-in?next=/probe/suppliers/{NORTHWIND}"


def test_a_disabled_account_is_signed_out_at_once(pages: Browserless) -> None:
    pages.sign_in("buyer@register.example")
    with pages.app.extensions["supplier_qual"].db.write() as session:
        account = users.find_by_email(session, "buyer@register.example")
        assert account is not None
        account.disabled_at = account.created_at
    assert pages.client.get("/").location == "/sign-in"


def test_page_forms_are_capped_like_the_api(pages: Browserless) -> None:
    page = pages.client.get("/sign-in")
    response = pages.client.post(
        "/sign-in",
        data={
            "csrf_token": csrf_token(page.text),
            "email": "x",
            "password": "y",
            "f": (io.BytesIO(b"x" * 400_000), "a"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "The file is too large" in response.text


def test_bad_input_a_page_did_not_catch_is_shown_with_its_places(register: Register) -> None:
    from supplier_qual.errors import InputError, Problem

    probe = Blueprint("probe_input", __name__)

    @probe.get("/probe/input")
    def bad_input() -> str:
        raise InputError([Problem('"Maybe" is not one of Yes, Partly, No, N/A', "Questionnaire!F14")])

    register.app.register_blueprint(probe)
    response = register.app.test_client().get("/probe/input")
    assert response.status_code == 422 and response.mimetype == "text/html"
    assert (
        '<code class="where">Questionnaire!F14</code>: &#34;Maybe&#34; is not one of Yes, Partly, No, N/A'
        in response.text
    )
